/**
 * `buildChangelog`: what changed in a domain between two imported releases,
 * in the categories of MITRE's own changelogs, with parents of
 * sub-techniques, replacements of revoked objects and tactic moves.
 */
import { compareVersions } from '../../domain/versions.js';
import { objectList, stringField } from '../../domain/stix-object.js';
import { BadRequestError } from '../../errors.js';
import type { ObjectSnapshot, Store } from '../../storage/store.js';
import { objectPath } from '../../web/links.js';
import { compareReleaseObjects, countChanges, loadReleaseObjects, parseObject, type ObjectChange, type ReleaseObjects } from './compare.js';
import { RelationshipTargets } from './relationship-targets.js';
import { requireDomain, requireRelease } from './releases.js';
import { CATEGORIES, SECTIONS, type Changelog, type ChangelogEntry, type ObjectRef, type TacticMove, type TacticRef } from './schema.js';

export interface ChangelogOptions {
  /** Lists unchanged objects too; they are counted in `summary.unchangedOmitted` otherwise. */
  includeUnchanged?: boolean;
}

/**
 * Builds the changelog of `domain` from release `fromVersion` to `toVersion`.
 * Raises `ReleaseLookupError` (404) for a domain or release that is not
 * imported, and `BadRequestError` unless `fromVersion` is older than `toVersion`.
 */
export async function buildChangelog(
  store: Store,
  domain: string,
  fromVersion: string,
  toVersion: string,
  options: ChangelogOptions = {},
): Promise<Changelog> {
  const releases = await requireDomain(store, domain);
  const from = requireRelease(releases, domain, fromVersion);
  const to = requireRelease(releases, domain, toVersion);
  if (compareVersions(from.version, to.version) >= 0) {
    throw new BadRequestError(`Release ${from.version} is not older than release ${to.version}. Name the older release first.`);
  }

  const [older, newer] = await Promise.all([loadReleaseObjects(store, from), loadReleaseObjects(store, to)]);
  const includeUnchanged = options.includeUnchanged ?? false;
  const changes = compareReleaseObjects(older, newer);
  const listed = changes.filter((change) => includeUnchanged || change.category !== 'unchanged');

  const builder = new EntryBuilder(store, older, newer, listed);
  const entries: ChangelogEntry[] = [];
  for (const change of listed) entries.push(await builder.entry(change));
  entries.sort(compareEntries);

  // Unchanged techniques can still have moved, so tactic moves look at every change, listed or not.
  const tacticMoves: ChangelogEntry[] = [];
  const entryById = new Map(entries.map((entry) => [entry.stixId, entry]));
  for (const change of changes) {
    if (!tacticMove(change, older, newer)) continue;
    tacticMoves.push(entryById.get(change.stixId) ?? (await builder.entry(change)));
  }
  tacticMoves.sort(compareEntries);

  const counts = countChanges(entries);
  return {
    domain,
    from: { domain, version: from.version },
    to: { domain, version: to.version },
    includesUnchanged: includeUnchanged,
    summary: {
      byCategory: counts.byCategory,
      bySection: counts.bySection,
      total: counts.total,
      unchangedOmitted: includeUnchanged ? 0 : changes.length - listed.length,
    },
    entries,
    tacticMoves,
  };
}

/** Assembles entries, sharing relationship lookups between them. */
class EntryBuilder {
  private readonly olderTargets: RelationshipTargets;
  private readonly newerTargets: RelationshipTargets;
  private readonly olderParents: Map<string, ObjectSnapshot>;
  private readonly newerParents: Map<string, ObjectSnapshot>;

