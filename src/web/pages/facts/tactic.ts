/** Facts and techniques of a tactic (`x-mitre-tactic`). */
import type { ObjectSnapshot } from '../../../storage/store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { objectLink, section } from '../components.js';
import type { PageContext } from '../page-context.js';
import { factsSection } from './fact-list.js';
import { parentAttackId, tacticShortname, techniquesInPhase, type TacticTechniques } from './tactic-techniques.js';
import { emptyNote } from './tables.js';

/** Marks a sub-technique whose parent is not listed, since its row then follows an unrelated technique. */
function orphanTag(technique: ObjectSnapshot, listedIds: ReadonlySet<string>): SafeHtml | string {
  const parentId = parentAttackId(technique);
  if (parentId === undefined || listedIds.has(parentId)) return '';
  return html` <span class="tag">sub-technique of ${parentId}, which is not in this tactic</span>`;
}

function techniqueRow(technique: ObjectSnapshot, listedIds: ReadonlySet<string>): SafeHtml {
  const link = objectLink(technique, technique.stixId);
  if (technique.isSubtechnique) {
    return html`<tr class="subtechnique"><td>${technique.attackId ?? ''}</td><td>${link}${orphanTag(technique, listedIds)}</td></tr>`;
  }
  return html`<tr><td>${technique.attackId ?? ''}</td><td>${link}</td></tr>`;
}

function leftOutNote(inactiveCount: number): SafeHtml {
  if (inactiveCount === 0) return html``;
  const noun = inactiveCount === 1 ? 'technique is' : 'techniques are';
  return html`<p class="note">${inactiveCount} revoked or deprecated ${noun} left out.</p>`;
}

function techniqueTable(techniques: TacticTechniques): SafeHtml {
  const { active, inactiveCount } = techniques;
  if (active.length === 0) {
    return html`${emptyNote('No active techniques are in this tactic in this release.')}${leftOutNote(inactiveCount)}`;
  }
  const subCount = active.filter((technique) => technique.isSubtechnique).length;
  const listedIds = new Set(active.flatMap((technique) => technique.attackId ?? []));
  return html`<p class="note">${active.length - subCount} techniques and ${subCount} sub-techniques.</p>
    ${leftOutNote(inactiveCount)}
    <table class="related tactic-techniques">
      <thead><tr><th>ID</th><th>Technique</th></tr></thead>
      <tbody>${active.map((technique) => techniqueRow(technique, listedIds))}</tbody>
    </table>`;
}

export async function renderTacticFacts(context: PageContext): Promise<SafeHtml> {
  const shortname = tacticShortname(context.object);
  const facts = factsSection([['Short name', shortname === undefined ? undefined : html`<code>${shortname}</code>`]]);
  if (shortname === undefined) {
    return html`${facts}${section('techniques', 'Techniques', emptyNote('This tactic has no shortname, so no technique can name it.'))}`;
  }
  const techniques = await techniquesInPhase(context, shortname);
  return html`${facts}${section('techniques', 'Techniques', techniqueTable(techniques))}`;
}
