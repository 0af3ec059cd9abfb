/** Which release the page shows, the newest release holding the object, and links to the object in every release that holds it. */
import { html, type SafeHtml } from '../../render/html.js';
import { objectPath, pinnedPath } from '../../links.js';
import type { PageContext } from '../page-context.js';

export function renderReleaseSwitcher(context: PageContext): SafeHtml {
  const { object, history, release } = context;
  const latest = history[history.length - 1];
  const isLatest = latest === undefined || latest.release.id === release.id;
  const latestNote = isLatest
    ? html`the newest imported release that contains this object`
    : html`the newest release that contains it is <a href="${objectPath(object)}">${latest.release.domain} ${latest.release.version}</a>`;
  const links = history.map((entry) =>
    entry.release.id === release.id
      ? html`<li aria-current="page"><strong>${entry.release.domain} ${entry.release.version}</strong></li>`
      : html`<li><a href="${pinnedPath(entry, entry.release)}">${entry.release.domain} ${entry.release.version}</a></li>`,
  );
  return html`<nav class="release-switcher" aria-label="Releases of this object">
    <p>Showing <strong>${release.domain} ${release.version}</strong>: ${latestNote}.</p>
    <ul>${links}</ul>
  </nav>`;
}