  constructor(
    private readonly store: Store,
    private readonly older: ReleaseObjects,
    private readonly newer: ReleaseObjects,
    listed: readonly ObjectChange[],
  ) {
    this.olderParents = techniquesByAttackId(older);
    this.newerParents = techniquesByAttackId(newer);

    // Relationship lookups: sub-techniques whose ATT&CK ID prefix names no technique, and revocations.
    const unresolved = (snapshot: ObjectSnapshot | undefined, parents: Map<string, ObjectSnapshot>) =>
      snapshot?.isSubtechnique === true && !parents.has(attackIdPrefix(snapshot) ?? '');
    const inOlder = listed.filter((change) => change.after === undefined && unresolved(change.before, this.olderParents)).length;
    const inNewer = listed.filter((change) => unresolved(change.after, this.newerParents) || change.category === 'revocations').length;
    this.olderTargets = new RelationshipTargets(store, older.release, inOlder);
    this.newerTargets = new RelationshipTargets(store, newer.release, inNewer);
  }

  async entry(change: ObjectChange): Promise<ChangelogEntry> {
    const { before, after } = change;
    const current = (after ?? before) as ObjectSnapshot;
    const path = objectPath(current);
    const query = `from=${encodeURIComponent(this.older.release.version)}&to=${encodeURIComponent(this.newer.release.version)}`;
    const entry: ChangelogEntry = {
      category: change.category,
      section: change.section,
      stixId: change.stixId,
      type: current.type,
      attackId: current.attackId,
      name: current.name,
      isSubtechnique: current.isSubtechnique,
      oldVersion: before?.version ?? null,
      newVersion: after?.version ?? null,
      oldModified: before?.modified ?? null,
      newModified: after?.modified ?? null,
      path,
      comparePath: `${path}/compare?${query}`,
      parent: current.isSubtechnique ? await this.parent(current, after ? this.newer : this.older) : null,
    };
    if (change.category === 'revocations') entry.replacement = await this.replacement(change.stixId);
    const move = tacticMove(change, this.older, this.newer);
    if (move) entry.tactics = move;
    return entry;
  }

  /**
   * Finds the parent technique: the technique whose ATT&CK ID is the prefix of
   * the sub-technique's (T1234 of T1234.001), else the `subtechnique-of` target.
   * NOTE: the prefix goes first because the Store cannot fetch one release's
   * `subtechnique-of` relationships without loading all of them (about 0.5 s on
   * Enterprise). In every release of the test data the two agree for each
   * sub-technique that has the relationship, and only revoked stubs lack it.
   */
  private async parent(subtechnique: ObjectSnapshot, objects: ReleaseObjects): Promise<ObjectRef | null> {
    const parents = objects === this.newer ? this.newerParents : this.olderParents;
    const byPrefix = parents.get(attackIdPrefix(subtechnique) ?? '');
    if (byPrefix) return objectRef(byPrefix);

    const targets = objects === this.newer ? this.newerTargets : this.olderTargets;
    const targetId = await targets.target(subtechnique.stixId, 'subtechnique-of');
    if (targetId === undefined) return null;
    const byRelationship = objects.all.get(targetId);
    if (byRelationship) return objectRef(byRelationship);
    return { stixId: targetId, attackId: null, name: null, path: objectPath({ stixId: targetId, type: 'attack-pattern', attackId: null }) };
  }

  /** Finds the `revoked-by` target in the newer release and names it from that release, else from any imported one. */
  private async replacement(stixId: string): Promise<ObjectRef | null> {
    const targetId = await this.newerTargets.target(stixId, 'revoked-by');
    if (targetId === undefined) return null;
    const target = this.newer.all.get(targetId) ?? (await this.store.currentSnapshots([targetId])).get(targetId);
    if (target) return objectRef(target);
    return { stixId: targetId, attackId: null, name: null, path: objectPath({ stixId: targetId, type: '', attackId: null }) };
  }
}

/** `T1234` of `T1234.001`; undefined for an object without ATT&CK ID. */
function attackIdPrefix(snapshot: ObjectSnapshot): string | undefined {
  return snapshot.attackId?.split('.')[0];
}

function objectRef(snapshot: ObjectSnapshot): ObjectRef {
  return { stixId: snapshot.stixId, attackId: snapshot.attackId, name: snapshot.name, path: objectPath(snapshot) };
}

