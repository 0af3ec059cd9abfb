/** Finds the releases and objects that API requests name. */
import { isStixId } from '../domain/ids.js';
import { ATTACK_TYPES } from '../domain/object-types.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { ObjectSnapshot, ReleaseInfo, Store } from '../storage/store.js';
import { releaseKey } from '../web/links.js';
import { ConflictError } from './errors.js';
import { apiObjectPath } from './views.js';

export async function findReleaseByKey(store: Store, key: string): Promise<ReleaseInfo> {
  const release = (await store.listReleases()).find((candidate) => releaseKey(candidate) === key);
  if (!release) throw new NotFoundError(`No release ${key} has been imported; GET /api/v1/releases lists the imported releases.`);
  return release;
}

/** Picks the newest imported release of each domain, in domain order. */
export function newestReleases(releases: readonly ReleaseInfo[]): ReleaseInfo[] {
  // listReleases orders by domain, then version, so the last release of each domain is its newest.
  const newest = new Map<string, ReleaseInfo>();
  for (const release of releases) newest.set(release.domain, release);
  return [...newest.values()];
}

/**
 * Lists every type a release contains: the ATT&CK types plus any others in the release, because
 * objectsOfType takes an explicit list.
 */
export async function typesOfRelease(store: Store, release: ReleaseInfo): Promise<string[]> {
  const counts = await store.countObjectsByType(release.id);
  return [...new Set<string>([...ATTACK_TYPES, ...Object.keys(counts)])];
}

/** Types an ATT&CK ID can name: every type except those that never carry one. */
const ADDRESSABLE_TYPES = ATTACK_TYPES.filter((type) => type !== 'relationship' && type !== 'identity' && type !== 'marking-definition');

export interface ObjectRequest {
  id: string;
  type?: string | undefined;
  release?: string | undefined;
}

/**
 * Finds one object by STIX ID or ATT&CK ID, in the newest release containing it or in the
 * requested release. Raises not-found, bad-request when `type` contradicts a STIX ID, and
 * conflict when an ATT&CK ID names several objects and `type` does not pick one.
 */
export async function findObject(store: Store, request: ObjectRequest): Promise<ObjectSnapshot> {
  const release = request.release === undefined ? undefined : await findReleaseByKey(store, request.release);
  const where = release ? `release ${releaseKey(release)}` : 'any imported release';

  if (isStixId(request.id)) {
    const object = release ? await store.snapshot(request.id, release.id) : await store.currentSnapshot(request.id);
    if (!object) throw new NotFoundError(`No object with STIX ID ${request.id} is in ${where}.`);
    if (request.type !== undefined && object.type !== request.type) {
      throw new BadRequestError(`${request.id} is a ${object.type}, not a ${request.type}; remove type=${request.type} or correct it.`);
    }
    return object;
  }

  const attackId = request.id.toUpperCase();
  const types = request.type === undefined ? ADDRESSABLE_TYPES : [request.type];
  const objects = release
    ? await store.findByAttackIdInRelease(release.id, attackId, types)
    : await store.findByAttackId(attackId, types);
  const [first, ...rest] = objects;
  if (!first) {
    const typeText = request.type === undefined ? 'object' : request.type;
    throw new NotFoundError(`No ${typeText} with ATT&CK ID ${attackId} is in ${where}.`);
  }
  if (rest.length > 0) {
    const types = objects.map((object) => object.type).join(', ');
    const candidates = objects.map((object) => ({
      stixId: object.stixId,
      type: object.type,
      attackId: object.attackId,
      name: object.name,
      url: apiObjectPath(object.stixId),
    }));
    throw new ConflictError(
      `ATT&CK ID ${attackId} names ${objects.length} objects (${types}); add ?type= with one of those types, or request a STIX ID from candidates.`,
      candidates,
    );
  }
  return first;
}
