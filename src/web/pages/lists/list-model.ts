/**
 * The rows of a list page (`/groups`, `/techniques`, ...): the objects of one
 * page kind in the newest imported release of each domain, one row per STIX
 * ID, and the filters and sort orders applied to them.
 */
import { DOMAINS, type Domain, type PageKind } from '../../../domain/object-types.js';
import type { ObjectSnapshot, ReleaseInfo, Store } from '../../../storage/store.js';
import { objectPath } from '../../links.js';

export const STATUSES = ['active', 'deprecated', 'revoked'] as const;
export type Status = (typeof STATUSES)[number];
export const STATUS_FILTERS = ['active', 'deprecated', 'revoked', 'all'] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];
export const SORT_KEYS = ['id', 'name'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export const SORT_ORDERS = ['asc', 'desc'] as const;
export type SortOrder = (typeof SORT_ORDERS)[number];

export interface ListRow {
  stixId: string;
  attackId: string | null;
  /** The object's name; a sub-technique's name is prefixed with its parent's, as "Command and Scripting Interpreter: PowerShell". */
  name: string;
  isSubtechnique: boolean;
  /** Domains whose newest imported release contains the object, in `DOMAINS` order. */
  domains: Domain[];
  status: Status;
  /** `x_mitre_version`. */
  version: string | null;
  modified: string | null;
  path: string;
}

export interface ListQuery {
  domain: Domain | undefined;
  status: StatusFilter;
  sort: SortKey;
  order: SortOrder;
}

export const DEFAULT_QUERY: ListQuery = { domain: undefined, status: 'active', sort: 'id', order: 'asc' };

/** Returns the newest imported release of each domain, in `DOMAINS` order. */
export function newestReleases(releases: readonly ReleaseInfo[]): ReleaseInfo[] {
  // listReleases orders each domain's releases oldest first, so the last one seen is the newest.
  const newest = new Map<string, ReleaseInfo>();
  for (const release of releases) newest.set(release.domain, release);
  return DOMAINS.flatMap((domain) => {
    const release = newest.get(domain);
    return release === undefined ? [] : [release];
  });
}

function statusOf(object: Pick<ObjectSnapshot, 'deprecated' | 'revoked'>): Status {
  if (object.revoked) return 'revoked';
  return object.deprecated ? 'deprecated' : 'active';
}

/** Tells whether `candidate` describes the object better than `current`: in its own domain first, then modified later. */
function isBetterSnapshot(candidate: ObjectSnapshot, current: ObjectSnapshot): boolean {
  if (candidate.inDomain !== current.inDomain) return candidate.inDomain;
  return (candidate.modified ?? '') > (current.modified ?? '');
}

/** Loads the rows of a page kind from the given releases; an object in several releases becomes one row. */
export async function loadListRows(store: Store, kind: PageKind, releases: readonly ReleaseInfo[]): Promise<ListRow[]> {
  const found = new Map<string, { snapshot: ObjectSnapshot; domains: Set<string> }>();
  for (const release of releases) {
    for (const snapshot of await store.objectsOfType(release.id, kind.types)) {
      const entry = found.get(snapshot.stixId);
      if (entry === undefined) {
        found.set(snapshot.stixId, { snapshot, domains: new Set([release.domain]) });
        continue;
      }
      entry.domains.add(release.domain);
      if (isBetterSnapshot(snapshot, entry.snapshot)) entry.snapshot = snapshot;
    }
  }

  const namesById = new Map<string, string>();
  for (const { snapshot } of found.values()) {
    if (snapshot.attackId !== null && snapshot.name !== null && !snapshot.isSubtechnique) namesById.set(snapshot.attackId, snapshot.name);
  }

  return [...found.values()].map(({ snapshot, domains }) => {
    const own = snapshot.name ?? snapshot.attackId ?? snapshot.stixId;
    const parentName = snapshot.isSubtechnique && snapshot.attackId !== null ? namesById.get(snapshot.attackId.split('.')[0] ?? '') : undefined;
    return {
      stixId: snapshot.stixId,
      attackId: snapshot.attackId,
      name: parentName === undefined ? own : `${parentName}: ${own}`,
      isSubtechnique: snapshot.isSubtechnique,
      domains: DOMAINS.filter((domain) => domains.has(domain)),
      status: statusOf(snapshot),
      version: snapshot.version,
      modified: snapshot.modified,
      path: objectPath(snapshot),
    };
  });
}

export function matchesStatus(row: ListRow, status: StatusFilter): boolean {
  return status === 'all' || row.status === status;
}

export function matchesDomain(row: ListRow, domain: Domain | undefined): boolean {
  return domain === undefined || row.domains.includes(domain);
}

/** Orders by ATT&CK ID comparing digit runs as numbers (T1059.002 before T1059.010); rows without an ID sort after the others. */
function compareIds(a: ListRow, b: ListRow): number {
  if (a.attackId === null || b.attackId === null) return (a.attackId === null ? 1 : 0) - (b.attackId === null ? 1 : 0);
  return a.attackId.localeCompare(b.attackId, 'en', { numeric: true });
}

function compareNames(a: ListRow, b: ListRow): number {
  return a.name.localeCompare(b.name, 'en', { numeric: true });
}

/** Returns the rows sorted by the key, ties broken by the other key, then by STIX ID so the order is stable. */
export function sortRows(rows: readonly ListRow[], sort: SortKey, order: SortOrder): ListRow[] {
  const [first, second] = sort === 'id' ? [compareIds, compareNames] : [compareNames, compareIds];
  const direction = order === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => direction * (first(a, b) || second(a, b) || a.stixId.localeCompare(b.stixId)));
}
