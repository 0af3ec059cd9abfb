/** The current snapshot and the object in every imported release that contains it. */
import { compareVersions } from '../../../domain/versions.js';
import type { ObjectSnapshot, ReleaseInfo } from '../../../storage/store.js';
import { comparePath, pinnedPath, releaseKey } from '../../links.js';
import { html, type SafeHtml } from '../../render/html.js';
import { section } from '../components.js';
import type { PageContext } from '../page-context.js';

const SHORT_HASH_LENGTH = 12;

export function objectStatus(object: Pick<ObjectSnapshot, 'deprecated' | 'revoked'>): string {
  if (object.revoked && object.deprecated) return 'revoked, deprecated';
  if (object.revoked) return 'revoked';
  if (object.deprecated) return 'deprecated';
  return 'active';
}

/** Renders a shortened hash, with the full value in its title and in a hidden span that copying includes. */
export function shortHash(hash: string): SafeHtml {
  return html`<code class="hash" title="${hash}">${hash.slice(0, SHORT_HASH_LENGTH)}<span class="visually-hidden">${hash.slice(SHORT_HASH_LENGTH)}</span></code>`;
}

function releaseLabel(object: ObjectSnapshot): string {
  return `${object.release.domain} ${object.release.version}`;
}

function currentSnapshot(context: PageContext): SafeHtml {
  const { object } = context;
  return html`<dl class="facts current-snapshot">
    <dt>Release shown</dt><dd>${releaseLabel(object)}</dd>
    <dt>Object version</dt><dd>${object.version ?? 'none given'}</dd>
    <dt>Created</dt><dd>${object.created ?? 'none given'}</dd>
    <dt>Modified</dt><dd>${object.modified ?? 'none given'}</dd>
    <dt>Content hash</dt><dd>${shortHash(object.contentHash)} <details class="full-hash"><summary>full SHA-256</summary><code>${object.contentHash}</code></details></dd>
  </dl>`;
}

/** Returns why the object is missing from a release of one of its domains. */
function absenceReason(release: ReleaseInfo, history: readonly ObjectSnapshot[]): string {
  const inDomain = history.filter((entry) => entry.release.domain === release.domain);
  const first = inDomain[0];
  const last = inDomain[inDomain.length - 1];
  if (first && compareVersions(release.version, first.release.version) < 0) {
    return `not in this release: added later, in ${first.release.version}`;
  }
  if (last && compareVersions(release.version, last.release.version) > 0) {
    const elsewhere = history.find(
      (entry) => entry.release.domain !== release.domain && compareVersions(entry.release.version, release.version) >= 0,
    );
    if (elsewhere) return `not in this release: found in ${elsewhere.release.domain} ${elsewhere.release.version} instead`;
    return `not in this release: removed after ${last.release.version}`;
  }
  return 'not in this release';
}

interface HistoryRow {
  release: ReleaseInfo;
  entry: ObjectSnapshot | undefined;
}

/** Every imported release of the object's domains, in version order, with the object or without it. */
function historyRows(context: PageContext): HistoryRow[] {
  const domains = new Set(context.history.map((entry) => entry.release.domain));
  return context.releases
    .filter((release) => domains.has(release.domain))
    .sort((a, b) => compareVersions(a.version, b.version) || a.domain.localeCompare(b.domain))
    .map((release) => ({ release, entry: context.history.find((entry) => entry.release.id === release.id) }));
}

function historyRow(context: PageContext, row: HistoryRow, previous: ObjectSnapshot | undefined): SafeHtml {
  const { release, entry } = row;
  const label = `${release.domain} ${release.version}`;
  if (!entry) {
    return html`<tr class="absent"><td>${label}</td><td>${release.importedAt}</td><td colspan="5">${absenceReason(release, context.history)}</td></tr>`;
  }
  const isShown = release.id === context.object.release.id;
  const compare = previous
    ? html`<a href="${comparePath(entry, releaseKey(previous.release), releaseKey(release))}">compare with ${previous.release.version}</a>`
    : '';
  return html`<tr${isShown ? html` class="shown"` : ''}>
    <td><a href="${pinnedPath(entry, release)}">${label}</a>${isShown ? ' (shown)' : ''}</td>
    <td>${release.importedAt}</td>
    <td>${entry.version ?? ''}</td>
    <td>${entry.modified ?? ''}</td>
    <td>${objectStatus(entry)}</td>
    <td>${shortHash(entry.contentHash)}</td>
    <td>${compare}</td>
  </tr>`;
}

export function renderChangeHistory(context: PageContext): SafeHtml {
  // Each row compares with the previous release of its own domain: a group in Enterprise and Mobile
  // has different relationships in each, so a cross-domain comparison would report false changes.
  const previousByDomain = new Map<string, ObjectSnapshot>();
  const rows = historyRows(context).map((row) => {
    const rendered = historyRow(context, row, previousByDomain.get(row.release.domain));
    if (row.entry) previousByDomain.set(row.release.domain, row.entry);
    return rendered;
  });
  return section(
    'history',
    'Change history',
    html`${currentSnapshot(context)}
    <table class="history">
      <thead><tr><th>Release</th><th>Imported into this library</th><th>Object version</th><th>Modified</th><th>Status</th><th>Content hash</th><th>Changes</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
    <p class="note">Content hash: SHA-256 of the object's RFC 8785 canonical JSON without <code>spec_version</code>, so the same object in a STIX 2.0 and a STIX 2.1 bundle has the same hash.</p>`,
  );
}
