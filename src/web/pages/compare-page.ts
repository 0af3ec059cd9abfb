/**
 * Markup of the comparison pages: the comparison of one object between two
 * releases, the 400 page for an invalid release choice, and the list to pick
 * from when several objects share an ATT&CK ID.
 */
import type { Config } from '../../config.js';
import { compareObjects, releaseName, type RelationshipComparison } from '../../history/compare/index.js';
import type { ObjectSnapshot } from '../../storage/store.js';
import { objectPath, stixPath } from '../links.js';
import { html, type SafeHtml } from '../render/html.js';
import { changeSections } from './compare/field-changes.js';
import { relationshipsSection } from './compare/relationship-changes.js';
import { displayName, statusTags } from './components.js';
import { renderLayout } from './layout.js';
import { parseSnapshot } from './page-context.js';
import { shortHash } from './sections/change-history.js';

/** The object being compared and the path of its comparison page, which links on the page reuse. */
export interface CompareTarget {
  stixId: string;
  basePath: string;
}

export interface SelectionProblem {
  parameter: 'from' | 'to';
  message: string;
}

/** The problems with the query, and the snapshots that are still known. */
export interface InvalidSelection {
  ok: false;
  problems: SelectionProblem[];
  from?: ObjectSnapshot;
  to?: ObjectSnapshot;
}

function describeRelease(snapshot: ObjectSnapshot): string {
  return `${snapshot.release.domain} ${snapshot.release.version}`;
}

function compareHref(basePath: string, from: ObjectSnapshot, to: ObjectSnapshot): string {
  return `${basePath}?from=${encodeURIComponent(releaseName(from))}&to=${encodeURIComponent(releaseName(to))}`;
}

/**
 * Lists every release that contains the object, each linked to a valid
 * comparison: with the valid `to` (or the newest release) when `from` is wrong,
 * else with the valid `from`.
 */
function releaseChoices(target: CompareTarget, history: readonly ObjectSnapshot[], selection: InvalidSelection): SafeHtml {
  const fromIsValid = selection.problems.every((problem) => problem.parameter !== 'from');
  const items = [...history].reverse().map((snapshot) => {
    const href =
      fromIsValid && selection.from
        ? compareHref(target.basePath, selection.from, snapshot)
        : compareHref(target.basePath, snapshot, selection.to ?? snapshot);
    return html`<li><a href="${href}">${describeRelease(snapshot)}</a> <span class="tag">object version ${snapshot.version ?? 'none given'}</span></li>`;
  });
  return html`<p>Releases that contain this object, newest first:</p><ul class="compare-release-choices">${items}</ul>`;
}

export function renderInvalidSelection(config: Config, target: CompareTarget, history: readonly ObjectSnapshot[], selection: InvalidSelection): string {
  const newest = history[history.length - 1];
  const label = newest ? displayName(newest) : target.stixId;
  const body = html`<h1>Cannot compare ${label}</h1>
    ${selection.problems.map((problem) => html`<p class="compare-problem">${problem.message}</p>`)}
    ${releaseChoices(target, history, selection)}`;
  return renderLayout({ title: `Invalid comparison: ${label}`, config, body });
}

function releasePicker(target: CompareTarget, history: readonly ObjectSnapshot[], from: ObjectSnapshot, to: ObjectSnapshot): SafeHtml {
  const options = (selected: ObjectSnapshot) =>
    [...history].reverse().map((snapshot) => {
      const name = releaseName(snapshot);
      return html`<option value="${name}"${name === releaseName(selected) ? html` selected` : ''}>${describeRelease(snapshot)}</option>`;
    });
  return html`<form class="compare-picker" method="get" action="${target.basePath}">
    <label>From <select name="from">${options(from)}</select></label>
    <label>To <select name="to">${options(to)}</select></label>
    <button type="submit">Compare</button>
  </form>`;
}

