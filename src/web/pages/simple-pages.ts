/** Pages that are not object pages: home, not found, disambiguation, search results, errors. */
import type { Config } from '../../config.js';
import { DOMAIN_LABELS, isDomain, typeLabel } from '../../domain/object-types.js';
import type { ObjectSnapshot, ReleaseInfo } from '../../storage/store.js';
import { html, type SafeHtml } from '../render/html.js';
import { matrixPath, objectPath, searchPath } from '../links.js';
import { displayName, statusTags } from './components.js';
import { renderLayout } from './layout.js';

export interface ReleaseSummary {
  release: ReleaseInfo;
  objectsByType: Record<string, number>;
}

/** Types counted on the home page, in the order attack.mitre.org lists them. */
const COUNTED_TYPES = [
  'attack-pattern',
  'x-mitre-tactic',
  'course-of-action',
  'intrusion-set',
  'malware',
  'tool',
  'campaign',
  'x-mitre-data-source',
  'x-mitre-data-component',
  'x-mitre-detection-strategy',
  'x-mitre-analytic',
  'x-mitre-asset',
  'relationship',
];

function domainLabel(domain: string): string {
  return isDomain(domain) ? DOMAIN_LABELS[domain] : domain;
}

function releaseTable(domain: string, summaries: readonly ReleaseSummary[]): SafeHtml {
  const types = COUNTED_TYPES.filter((type) => summaries.some((summary) => (summary.objectsByType[type] ?? 0) > 0));
  const rows = [...summaries].reverse().map(
    ({ release, objectsByType }) => html`<tr>
      <td>${release.version}</td><td>${release.objectCount}</td>
      ${types.map((type) => html`<td>${objectsByType[type] ?? 0}</td>`)}
      <td>${release.importedAt}</td>
    </tr>`,
  );
  return html`<section class="page-section" id="${domain}">
    <h2>${domainLabel(domain)} (<code>${domain}</code>)</h2>
    <p><a href="${matrixPath(domain)}">${domainLabel(domain)} matrix</a></p>
    <div class="matrix" tabindex="0" role="region" aria-label="${domainLabel(domain)} releases"><table class="release-list">
      <thead><tr><th>Release</th><th>Objects</th>${types.map((type) => html`<th>${typeLabel(type)}</th>`)}<th>Imported</th></tr></thead>
      <tbody>${rows}</tbody>
    </table></div>
  </section>`;
}

export function renderHome(config: Config, summaries: readonly ReleaseSummary[]): string {
  const domains = [...new Set(summaries.map((summary) => summary.release.domain))];
  const body =
    summaries.length === 0
      ? html`<h1>No ATT&amp;CK release imported yet</h1>
        <p>Import one with <code>npx glexia import &lt;index.json | bundle.json&gt;</code>, then reload this page.</p>`
      : html`<h1>ATT&amp;CK releases in this library</h1>
        ${domains.map((domain) => releaseTable(domain, summaries.filter((summary) => summary.release.domain === domain)))}`;
  return renderLayout({ title: 'Releases', config, body });
}

export function renderNotFound(config: Config, message: string, query: string | undefined): string {
  const offer = query
    ? html`<p><a href="${searchPath(query)}">Search the library for \u201c${query}\u201d</a></p>`
    : html`<p><a href="/">Go to the list of releases</a></p>`;
  return renderLayout({ title: 'Not found', config, query, body: html`<h1>Not found</h1><p>${message}</p>${offer}` });
}

export function renderError(config: Config, status: number, message: string): string {
  return renderLayout({ title: `Error ${status}`, config, body: html`<h1>Error ${status}</h1><p>${message}</p>` });
}

/**
 * Renders the page for a form sent without a valid session, such as after the session expired.
 * Text the user typed into the form's `body` field is shown read-only, so it can be copied before signing in again.
 */
export function renderSignInRequired(config: Config, signInHref: string, unsavedText: string | undefined): string {
  const unsaved =
    unsavedText === undefined || unsavedText.trim() === ''
      ? ''
      : html`<h2>Your unsaved text</h2>
          <p>The form was not saved. Copy the text before you leave this page, then paste it into the form again after signing in.</p>
          <label for="unsaved-text">Text of the form</label>
          <textarea id="unsaved-text" rows="14" readonly>${unsavedText}</textarea>`;
  return renderLayout({
    title: 'Sign in again',
    config,
    body: html`<h1>Sign in again</h1>
      <p>This action needs a signed-in user, and the request carried no valid session: it may have expired, you may have signed out
        in another tab, or an admin may have changed your account.</p>
      <p><a href="${signInHref}">Sign in</a> to continue.</p>
      ${unsaved}`,
  });
}

function resultList(objects: readonly ObjectSnapshot[]): SafeHtml {
  const items = objects.map(
    (object) => html`<li><a href="${objectPath(object)}">${displayName(object)}</a>
      <span class="tag">${typeLabel(object.type, object.isSubtechnique)}</span>${statusTags(object)}
      <span class="tag">${object.release.domain} ${object.release.version}</span></li>`,
  );
  return html`<ul class="results">${items}</ul>`;
}

export function renderChoice(config: Config, title: string, objects: readonly ObjectSnapshot[]): string {
  return renderLayout({
    title,
    config,
    body: html`<h1>${title}</h1><p>Several objects have this ATT&amp;CK ID. Choose one:</p>${resultList(objects)}`,
  });
}