/** Top-level techniques of a release by ATT&CK ID, preferring ones that are neither revoked nor deprecated. */
function techniquesByAttackId(objects: ReleaseObjects): Map<string, ObjectSnapshot> {
  const byId = new Map<string, ObjectSnapshot>();
  for (const snapshot of objects.all.values()) {
    if (snapshot.type !== 'attack-pattern' || snapshot.isSubtechnique || !snapshot.attackId) continue;
    const existing = byId.get(snapshot.attackId);
    if (!existing || ((existing.revoked || existing.deprecated) && !snapshot.revoked && !snapshot.deprecated)) byId.set(snapshot.attackId, snapshot);
  }
  return byId;
}

/** Phase names of a technique's `kill_chain_phases`, which are its tactics' `x_mitre_shortname`s, sorted. */
function phaseNames(snapshot: ObjectSnapshot): string[] {
  const names = objectList(parseObject(snapshot), 'kill_chain_phases').flatMap((phase) => stringField(phase, 'phase_name') ?? []);
  return [...new Set(names)].sort();
}

/** Tactics of a technique in both releases when they differ; undefined for other changes. */
function tacticMove(change: ObjectChange, older: ReleaseObjects, newer: ReleaseObjects): TacticMove | undefined {
  const { before, after } = change;
  if (!before || !after || after.type !== 'attack-pattern' || before.contentHash === after.contentHash) return undefined;
  const oldPhases = phaseNames(before);
  const newPhases = phaseNames(after);
  if (oldPhases.join(' ') === newPhases.join(' ')) return undefined;
  return { old: tacticRefs(oldPhases, older), new: tacticRefs(newPhases, newer) };
}

const tacticIndexes = new WeakMap<ReleaseObjects, Map<string, ObjectSnapshot>>();

/** Tactics of a release by `x_mitre_shortname`, preferring the release's own domain. */
function tacticsByShortname(objects: ReleaseObjects): Map<string, ObjectSnapshot> {
  let index = tacticIndexes.get(objects);
  if (!index) {
    index = new Map();
    for (const snapshot of objects.all.values()) {
      if (snapshot.type !== 'x-mitre-tactic') continue;
      const shortname = stringField(parseObject(snapshot), 'x_mitre_shortname');
      if (shortname && (!index.has(shortname) || snapshot.inDomain)) index.set(shortname, snapshot);
    }
    tacticIndexes.set(objects, index);
  }
  return index;
}

function tacticRefs(phases: readonly string[], objects: ReleaseObjects): TacticRef[] {
  const tactics = tacticsByShortname(objects);
  return phases.map((shortname) => {
    const tactic = tactics.get(shortname);
    return { shortname, tactic: tactic ? objectRef(tactic) : null };
  });
}

const CATEGORY_ORDER = new Map<string, number>(CATEGORIES.map((category, index) => [category, index]));
const SECTION_ORDER = new Map<string, number>(SECTIONS.map((section, index) => [section, index]));

/** Key that keeps a sub-technique right after its parent: the parent's ATT&CK ID, or the entry's own. */
function familyKey(entry: ChangelogEntry): string {
  if (entry.isSubtechnique) return entry.parent?.attackId ?? entry.attackId?.split('.')[0] ?? entry.name ?? entry.stixId;
  return entry.attackId ?? entry.name ?? entry.stixId;
}

/** Orders entries by category, section, family (parent technique), then sub-techniques after their parent by ATT&CK ID. */
export function compareEntries(a: ChangelogEntry, b: ChangelogEntry): number {
  const compareText = (left: string, right: string) => left.localeCompare(right, 'en', { numeric: true });
  return (
    (CATEGORY_ORDER.get(a.category) ?? 0) - (CATEGORY_ORDER.get(b.category) ?? 0) ||
    (SECTION_ORDER.get(a.section) ?? 0) - (SECTION_ORDER.get(b.section) ?? 0) ||
    compareText(familyKey(a), familyKey(b)) ||
    Number(a.isSubtechnique) - Number(b.isSubtechnique) ||
    compareText(a.attackId ?? '', b.attackId ?? '') ||
    compareText(a.name ?? '', b.name ?? '') ||
    compareText(a.stixId, b.stixId)
  );
}
