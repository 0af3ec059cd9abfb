/**
 * Loading the covered objects of a release and pairing them by STIX ID
 * between two releases. The counts for the chart and the feed stop here; the
 * full changelog adds names of parents, replacements and tactics.
 */
import { stringField, type StixObject } from '../../domain/stix-object.js';
import type { ObjectSnapshot, ReleaseInfo, Store } from '../../storage/store.js';
import { CHANGELOG_TYPES, sectionOfType } from './categories.js';
import { classifyChange, type ComparableObject } from './classify.js';
import { CATEGORIES, SECTIONS, type Category, type Section } from './schema.js';

export interface ReleaseObjects {
  release: ReleaseInfo;
  /** Covered objects that belong to the release's domain (`inDomain`), by STIX ID. */
  inDomain: Map<string, ObjectSnapshot>;
  /** Every covered object of the bundle, for naming parents, replacements and tactics outside the domain. */
  all: Map<string, ObjectSnapshot>;
}

export async function loadReleaseObjects(store: Store, release: ReleaseInfo): Promise<ReleaseObjects> {
  const snapshots = await store.objectsOfType(release.id, CHANGELOG_TYPES);
  const all = new Map<string, ObjectSnapshot>();
  const inDomain = new Map<string, ObjectSnapshot>();
  for (const snapshot of snapshots) {
    all.set(snapshot.stixId, snapshot);
    if (snapshot.inDomain) inDomain.set(snapshot.stixId, snapshot);
  }
  return { release, inDomain, all };
}

const parsed = new WeakMap<ObjectSnapshot, StixObject>();

/** Parses a snapshot's bytes once per snapshot object. */
export function parseObject(snapshot: ObjectSnapshot): StixObject {
  let object = parsed.get(snapshot);
  if (!object) {
    object = JSON.parse(snapshot.raw.toString('utf8')) as StixObject;
    parsed.set(snapshot, object);
  }
  return object;
}

/** One object of either release with its category. */
export interface ObjectChange {
  stixId: string;
  section: Section;
  category: Category;
  before: ObjectSnapshot | undefined;
  after: ObjectSnapshot | undefined;
}

function comparable(snapshot: ObjectSnapshot | undefined): ComparableObject | undefined {
  if (!snapshot) return undefined;
  return {
    version: snapshot.version,
    modified: snapshot.modified,
    deprecated: snapshot.deprecated,
    revoked: snapshot.revoked,
    contentHash: snapshot.contentHash,
    description: () => stringField(parseObject(snapshot), 'description'),
  };
}

/** Pairs the domain's objects of two releases by STIX ID and classifies each, unchanged ones included. */
export function compareReleaseObjects(older: ReleaseObjects, newer: ReleaseObjects): ObjectChange[] {
  const ids = new Set([...older.inDomain.keys(), ...newer.inDomain.keys()]);
  const changes: ObjectChange[] = [];
  for (const stixId of ids) {
    const before = older.inDomain.get(stixId);
    const after = newer.inDomain.get(stixId);
    const type = (after ?? before)?.type ?? '';
    const section = sectionOfType(type);
    if (!section) continue;
    changes.push({ stixId, section, category: classifyChange(comparable(before), comparable(after)), before, after });
  }
  return changes;
}

export type CategoryCounts = Record<Category, number>;

export function emptyCounts(): CategoryCounts {
  return Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as CategoryCounts;
}

export interface ChangeCounts {
  byCategory: CategoryCounts;
  bySection: Record<Section, CategoryCounts>;
  total: number;
}

/** Counts changes per category and per section; categories left out of `counted` are not counted. */
export function countChanges(changes: readonly { section: Section; category: Category }[], counted: (category: Category) => boolean = () => true): ChangeCounts {
  const byCategory = emptyCounts();
  const bySection = Object.fromEntries(SECTIONS.map((section) => [section, emptyCounts()])) as Record<Section, CategoryCounts>;
  let total = 0;
  for (const change of changes) {
    if (!counted(change.category)) continue;
    byCategory[change.category] += 1;
    bySection[change.section][change.category] += 1;
    total += 1;
  }
  return { byCategory, bySection, total };
}