function releaseTable(from: ObjectSnapshot, to: ObjectSnapshot): SafeHtml {
  const row = (label: string, value: (snapshot: ObjectSnapshot) => SafeHtml | string) =>
    html`<tr><th>${label}</th><td>${value(from)}</td><td>${value(to)}</td></tr>`;
  return html`<table class="compare-releases">
    <thead><tr><th></th><th>From</th><th>To</th></tr></thead>
    <tbody>
      ${row('Release', describeRelease)}
      ${row('Object version', (snapshot) => snapshot.version ?? 'none given')}
      ${row('Modified', (snapshot) => snapshot.modified ?? 'none given')}
      ${row('Status', (snapshot) => (snapshot.revoked || snapshot.deprecated ? statusTags(snapshot) : 'active'))}
      ${row('Content hash', (snapshot) => shortHash(snapshot.contentHash))}
    </tbody>
  </table>`;
}

function noChange(from: ObjectSnapshot, to: ObjectSnapshot): SafeHtml {
  const sameBytes = from.rawHash === to.rawHash;
  const serialization = sameBytes
    ? html`The two releases also contain the same bytes.`
    : html`Only the serialization differs (for example a STIX 2.1 bundle adds <code>spec_version</code> to each object, and key order or spacing can change), so the raw hashes differ.`;
  return html`<section id="no-change" class="page-section compare-no-change">
    <h2>No change</h2>
    <p><strong>No change:</strong> the object's content is the same in both releases. ${serialization}</p>
    <dl class="facts">
      <dt>Content hash (both)</dt><dd><code class="hash">${to.contentHash}</code></dd>
      <dt>Raw hash in ${describeRelease(from)}</dt><dd><code class="hash raw-hash-from">${from.rawHash}</code></dd>
      <dt>Raw hash in ${describeRelease(to)}</dt><dd><code class="hash raw-hash-to">${to.rawHash}</code></dd>
    </dl>
  </section>`;
}

export function renderComparison(
  config: Config,
  target: CompareTarget,
  history: readonly ObjectSnapshot[],
  from: ObjectSnapshot,
  to: ObjectSnapshot,
  relationships: RelationshipComparison,
): string {
  const label = displayName(to);
  // Equal content hashes mean equal canonical JSON without spec_version, so the field comparison would be empty.
  const unchanged = from.contentHash === to.contentHash;
  const objectChanges = unchanged ? noChange(from, to) : changeSections(compareObjects(parseSnapshot(from), parseSnapshot(to)));
  const sameRelease = from.release.id === to.release.id ? html`<p class="note">Both sides are the same release.</p>` : '';
  const crossDomain =
    from.release.domain === to.release.domain
      ? ''
      : html`<p class="note">The two releases belong to different domains. Each domain's bundle has its own relationships, so relationships that only one domain records show as gained or lost.</p>`;

  const body = html`<h1>Compare ${label}</h1>
    <p><a href="${objectPath(to)}">Object page of ${label}</a></p>
    ${releasePicker(target, history, from, to)}
    ${releaseTable(from, to)}
    ${sameRelease}${crossDomain}
    ${objectChanges}
    ${relationshipsSection(relationships)}
    <p class="note">Content hash: SHA-256 of the object's RFC 8785 canonical JSON without <code>spec_version</code>. Relationships are separate STIX objects, so they can change while the object's content hash stays the same.</p>`;
  return renderLayout({ title: `Compare ${label}`, config, body });
}

/** Lists the objects that share an ATT&CK ID, each linked to its comparison by STIX ID. */
export function renderCompareChoice(config: Config, title: string, objects: readonly ObjectSnapshot[], search: string): string {
  const items = objects.map(
    (object) => html`<li><a href="${`${stixPath(object.stixId)}/compare${search}`}">${displayName(object)}</a>${statusTags(object)} <code>${object.stixId}</code></li>`,
  );
  return renderLayout({
    title,
    config,
    body: html`<h1>${title}</h1><p>Several objects have this ATT&amp;CK ID. Choose the one to compare:</p><ul class="results">${items}</ul>`,
  });
}
