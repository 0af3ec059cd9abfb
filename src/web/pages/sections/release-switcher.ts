/** Which release the page shows, the newest release holding the object, and links to the object in every release that holds it. */
import { compareVersions } from '../../../domain/versions.js';
import type { ObjectSnapshot } from '../../../storage/store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { objectPath, pinnedPath } from '../../links.js';
import type { PageContext } from '../page-context.js';

const DOMAIN_ORDER = ['enterprise-attack', 'mobile-attack', 'ics-attack'];

/** The newest release holding the object; among releases of the same version, the shown domain, then Enterprise, Mobile, ICS. */
function newestEntry(history: readonly ObjectSnapshot[], shownDomain: string): ObjectSnapshot | undefined {
  const rank = (domain: string) => (domain === shownDomain ? -1 : DOMAIN_ORDER.indexOf(domain));
  return [...history].sort(
    (a, b) => compareVersions(b.release.version, a.release.version) || rank(a.release.domain) - rank(b.release.domain),
  )[0];
}

export function renderReleaseSwitcher(context: PageContext): SafeHtml {
  const { object, history, release } = context;
  const latest = newestEntry(history, release.domain);
  const isLatest = latest === undefined || compareVersions(latest.release.version, release.version) <= 0;
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
