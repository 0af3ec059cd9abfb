/**
 * Tactics of a technique. A technique names its tactics only through
 * `kill_chain_phases`, whose `phase_name` equals the `x_mitre_shortname` of a
 * tactic of the same domain, so the release's tactics are looked up by shortname.
 */
import { objectList, stringField } from '../../../domain/stix-object.js';
import type { ObjectSnapshot } from '../../../storage/store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { objectLink } from '../components.js';
import type { PageContext } from '../page-context.js';
import { isActive } from './snapshot-status.js';
import { tacticShortname } from './tactic-techniques.js';

/** Tactics of the page's release by shortname; where two share a shortname, an active one wins. */
async function tacticsByShortname(context: PageContext): Promise<Map<string, ObjectSnapshot>> {
  const tactics = await context.store.objectsOfType(context.release.id, ['x-mitre-tactic']);
  const byShortname = new Map<string, ObjectSnapshot>();
  for (const tactic of tactics) {
    const shortname = tacticShortname(tactic);
    if (shortname === undefined) continue;
    const current = byShortname.get(shortname);
    if (current === undefined || (!isActive(current) && isActive(tactic))) byShortname.set(shortname, tactic);
  }
  return byShortname;
}

function phaseNames(context: PageContext): string[] {
  const names = objectList(context.json, 'kill_chain_phases').map((phase) => stringField(phase, 'phase_name'));
  return [...new Set(names.filter((name): name is string => name !== undefined))];
}

/** Links to the technique's tactics in `kill_chain_phases` order; a phase without a tactic is shown by name. */
export async function tacticLinks(context: PageContext): Promise<SafeHtml[]> {
  const phases = phaseNames(context);
  if (phases.length === 0) return [];
  const byShortname = await tacticsByShortname(context);
  return phases.map((phase) => {
    const tactic = byShortname.get(phase);
    if (tactic) return objectLink(tactic, tactic.stixId);
    return html`<code>${phase}</code> <span class="tag tag-missing">no tactic with this shortname in this release</span>`;
  });
}
