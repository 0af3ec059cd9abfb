/** Finds the releases and objects that API requests name. */
import { isStixId } from '../domain/ids.js';
import { ATTACK_TYPES, PAGE_KINDS } from '../domain/object-types.js';
import { BadRequestError, NotFoundError } from '../errors.js';
import type { ObjectSnapshot, ReleaseInfo, Store } from '../storage/store.js';
import { releaseKey } from '../web/links.js';
import { ConflictError, type Candidate } from './errors.js';
import type { Status } from './schemas.js';
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

/** Returns the singular name of a site section, made from its label: `technique`, `datasource`, `detectionstrategy`. */
function singularName(label: string): string {
  return label.toLowerCase().replace(/\s+/g, '');
}

/**
 * Names that `type` accepts where it picks one object: the STIX types, and each section of the site
 * by its URL segment (`techniques`) or in the singular (`technique`). A section name stands for the
 * STIX types the section shows, so `software` covers both `malware` and `tool`.
 */
const TYPES_BY_NAME: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...ATTACK_TYPES.map((type): [string, readonly string[]] => [type, [type]]),
  ...PAGE_KINDS.flatMap((kind): [string, readonly string[]][] => [
    [singularName(kind.label), kind.types],
    [kind.segment, kind.types],
  ]),
]);

export const OBJECT_TYPE_NAMES: readonly string[] = [...TYPES_BY_NAME.keys()];

/** Returns the STIX types that a `type` value names, or undefined for a name that is neither a STIX type nor a section of the site. */
export function typesNamed(name: string): readonly string[] | undefined {
  return TYPES_BY_NAME.get(name);
}

/** Lists the accepted `type` values, for messages. */
export function acceptedTypeNames(): string {
  const sections = OBJECT_TYPE_NAMES.filter((name) => !(ATTACK_TYPES as readonly string[]).includes(name));
  return `a STIX type (${ATTACK_TYPES.join(', ')}) or a section of the site (${sections.join(', ')})`;
}

/** Returns the singular names of the site sections that show objects of `type`: `technique` for attack-pattern. */
function sectionNamesOf(type: string): string[] {
  return PAGE_KINDS.filter((kind) => (kind.types as readonly string[]).includes(type)).map((kind) => singularName(kind.label));
}

function statusOf(object: ObjectSnapshot): Status {
  if (object.revoked) return 'revoked';
  return object.deprecated ? 'deprecated' : 'active';
}

export interface ObjectRequest {
  id: string;
  /** A STIX type or a section name, as OBJECT_TYPE_NAMES lists them. */
  type?: string | undefined;
  release?: string | undefined;
  /**
   * Whether an ATT&CK ID that names several objects resolves to the only one of them that is neither
   * deprecated nor revoked. Enterprise releases reuse many technique IDs for deprecated mitigations
   * (T1003 is the technique OS Credential Dumping and the deprecated Credential Dumping Mitigation).
   */
  preferActive?: boolean | undefined;
  /** Part of the request that carries `type`, named in the advice of the error for an ATT&CK ID that stays ambiguous. `query` when absent. */
  typeIn?: 'query' | 'body' | undefined;
}

/** An object that an ambiguous ATT&CK ID names, as the 409 error lists it. */
export interface ObjectCandidate extends Candidate {
  status: Status;
}

function candidateOf(object: ObjectSnapshot): ObjectCandidate {
  return {
    stixId: object.stixId,
    type: object.type,
    attackId: object.attackId,
    name: object.name,
    status: statusOf(object),
    url: apiObjectPath(object.stixId),
  };
}

/** Builds the 409 error for an ATT&CK ID that names several objects, with advice that fits where the request sets `type`. */
function ambiguityError(attackId: string, objects: readonly ObjectSnapshot[], request: ObjectRequest): ConflictError {
  const candidates = objects.map(candidateOf);
  const listed = candidates.map((candidate) => `${candidate.type} "${candidate.name ?? candidate.stixId}" (${candidate.status})`).join(', ');
  const types = [...new Set(candidates.map((candidate) => candidate.type))];
  const sections = [...new Set(types.flatMap(sectionNamesOf))];
  let typeChoice = types.join(', ');
  if (sections.length > 0) typeChoice += ` (or ${sections.join(', ')})`;
  const advice =
    request.typeIn === 'body'
      ? `set the body field "type" to one of ${typeChoice}, or set "object" to the STIX ID of one candidate`
      : `add the query parameter type with one of ${typeChoice}, or request the STIX ID of one candidate`;
  // With preferActive, the ID stays ambiguous only when none or several of the objects are active.
  const activeCount = candidates.filter((candidate) => candidate.status === 'active').length;
  const reason = request.preferActive ? `, ${activeCount === 0 ? 'none' : activeCount} of them active` : '';
  return new ConflictError(`ATT&CK ID ${attackId} names ${objects.length} objects${reason}: ${listed}. To pick one, ${advice}.`, candidates);
}

/**
 * Finds one object by STIX ID or ATT&CK ID, in the newest release containing it or in the
 * requested release. Raises not-found when nothing matches, and bad-request for an unknown `type`
 * or one that contradicts a STIX ID. Raises conflict when an ATT&CK ID names several objects and
 * neither `type` nor `preferActive` picks one.
 */
export async function findObject(store: Store, request: ObjectRequest): Promise<ObjectSnapshot> {
  const namedTypes = request.type === undefined ? undefined : typesNamed(request.type);
  if (request.type !== undefined && namedTypes === undefined) {
    const where = request.typeIn === 'body' ? 'body field "type"' : 'query parameter type';
    throw new BadRequestError(`Invalid ${where} "${request.type}": expected ${acceptedTypeNames()}.`);
  }
  const release = request.release === undefined ? undefined : await findReleaseByKey(store, request.release);
  const where = release ? `release ${releaseKey(release)}` : 'any imported release';

  if (isStixId(request.id)) {
    const object = release ? await store.snapshot(request.id, release.id) : await store.currentSnapshot(request.id);
    if (!object) throw new NotFoundError(`No object with STIX ID ${request.id} is in ${where}.`);
    if (namedTypes !== undefined && !namedTypes.includes(object.type)) {
      throw new BadRequestError(`${request.id} is a ${object.type}, not a ${request.type}; remove type=${request.type} or correct it.`);
    }
    return object;
  }

  const attackId = request.id.toUpperCase();
  const types = namedTypes ?? ADDRESSABLE_TYPES;
  const objects = release
    ? await store.findByAttackIdInRelease(release.id, attackId, types)
    : await store.findByAttackId(attackId, types);
  const [first, ...rest] = objects;
  if (!first) {
    const typeText = request.type === undefined ? 'object' : request.type;
    throw new NotFoundError(`No ${typeText} with ATT&CK ID ${attackId} is in ${where}.`);
  }
  if (rest.length === 0) return first;

  if (request.preferActive) {
    const active = objects.filter((object) => !object.deprecated && !object.revoked);
    if (active.length === 1 && active[0]) return active[0];
  }
  throw ambiguityError(attackId, objects, request);
}
