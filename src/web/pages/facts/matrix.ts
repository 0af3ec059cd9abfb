/**
 * A matrix (`x-mitre-matrix`): its tactics in `tactic_refs` order, one column
 * each, listing the active techniques of the tactic with their count of active
 * sub-techniques in that tactic.
 */
import { stringList } from '../../../domain/stix-object.js';
import type { ObjectSnapshot } from '../../../storage/store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { objectLink, section } from '../components.js';
import type { PageContext } from '../page-context.js';
import { resolveObjects, resolvedLink, resolvedSnapshot } from './resolve.js';
import { parentAttackId, tacticShortname, techniquesInPhase } from './tactic-techniques.js';
import { emptyNote } from './tables.js';

interface MatrixColumn {
  header: SafeHtml;
  techniques: ObjectSnapshot[];
  subCounts: Map<string, number>;
}

function countSubTechniques(active: readonly ObjectSnapshot[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const technique of active) {
    const parentId = parentAttackId(technique);
    if (parentId !== undefined) counts.set(parentId, (counts.get(parentId) ?? 0) + 1);
  }
  return counts;
}

/** Orders a tactic's techniques by name, as ATT&CK's published matrices do. */
function compareNames(a: ObjectSnapshot, b: ObjectSnapshot): number {
  return (a.name ?? a.stixId).localeCompare(b.name ?? b.stixId, 'en');
}

/** Loads one column of the matrix. A tactic without a shortname, or missing from every release, gets an empty column. */
async function matrixColumn(context: PageContext, header: SafeHtml, tactic: ObjectSnapshot | undefined): Promise<MatrixColumn> {
  const shortname = tactic === undefined ? undefined : tacticShortname(tactic);
  if (shortname === undefined) return { header, techniques: [], subCounts: new Map() };
  const { active } = await techniquesInPhase(context, shortname);
  return {
    header,
    techniques: active.filter((technique) => !technique.isSubtechnique).sort(compareNames),
    subCounts: countSubTechniques(active),
  };
}

function matrixCell(column: MatrixColumn, row: number): SafeHtml {
  const technique = column.techniques[row];
  if (technique === undefined) return html`<td></td>`;
  const subCount = technique.attackId === null ? 0 : (column.subCounts.get(technique.attackId) ?? 0);
  return html`<td>${objectLink(technique, technique.stixId)}${subCount > 0 ? html` <span class="sub-count">(${subCount})</span>` : ''}</td>`;
}

function matrixTable(columns: readonly MatrixColumn[]): SafeHtml {
  const rowCount = Math.max(0, ...columns.map((column) => column.techniques.length));
  const rows = Array.from({ length: rowCount }, (_, row) => html`<tr>${columns.map((column) => matrixCell(column, row))}</tr>`);
  return html`<p class="note">Numbers in brackets count a technique's sub-techniques in that tactic. Revoked and deprecated techniques are left out.</p>
    <div class="matrix-scroll"><table class="matrix">
      <thead><tr>${columns.map((column) => html`<th>${column.header}<br><span class="sub-count">${column.techniques.length} techniques</span></th>`)}</tr></thead>
      <tbody>${rows}</tbody>
    </table></div>`;
}

export async function renderMatrixFacts(context: PageContext): Promise<SafeHtml> {
  const tacticIds = stringList(context.json, 'tactic_refs');
  if (tacticIds.length === 0) return section('matrix', 'Matrix', emptyNote('This matrix lists no tactics.'));
  const resolved = await resolveObjects(context, tacticIds);
  const columns: MatrixColumn[] = [];
  for (const tacticId of tacticIds) {
    columns.push(await matrixColumn(context, resolvedLink(resolved, tacticId), resolvedSnapshot(resolved, tacticId)));
  }
  return section('matrix', 'Matrix', matrixTable(columns));
}
