/**
 * Techniques of a tactic: the release's techniques with a kill-chain phase
 * named after the tactic's `x_mitre_shortname`. Shared by tactic and matrix pages.
 */
import { stringField } from '../../../domain/stix-object.js';
import type { ObjectSnapshot } from '../../../storage/store.js';
import { parseSnapshot, type PageContext } from '../page-context.js';
import { isActive } from './snapshot-status.js';
import { compareSnapshots } from './tables.js';

export interface TacticTechniques {
  /** Active techniques and sub-techniques, sorted by ATT&CK ID so that each sub-technique follows its parent. */
  active: ObjectSnapshot[];
  /** Revoked or deprecated techniques left out. */
  inactiveCount: number;
}

export function tacticShortname(tactic: ObjectSnapshot): string | undefined {
  return stringField(parseSnapshot(tactic), 'x_mitre_shortname');
}

export async function techniquesInPhase(context: PageContext, shortname: string): Promise<TacticTechniques> {
  const all = await context.store.objectsInPhase(context.release.id, shortname, ['attack-pattern']);
  const active = all.filter(isActive).sort(compareSnapshots);
  return { active, inactiveCount: all.length - active.length };
}

/**
 * ATT&CK ID of a sub-technique's parent. Sub-technique IDs are the parent's
 * ID with a three-digit suffix (T1059.001 under T1059), so no relationship
 * lookup is needed.
 */
export function parentAttackId(technique: ObjectSnapshot): string | undefined {
  if (!technique.isSubtechnique || technique.attackId === null) return undefined;
  const dot = technique.attackId.indexOf('.');
  return dot === -1 ? undefined : technique.attackId.slice(0, dot);
}
