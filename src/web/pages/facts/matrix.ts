/**
 * A matrix (`x-mitre-matrix`), drawn as attack.mitre.org draws it: its tactics
 * in `tactic_refs` order, one column each with its count of techniques, the
 * tactic's active techniques sorted by name, and each technique's
 * sub-techniques in a `<details>` element that opens without JavaScript.
 */
import { stringList } from '../../../domain/stix-object.js';
import { html, type SafeHtml } from '../../render/html.js';
import { objectLink, section } from '../components.js';
import { buildMatrixModel, countTechniques, type MatrixColumn, type MatrixModel, type MatrixTechnique } from '../matrix/matrix-model.js';
import { attachedMatrixView, type MatrixView } from '../matrix/matrix-view.js';
import type { PageContext } from '../page-context.js';
import { emptyNote } from './tables.js';

function plural(count: number, singular: string, pluralForm: string): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

function techniqueLink(entry: MatrixTechnique): SafeHtml {
  return objectLink(entry.technique, entry.technique.stixId, true, true);
}

function matrixCell(technique: MatrixTechnique | undefined): SafeHtml {
  if (technique === undefined) return html`<td></td>`;
  const subs = technique.subTechniques;
  if (subs.length === 0) return html`<td>${techniqueLink(technique)}</td>`;
  return html`<td>${techniqueLink(technique)}<details class="matrix-subs">
      <summary>${plural(subs.length, 'sub-technique', 'sub-techniques')}</summary>
      <ul>${subs.map((sub) => html`<li>${techniqueLink(sub)}</li>`)}</ul>
    </details></td>`;
}

function columnHeader(column: MatrixColumn): SafeHtml {
  const count = column.techniques.length;
  return html`<th scope="col">${objectLink(column.tactic, column.tacticId, column.tacticInRelease, true)}<br><span class="sub-count">${plural(count, 'technique', 'techniques')}</span></th>`;
}

function matrixTable(model: MatrixModel): SafeHtml {
  const rowCount = Math.max(0, ...model.columns.map((column) => column.techniques.length));
  const rows = Array.from({ length: rowCount }, (_, row) => html`<tr>${model.columns.map((column) => matrixCell(column.techniques[row]))}</tr>`);
  return html`<div class="matrix-scroll"><table class="matrix">
      <thead><tr>${model.columns.map(columnHeader)}</tr></thead>
      <tbody>${rows}</tbody>
    </table></div>`;
}

function platformForm(view: MatrixView): SafeHtml {
  const options = view.full.platforms.map(
    (platform) => html`<option value="${platform}"${platform === view.platform ? html` selected` : ''}>${platform}</option>`,
  );
  return html`<form class="matrix-filter" method="get" action="${view.path}">
    <label for="matrix-platform">Platform</label>
    <select id="matrix-platform" name="platform">
      <option value=""${view.platform === undefined ? html` selected` : ''}>All platforms</option>
      ${options}
    </select>
    <button type="submit">Filter</button>
  </form>`;
}

/** Renders the sentence stating what the matrix shows: every platform, or the active filter with its counts and a link that removes it. */
function filterSummary(view: MatrixView | undefined, model: MatrixModel): SafeHtml {
  const shown = countTechniques(model);
  const counts = `${plural(shown.techniques, 'technique', 'techniques')} and ${plural(shown.subTechniques, 'sub-technique', 'sub-techniques')}`;
  if (view?.platform === undefined) {
    return html`<p class="matrix-summary">Showing ${counts} for all platforms. Revoked and deprecated techniques are left out.</p>`;
  }
  const total = countTechniques(view.full);
  return html`<p class="matrix-summary matrix-filter-active">Filtered by platform <strong>${view.platform}</strong>:
    showing ${counts} of ${total.techniques} and ${total.subTechniques}.
    A technique without the platform stays when one of its sub-techniques names it.
    <a href="${view.path}">Show all platforms</a></p>`;
}

export async function renderMatrixFacts(context: PageContext): Promise<SafeHtml> {
  if (stringList(context.json, 'tactic_refs').length === 0) return section('matrix', 'Matrix', emptyNote('This matrix lists no tactics.'));
  const view = attachedMatrixView(context);
  // Routes without the platform filter (a matrix under /objects/ or /releases/) show the whole matrix and no form.
  const model = view?.shown ?? (await buildMatrixModel(context));
  return section('matrix', 'Matrix', html`${view === undefined ? '' : platformForm(view)}${filterSummary(view, model)}${matrixTable(model)}`);
}
