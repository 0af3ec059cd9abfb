/** The raw source object, the validation warnings recorded for it, the numbered references and MITRE's attribution. */
import { html, safeUrl, type SafeHtml } from '../../render/html.js';
import { rawPath, releaseKey } from '../../links.js';
import { section } from '../components.js';
import type { PageContext } from '../page-context.js';
import { shortHash } from './change-history.js';

function warningList(context: PageContext): SafeHtml {
  const { warnings } = context.object;
  if (warnings.length === 0) {
    return html`<p>The object passed schema validation against the ATT&amp;CK data model with no warnings.</p>`;
  }
  const items = warnings.map((warning) => html`<li><code>${warning.kind}</code> on <code>${warning.field}</code>: ${warning.message}</li>`);
  const count = warnings.length === 1 ? 'one place' : `${warnings.length} places`;
  return html`<p>The object is kept exactly as MITRE published it. It departs from the ATT&amp;CK data model in ${count},
    as many objects in MITRE's own releases do; none of these stops the object from being used:</p>
    <ul class="warnings">${items}</ul>`;
}

export function renderRawSource(context: PageContext): SafeHtml {
  const { object, release } = context;
  return section(
    'raw-source',
    'Raw source object',
    html`<p><a href="${rawPath(object.stixId, releaseKey(release))}">View the raw STIX object</a>
      exactly as it stands in the ${release.domain} ${release.version} bundle
      (${object.raw.length} bytes, SHA-256 of the bytes ${shortHash(object.rawHash)}).</p>
    <h3>Schema validation</h3>
    ${warningList(context)}`,
  );
}

export function renderReferences(context: PageContext): SafeHtml {
  const entries = context.citations.entries();
  if (entries.length === 0) {
    return section('references', 'References', html`<p class="empty">Nothing on this page cites a source.</p>`);
  }
  const items = entries.map((entry) => {
    const url = safeUrl(entry.url);
    // A URL with another scheme (javascript:, data:) is shown as text, never linked.
    let link = entry.url ? html`<br><code>${entry.url}</code>` : html``;
    if (url) link = html`<br><a href="${url}" rel="noopener noreferrer">${url}</a>`;
    return html`<li id="ref-${entry.number}" value="${entry.number}">
      <strong>${entry.sourceName}</strong>${entry.description ? html`. ${entry.description}` : ''}${link}
    </li>`;
  });
  return section('references', 'References', html`<ol class="references">${items}</ol>`);
}

export function renderAttribution(): SafeHtml {
  return section(
    'attribution',
    'Attribution and license',
    html`<p>MITRE ATT&amp;CK&reg; content on this page is &copy; The MITRE Corporation. It is reproduced and distributed
      with the permission of The MITRE Corporation under the
      <a href="https://attack.mitre.org/resources/legal-and-branding/terms-of-use/" rel="noopener noreferrer">ATT&amp;CK terms of use</a>.
      MITRE ATT&amp;CK and ATT&amp;CK are registered trademarks of The MITRE Corporation.</p>`,
  );
}
