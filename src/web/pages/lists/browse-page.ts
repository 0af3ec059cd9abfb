/** The index of every list page and of the imported domains' matrices (`/browse`). */
import type { Config } from '../../../config.js';
import { DOMAIN_LABELS, PAGE_KINDS, type Domain } from '../../../domain/object-types.js';
import type { ReleaseInfo } from '../../../storage/store.js';
import { matrixPath } from '../../links.js';
import { html } from '../../render/html.js';
import { renderLayout } from '../layout.js';

export function renderBrowsePage(config: Config, newest: readonly ReleaseInfo[]): string {
  const matrices =
    newest.length === 0
      ? html`<p class="empty">No ATT&amp;CK release has been imported yet, so there is no matrix to show.</p>`
      : html`<ul class="browse-list">${newest.map(
          (release) =>
            html`<li><a href="${matrixPath(release.domain)}">${DOMAIN_LABELS[release.domain as Domain] ?? release.domain} matrix</a> <span class="note">(release ${release.version})</span></li>`,
        )}</ul>`;
  const lists = PAGE_KINDS.map((kind) => html`<li><a href="/${kind.segment}">${kind.plural}</a></li>`);
  return renderLayout({
    title: 'Browse',
    config,
    body: html`<h1>Browse the library</h1>
      <section class="page-section" id="matrices"><h2>Matrices</h2>${matrices}</section>
      <section class="page-section" id="lists"><h2>Lists</h2><ul class="browse-list">${lists}</ul></section>`,
  });
}
