/**
 * Everything an object page needs, loaded once per request: the object as it
 * is in the page's release, its relationships in that release, the objects
 * at their other ends, and its history. Sections render from this context in
 * page order, sharing one citation registry so that numbers follow first use.
 */
import type { Principal } from '../../accounts/permissions.js';
import type { Config } from '../../config.js';
import type { StixObject } from '../../domain/stix-object.js';
import type { ObjectSnapshot, ReleaseInfo, Store } from '../../storage/store.js';
import type { TakeRecord } from '../../storage/team-store.js';
import { TakeService } from '../../takes/take-service.js';
import { CitationRegistry } from '../render/citations.js';

export interface RelationshipView {
  relationship: ObjectSnapshot;
  json: StixObject;
  relationshipType: string;
  /** "outgoing" when the page's object is the relationship's source. */
  direction: 'outgoing' | 'incoming';
  /** STIX ID of the object at the other end. */
  otherId: string;
  /** The other object in the page's release, or its newest version elsewhere, or undefined when no release holds it. */
  other: ObjectSnapshot | undefined;
  /** False when the page's release does not contain the other object (MITRE data sometimes points outside the bundle). */
  otherInRelease: boolean;
  /** Releases of other domains that contain the same relationship, on pages that show several domains. */
  alsoIn: ReleaseInfo[];
}

/** The signed-in user a page is rendered for. Pages for anonymous readers have none, and the page cache stores only those. */
export interface PageViewer {
  principal: Principal;
  csrfToken: string | undefined;
}

export interface PageContext {
  object: ObjectSnapshot;
  json: StixObject;
  release: ReleaseInfo;
  /** True when the page was requested for one release, false when it shows the newest release holding the object. */
  pinned: boolean;
  /** Every imported release, for the history and the release switcher. */
  releases: ReleaseInfo[];
  relationships: RelationshipView[];
  history: ObjectSnapshot[];
  citations: CitationRegistry;
  /** The object's take that is not withdrawn, in any state. Readers see its text only when it is published. */
  take: TakeRecord | undefined;
  viewer: PageViewer | undefined;
  config: Config;
  store: Store;
}

/** Parsed JSON of snapshots, cached per snapshot object for the life of one request. */
const parsedCache = new WeakMap<ObjectSnapshot, StixObject>();

export function parseSnapshot(snapshot: ObjectSnapshot): StixObject {
  let parsed = parsedCache.get(snapshot);
  if (!parsed) {
    parsed = JSON.parse(snapshot.raw.toString('utf8')) as StixObject;
    parsedCache.set(snapshot, parsed);
  }
  return parsed;
}

/**
 * Returns the snapshots whose relationships a page shows: the page's own snapshot, and on the current
 * page of an object in several domains (groups and software in Enterprise and Mobile) also its
 * snapshot in the newest release of each other domain. attack.mitre.org lists both domains' techniques too.
 */
function relationshipSources(object: ObjectSnapshot, pinned: boolean, history: readonly ObjectSnapshot[], releases: readonly ReleaseInfo[]): ObjectSnapshot[] {
  if (pinned) return [object];
  const newestByDomain = new Map<string, ReleaseInfo>();
  // Releases are ordered oldest first within each domain, so the last one seen is the newest.
  for (const release of releases) newestByDomain.set(release.domain, release);
  const others = history.filter(
    (snapshot) => snapshot.release.domain !== object.release.domain && newestByDomain.get(snapshot.release.domain)?.id === snapshot.release.id,
  );
  return [object, ...others];
}

async function loadRelationships(store: Store, sources: readonly ObjectSnapshot[]): Promise<RelationshipView[]> {
  const seen = new Map<string, RelationshipView>();
  for (const source of sources) {
    for (const view of await loadReleaseRelationships(store, source)) {
      const first = seen.get(view.relationship.stixId);
      // MITRE puts some relationships, such as a group's use of software, in both domains with one id.
      if (first) first.alsoIn.push(view.relationship.release);
      else seen.set(view.relationship.stixId, view);
    }
  }
  return [...seen.values()];
}

async function loadReleaseRelationships(store: Store, object: ObjectSnapshot): Promise<RelationshipView[]> {
  const relationships = await store.relationshipsOf(object.stixId, object.release.id);
  const otherIds = relationships.map((rel) =>
    rel.relationship?.sourceRef === object.stixId ? rel.relationship.targetRef : (rel.relationship?.sourceRef ?? ''),
  );
  const inRelease = await store.objectsIn(object.release.id, otherIds);
  const missing = otherIds.filter((id) => !inRelease.has(id));
  const elsewhere = missing.length > 0 ? await store.currentSnapshots(missing) : new Map<string, ObjectSnapshot>();

  return relationships.map((relationship, index) => {
    const otherId = otherIds[index] as string;
    return {
      relationship,
      json: parseSnapshot(relationship),
      relationshipType: relationship.relationship?.relationshipType ?? '',
      direction: relationship.relationship?.sourceRef === object.stixId ? 'outgoing' : 'incoming',
      otherId,
      other: inRelease.get(otherId) ?? elsewhere.get(otherId),
      otherInRelease: inRelease.has(otherId),
      alsoIn: [],
    };
  });
}

export async function loadPageContext(
  store: Store,
  config: Config,
  object: ObjectSnapshot,
  pinned = false,
  viewer?: PageViewer,
): Promise<PageContext> {
  const [history, releases, take] = await Promise.all([
    store.history(object.stixId),
    store.listReleases(),
    new TakeService(store).open(object.stixId),
  ]);
  const relationships = await loadRelationships(store, relationshipSources(object, pinned, history, releases));
  return {
    object,
    json: parseSnapshot(object),
    release: object.release,
    pinned,
    releases,
    relationships,
    history,
    citations: new CitationRegistry(),
    take,
    viewer,
    config,
    store,
  };
}

/** Relationships of one type and direction whose other end has one of the given types. */
export function relationshipsWhere(
  context: PageContext,
  relationshipType: string,
  direction: RelationshipView['direction'],
  otherTypes?: readonly string[],
): RelationshipView[] {
  return context.relationships.filter(
    (view) =>
      view.relationshipType === relationshipType &&
      view.direction === direction &&
      (otherTypes === undefined || (view.other !== undefined && otherTypes.includes(view.other.type))),
  );
}
