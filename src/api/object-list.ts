/**
 * The object listing: snapshots from the newest release of each domain, or from one release,
 * filtered and sorted by type, ATT&CK ID and STIX ID. The cursor of a page encodes the sort key
 * of the previous page's last object.
 */
import { BadRequestError } from '../errors.js';
import type { ObjectSnapshot, ReleaseInfo, Store } from '../storage/store.js';
import { findReleaseByKey, newestReleases, typesNamed, typesOfRelease } from './lookup.js';
import type { Status } from './schemas.js';

export interface ListRequest {
  type?: string | undefined;
  domain?: string | undefined;
  status?: Status | undefined;
  release?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface ObjectPage {
  releases: ReleaseInfo[];
  objects: ObjectSnapshot[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
}

/** The sort key: type, ATT&CK ID (empty when the object has none) and STIX ID. */
type SortKey = [string, string, string];

function sortKey(object: ObjectSnapshot): SortKey {
  return [object.type, object.attackId ?? '', object.stixId];
}

/** Compares by UTF-16 code units, so the order does not depend on the server's locale. */
function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i++) {
    const left = a[i] as string;
    const right = b[i] as string;
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): SortKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((part) => typeof part === 'string')) {
    throw new BadRequestError(`Invalid query parameter cursor=${cursor}: it is not a cursor this API returned; pass nextCursor from the previous page unchanged, or omit cursor to start again.`);
  }
  return parsed as SortKey;
}

function hasStatus(object: ObjectSnapshot, status: Status): boolean {
  if (status === 'revoked') return object.revoked;
  if (status === 'deprecated') return object.deprecated;
  return !object.revoked && !object.deprecated;
}

async function selectReleases(store: Store, request: ListRequest): Promise<ReleaseInfo[]> {
  if (request.release !== undefined) {
    const release = await findReleaseByKey(store, request.release);
    if (request.domain !== undefined && release.domain !== request.domain) {
      throw new BadRequestError(`Release ${request.release} is not of domain ${request.domain}; remove domain or release, or make them agree.`);
    }
    return [release];
  }
  const newest = newestReleases(await store.listReleases());
  return request.domain === undefined ? newest : newest.filter((release) => release.domain === request.domain);
}

/**
 * Loads the objects of the selected releases. An object found in several domains' releases
 * (identities, groups in Enterprise and Mobile) is listed once, from a release of one of its own
 * domains when there is one.
 */
async function loadObjects(store: Store, releases: readonly ReleaseInfo[], type: string | undefined): Promise<ObjectSnapshot[]> {
  const byStixId = new Map<string, ObjectSnapshot>();
  for (const release of releases) {
    // A section name such as `technique` stands for its STIX types; any other value is taken as a STIX type.
    const types = type === undefined ? await typesOfRelease(store, release) : (typesNamed(type) ?? [type]);
    for (const object of await store.objectsOfType(release.id, types)) {
      const known = byStixId.get(object.stixId);
      if (!known || (!known.inDomain && object.inDomain)) byStixId.set(object.stixId, object);
    }
  }
  return [...byStixId.values()];
}

// NOTE: every page loads and sorts all matching objects of the selected releases, tens of
// thousands for Enterprise without a type filter. A Store method with keyset pagination in SQL
// would let a page read only its own rows.
export async function listObjects(store: Store, request: ListRequest): Promise<ObjectPage> {
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor);
  const releases = await selectReleases(store, request);
  const status = request.status;

  const matching = (await loadObjects(store, releases, request.type))
    .filter((object) => status === undefined || hasStatus(object, status))
    .filter((object) => after === undefined || compareKeys(sortKey(object), after) > 0)
    .sort((a, b) => compareKeys(sortKey(a), sortKey(b)));

  const objects = matching.slice(0, request.limit);
  const last = objects[objects.length - 1];
  const nextCursor = matching.length > request.limit && last ? encodeCursor(sortKey(last)) : null;
  return { releases, objects, nextCursor };
}

