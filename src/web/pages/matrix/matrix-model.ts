/**
 * The data of a matrix page: one column per tactic in `tactic_refs` order,
 * each listing the tactic's active techniques by name with their active
 * sub-techniques in that tactic, and the platforms those techniques name.
 */
import { objectList, stringField, stringList } from '../../../domain/stix-object.js';
import type { ObjectSnapshot } from '../../../storage/store.js';
import { resolveObjects, resolvedSnapshot } from '../facts/resolve.js';
import { isActive } from '../facts/snapshot-status.js';
import { parentAttackId, tacticShortname } from '../facts/tactic-techniques.js';
import { parseSnapshot, type PageContext } from '../page-context.js';

export interface MatrixTechnique {
  technique: ObjectSnapshot;
  /** `x_mitre_platforms` of the technique. */
  platforms: readonly string[];
  /** Active sub-techniques that share the column's tactic, sorted by name. */
  subTechniques: MatrixTechnique[];
}

export interface MatrixColumn {
  tacticId: string;
  /** The tactic in the page's release, else its newest version elsewhere, else undefined. */
  tactic: ObjectSnapshot | undefined;
  tacticInRelease: boolean;
  /** Active techniques (not sub-techniques) of the tactic, sorted by name. */
  techniques: MatrixTechnique[];
}

export interface MatrixModel {
  columns: MatrixColumn[];
  /** Platforms named by any technique or sub-technique of the columns, sorted alphabetically. */
  platforms: string[];
}

/** Orders techniques by name, as ATT&CK's published matrices do. */
function compareNames(a: MatrixTechnique, b: MatrixTechnique): number {
  const byName = (a.technique.name ?? '').localeCompare(b.technique.name ?? '', 'en');
  return byName !== 0 ? byName : (a.technique.attackId ?? a.technique.stixId).localeCompare(b.technique.attackId ?? b.technique.stixId, 'en', { numeric: true });
}

/** Phase names of a technique's `kill_chain_phases`, each once. */
function phaseNames(technique: ObjectSnapshot): Set<string> {
  const names = new Set<string>();
  for (const phase of objectList(parseSnapshot(technique), 'kill_chain_phases')) {
    const name = stringField(phase, 'phase_name');
    if (name !== undefined) names.add(name);
  }
  return names;
}

/**
 * Groups the release's active techniques by phase name. The page loads all
 * techniques in one query, so a technique in several tactics is loaded and
 * parsed once instead of once per tactic.
 */
function activeTechniquesByPhase(techniques: readonly ObjectSnapshot[]): Map<string, MatrixTechnique[]> {
  const byPhase = new Map<string, MatrixTechnique[]>();
  for (const technique of techniques) {
    if (!isActive(technique)) continue;
    const entry: MatrixTechnique = { technique, platforms: stringList(parseSnapshot(technique), 'x_mitre_platforms'), subTechniques: [] };
    for (const phase of phaseNames(technique)) {
      const list = byPhase.get(phase) ?? [];
      list.push(entry);
      byPhase.set(phase, list);
    }
  }
  return byPhase;
}

/**
 * Builds the techniques of one tactic: parents sorted by name, each with its
 * sub-techniques of the same tactic. A sub-technique is placed by its ID's
 * prefix (T1059.001 under T1059).
 */
function columnTechniques(entries: readonly MatrixTechnique[]): MatrixTechnique[] {
  const parents = new Map<string, MatrixTechnique>();
  const techniques: MatrixTechnique[] = [];
  for (const entry of entries) {
    if (entry.technique.isSubtechnique) continue;
    // Copies keep the sub-technique lists of a technique in several tactics apart.
    const copy: MatrixTechnique = { ...entry, subTechniques: [] };
    techniques.push(copy);
    if (entry.technique.attackId !== null) parents.set(entry.technique.attackId, copy);
  }
  for (const entry of entries) {
    const parentId = parentAttackId(entry.technique);
    if (parentId === undefined) continue;
    // A sub-technique whose parent lacks this tactic is left out (Enterprise 18.1 has no such sub-technique).
    parents.get(parentId)?.subTechniques.push(entry);
  }
  for (const technique of techniques) technique.subTechniques.sort(compareNames);
  return techniques.sort(compareNames);
}

function platformsOf(columns: readonly MatrixColumn[]): string[] {
  const platforms = new Set<string>();
  for (const column of columns) {
    for (const technique of column.techniques) {
      for (const platform of technique.platforms) platforms.add(platform);
      for (const sub of technique.subTechniques) for (const platform of sub.platforms) platforms.add(platform);
    }
  }
  return [...platforms].sort((a, b) => a.localeCompare(b, 'en'));
}

/** Loads the matrix of the page's object (an `x-mitre-matrix`) from the page's release. */
export async function buildMatrixModel(context: PageContext): Promise<MatrixModel> {
  const tacticIds = stringList(context.json, 'tactic_refs');
  const [resolved, techniques] = await Promise.all([
    resolveObjects(context, tacticIds),
    context.store.objectsOfType(context.release.id, ['attack-pattern']),
  ]);
  const byPhase = activeTechniquesByPhase(techniques);

  const columns = tacticIds.map((tacticId): MatrixColumn => {
    const tactic = resolvedSnapshot(resolved, tacticId);
    const shortname = tactic === undefined ? undefined : tacticShortname(tactic);
    const entries = shortname === undefined ? [] : (byPhase.get(shortname) ?? []);
    return { tacticId, tactic, tacticInRelease: resolved.inRelease.has(tacticId), techniques: columnTechniques(entries) };
  });
  return { columns, platforms: platformsOf(columns) };
}

function hasPlatform(technique: MatrixTechnique, platform: string): boolean {
  return technique.platforms.includes(platform);
}

/**
 * Keeps the techniques and sub-techniques that name the platform. A technique
 * without the platform stays when one of its sub-techniques names it, because
 * MITRE's data does not always repeat a sub-technique's platforms on the
 * parent (Enterprise 18.1: T1059.009 names SaaS, T1059 does not).
 */
export function filterByPlatform(model: MatrixModel, platform: string): MatrixModel {
  const columns = model.columns.map((column) => ({
    ...column,
    techniques: column.techniques.flatMap((technique) => {
      const subTechniques = technique.subTechniques.filter((sub) => hasPlatform(sub, platform));
      return hasPlatform(technique, platform) || subTechniques.length > 0 ? [{ ...technique, subTechniques }] : [];
    }),
  }));
  return { columns, platforms: model.platforms };
}

/** Counts the distinct techniques and sub-techniques in the model's cells; one in several tactics counts once. */
export function countTechniques(model: MatrixModel): { techniques: number; subTechniques: number } {
  const techniques = new Set<string>();
  const subTechniques = new Set<string>();
  for (const column of model.columns) {
    for (const technique of column.techniques) {
      techniques.add(technique.technique.stixId);
      for (const sub of technique.subTechniques) subTechniques.add(sub.technique.stixId);
    }
  }
  return { techniques: techniques.size, subTechniques: subTechniques.size };
}
