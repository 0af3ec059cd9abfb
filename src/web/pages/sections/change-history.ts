/** The current snapshot and the object in every imported release that contains it. */
import type { ObjectSnapshot } from '../../../storage/store.js';
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

/** A shortened hash whose full value is in its title and in a copyable hidden span. */
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

function historyRow(entry: ObjectSnapshot, shown: ObjectSnapshot): SafeHtml {
  const isShown = entry.release.id === shown.release.id;
  return html`<tr${isShown ? html` class="shown"` : ''}>
    <td>${releaseLabel(entry)}${isShown ? ' (shown)' : ''}</td>
    <td>${entry.release.importedAt}</td>
    <td>${entry.version ?? ''}</td>
    <td>${entry.modified ?? ''}</td>
    <td>${objectStatus(entry)}</td>
    <td>${shortHash(entry.contentHash)}</td>
  </tr>`;
}

export function renderChangeHistory(context: PageContext): SafeHtml {
  const rows = context.history.map((entry) => historyRow(entry, context.object));
  return section(
    'history',
    'Change history',
    html`${currentSnapshot(context)}
    <table class="history">
      <thead><tr><th>Release</th><th>Imported</th><th>Object version</th><th>Modified</th><th>Status</th><th>Content hash</th></tr></thead>
      <tbody>${rows}</tbody>
    </table>
    <p class="note">Content hash: SHA-256 of the object's RFC 8785 canonical JSON without <code>spec_version</code>, so the same object in a STIX 2.0 and a STIX 2.1 bundle has the same hash.</p>`,
  );
}
