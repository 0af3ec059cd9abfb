/**
 * Comparison pages: `/techniques/T1059/compare?from=15.1&to=18.1`,
 * `/techniques/T1059/001/compare` and `/objects/<stix-id>/compare` show what
 * changed in one object between two releases that contain it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { isStixId } from '../../domain/ids.js';
import { pageKindForSegment } from '../../domain/object-types.js';
import { canonicalJson } from '../../import/canonical-json.js';
import type { StixObject } from '../../domain/stix-object.js';
import {
  compareObjects,
  compareRelationships,
  defaultPair,
  findSnapshot,
  relationshipEnds,
  releaseName,
  type FieldChange,
  type JsonChange,
  type ListChange,
  type ObjectComparison,
  type OtherObject,
  type ReferencesChange,
  type RelationshipComparison,
  type RelationshipDelta,
  type ScalarChange,
  type TextChange,
} from '../../history/compare/index.js';
import type { ObjectSnapshot, Store } from '../../storage/store.js';
import { objectPath, stixPath } from '../links.js';
import { displayName, section, statusTags } from '../pages/components.js';
import { renderLayout } from '../pages/layout.js';
import { parseSnapshot } from '../pages/page-context.js';
import { shortHash } from '../pages/sections/change-history.js';
import { renderNotFound } from '../pages/simple-pages.js';
import { html, safeUrl, type SafeHtml } from '../render/html.js';
import { ATTACK_ID_PATTERN } from './object-routes.js';

const HTML = 'text/html; charset=utf-8';

interface CompareQuery {
  from?: string | string[];
  to?: string | string[];
}

/** The object being compared and the path of its comparison page, which links on the page reuse. */
interface CompareTarget {
  stixId: string;
  basePath: string;
}

// ---------------------------------------------------------------------------
// Choosing the two releases

interface SelectionProblem {
  parameter: 'from' | 'to';
  message: string;
}

/** Either the two snapshots to compare, or the problems with the query and the snapshots that are still known. */
type Selection =
  | { ok: true; from: ObjectSnapshot; to: ObjectSnapshot }
  | { ok: false; problems: SelectionProblem[]; from?: ObjectSnapshot; to?: ObjectSnapshot };

function describeRelease(snapshot: ObjectSnapshot): string {
  return `${snapshot.release.domain} ${snapshot.release.version}`;
}

/** Finds the snapshot that one query parameter names, or returns the problem with it. */
function selectSide(
  history: readonly ObjectSnapshot[],
  name: 'from' | 'to',
  value: string | string[] | undefined,
  label: string,
): { snapshot: ObjectSnapshot; problem?: undefined } | { snapshot?: undefined; problem: SelectionProblem } {
  const problem = (message: string) => ({ problem: { parameter: name, message } });
  if (Array.isArray(value)) return problem(`The "${name}" parameter is given ${value.length} times. Give it once.`);
  if (value === undefined || value.trim() === '') {
    return problem(`The "${name}" parameter is missing. Give both "from" and "to", or neither to compare the two newest releases.`);
  }
  const snapshot = findSnapshot(history, value);
  if (snapshot) return { snapshot };
  return problem(
    `No release named "${value}" contains ${label}. Give "${name}" as a version such as 18.1 or as <domain>-<version> such as enterprise-attack-18.1, from the releases listed below.`,
  );
}

function selectReleases(history: readonly ObjectSnapshot[], query: CompareQuery, label: string): Selection {
  const pair = defaultPair(history);
  if (query.from === undefined && query.to === undefined) {
    // The route only builds a comparison for objects with a non-empty history.
    if (pair) return { ok: true, ...pair };
    return { ok: false, problems: [{ parameter: 'from', message: `No imported release contains ${label}.` }] };
  }

  const from = selectSide(history, 'from', query.from, label);
  const to = selectSide(history, 'to', query.to, label);
  if (from.snapshot && to.snapshot) return { ok: true, from: from.snapshot, to: to.snapshot };
  const problems = [from.problem, to.problem].filter((problem): problem is SelectionProblem => problem !== undefined);
  return { ok: false, problems, from: from.snapshot ?? pair?.from, to: to.snapshot ?? pair?.to };
}

function compareHref(basePath: string, from: ObjectSnapshot, to: ObjectSnapshot): string {
  return `${basePath}?from=${encodeURIComponent(releaseName(from))}&to=${encodeURIComponent(releaseName(to))}`;
}

/**
 * Lists every release that contains the object, each linked to a valid
 * comparison: with the valid `to` (or the newest release) when `from` is wrong,
 * else with the valid `from`.
 */
function releaseChoices(target: CompareTarget, history: readonly ObjectSnapshot[], selection: Extract<Selection, { ok: false }>): SafeHtml {
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

function renderInvalidSelection(config: Config, target: CompareTarget, history: readonly ObjectSnapshot[], selection: Extract<Selection, { ok: false }>): string {
  const newest = history[history.length - 1];
  const label = newest ? displayName(newest) : target.stixId;
  const body = html`<h1>Cannot compare ${label}</h1>
    ${selection.problems.map((problem) => html`<p class="compare-problem">${problem.message}</p>`)}
    ${releaseChoices(target, history, selection)}`;
  return renderLayout({ title: `Invalid comparison: ${label}`, config, body });
}

// ---------------------------------------------------------------------------
// Relationships

/** Loads relationships of the object in both releases and resolves each other end, in its own release first. */
async function loadRelationshipComparison(store: Store, stixId: string, from: ObjectSnapshot, to: ObjectSnapshot): Promise<RelationshipComparison> {
  const [fromRelationships, toRelationships] = await Promise.all([
    store.relationshipsOf(stixId, from.release.id),
    store.relationshipsOf(stixId, to.release.id),
  ]);
  const fromEnds = relationshipEnds(stixId, fromRelationships);
  const toEnds = relationshipEnds(stixId, toRelationships);

  const [inFrom, inTo] = await Promise.all([
    store.objectsIn(from.release.id, fromEnds.map((end) => end.otherId)),
    store.objectsIn(to.release.id, toEnds.map((end) => end.otherId)),
  ]);
  const unresolved = [...fromEnds.filter((end) => !inFrom.has(end.otherId)), ...toEnds.filter((end) => !inTo.has(end.otherId))];
  const elsewhere = unresolved.length > 0 ? await store.currentSnapshots(unresolved.map((end) => end.otherId)) : new Map<string, ObjectSnapshot>();

  return compareRelationships(fromEnds, toEnds, (otherId, side) => (side === 'from' ? inFrom : inTo).get(otherId) ?? elsewhere.get(otherId));
}

// ---------------------------------------------------------------------------
// Page sections

const ABSENT = html`<span class="compare-absent">(absent)</span>`;

function statusNote(change: FieldChange): SafeHtml | string {
  if (change.status === 'added') return html` <span class="tag compare-field-added">field added</span>`;
  if (change.status === 'removed') return html` <span class="tag compare-field-removed">field removed</span>`;
  return '';
}

function scalarValue(value: unknown): SafeHtml | string {
  if (value === undefined) return ABSENT;
  return typeof value === 'string' ? value : canonicalJson(value);
}

function jsonValue(value: string | undefined): SafeHtml {
  if (value === undefined) return ABSENT;
  return html`<pre class="compare-json">${JSON.stringify(JSON.parse(value), null, 2)}</pre>`;
}

function fieldRow(change: ScalarChange | JsonChange): SafeHtml {
  const [from, to] = change.kind === 'scalar' ? [scalarValue(change.from), scalarValue(change.to)] : [jsonValue(change.from), jsonValue(change.to)];
  return html`<tr><td><code>${change.field}</code>${statusNote(change)}</td><td>${from}</td><td>${to}</td></tr>`;
}

function fieldsSection(changes: readonly (ScalarChange | JsonChange)[]): SafeHtml {
  const body =
    changes.length === 0
      ? html`<p class="empty">No other field changed.</p>`
      : html`<table class="compare-fields">
          <thead><tr><th>Field</th><th>From</th><th>To</th></tr></thead>
          <tbody>${changes.map(fieldRow)}</tbody>
        </table>`;
  return section('fields', 'Fields changed', body);
}

function listLabel(field: string): SafeHtml {
  return field === 'kill_chain_phases' ? html`<code>kill_chain_phases</code> (tactics, as kill_chain_name:phase_name)` : html`<code>${field}</code>`;
}

function listChange(change: ListChange): SafeHtml {
  const added = change.added.map((item) => html`<li class="compare-item-added"><ins>${item}</ins></li>`);
  const removed = change.removed.map((item) => html`<li class="compare-item-removed"><del>${item}</del></li>`);
  const order = change.reordered ? html`<p class="note">Same items in a different order.</p>` : '';
  const empty = !change.reordered && added.length === 0 && removed.length === 0 ? html`<p class="note">The list is empty.</p>` : '';
  return html`<div class="compare-list" data-field="${change.field}">
    <h3>${listLabel(change.field)}${statusNote(change)}</h3>
    ${added.length > 0 ? html`<p>Added:</p><ul class="compare-added">${added}</ul>` : ''}
    ${removed.length > 0 ? html`<p>Removed:</p><ul class="compare-removed">${removed}</ul>` : ''}
    ${order}${empty}
  </div>`;
}

function listsSection(changes: readonly ListChange[]): SafeHtml {
  const body = changes.length === 0 ? html`<p class="empty">No list changed.</p>` : changes.map(listChange);
  return section('lists', 'Lists', body);
}

/** Renders a word diff as escaped text with `<ins>` and `<del>`, so HTML in the source text shows as typed. */
function textDiff(change: TextChange): SafeHtml {
  const parts = change.parts.map((part) => {
    if (part.change === 'added') return html`<ins>${part.text}</ins>`;
    if (part.change === 'removed') return html`<del>${part.text}</del>`;
    return part.text;
  });
  return html`<div class="compare-text" data-field="${change.field}">
    <h3><code>${change.field}</code>${statusNote(change)}</h3>
    <div class="text-diff">${parts}</div>
  </div>`;
}

function textSection(changes: readonly TextChange[]): SafeHtml {
  const body = changes.length === 0 ? html`<p class="empty">The description did not change.</p>` : changes.map(textDiff);
  return section('description', 'Description', body);
}

function referenceItem(reference: StixObject): SafeHtml {
  const text = (key: string) => (typeof reference[key] === 'string' ? (reference[key] as string) : undefined);
  const url = text('url');
  const href = safeUrl(url);
  const externalId = text('external_id');
  const description = text('description');
  return html`<strong>${text('source_name') ?? '(no source name)'}</strong>${externalId ? html` <code>${externalId}</code>` : ''}${
    description ? html`: ${description}` : ''
  }${url ? html` ${href ? html`<a href="${href}" rel="noopener noreferrer">${url}</a>` : html`<code>${url}</code>`}` : ''}`;
}

function referencesSection(change: ReferencesChange | undefined): SafeHtml {
  if (!change) return section('references-changed', 'External references', html`<p class="empty">No reference was added or removed.</p>`);
  const added = change.added.map((reference) => html`<li class="compare-item-added">${referenceItem(reference)}</li>`);
  const removed = change.removed.map((reference) => html`<li class="compare-item-removed">${referenceItem(reference)}</li>`);
  const changed = change.changed.map(
    (pair) => html`<li>${referenceItem(pair.to)}<br>from <code>${canonicalJson(pair.from)}</code><br>to <code>${canonicalJson(pair.to)}</code></li>`,
  );
  const order =
    added.length === 0 && removed.length === 0 && changed.length === 0
      ? html`<p class="note">The same references in a different order.</p>`
      : '';
  return section(
    'references-changed',
    'External references',
    html`${statusNote(change)}
    <h3>Added (${added.length})</h3>${added.length > 0 ? html`<ul class="compare-added">${added}</ul>` : html`<p class="empty">None.</p>`}
    <h3>Removed (${removed.length})</h3>${removed.length > 0 ? html`<ul class="compare-removed">${removed}</ul>` : html`<p class="empty">None.</p>`}
    ${changed.length > 0 ? html`<h3>Changed (${changed.length})</h3><p class="note">Same source name, URL and description; other fields differ.</p><ul>${changed}</ul>` : ''}
    ${order}`,
  );
}

function otherLink(other: OtherObject | undefined, otherId: string): SafeHtml {
  if (!other) return html`<code>${otherId}</code> <span class="tag tag-missing">not in any imported release</span>`;
  return html`<a href="${objectPath(other)}">${other.name ?? displayName(other)}</a>`;
}

/** Reads the relationship from the compared object's side: "this uses" for outgoing, "uses this" for incoming. */
function relationshipPhrase(delta: RelationshipDelta): string {
  return delta.direction === 'outgoing' ? `this ${delta.relationshipType}` : `${delta.relationshipType} this`;
}

function relationshipTable(deltas: readonly RelationshipDelta[], empty: string, rowClass: string): SafeHtml {
  if (deltas.length === 0) return html`<p class="empty">${empty}</p>`;
  const rows = deltas.map(
    (delta) => html`<tr class="${rowClass}">
      <td>${relationshipPhrase(delta)}</td>
      <td>${delta.other?.attackId ?? ''}</td>
      <td>${otherLink(delta.other, delta.otherId)}</td>
    </tr>`,
  );
  return html`<table class="related compare-relationships">
    <thead><tr><th>Relationship</th><th>ID</th><th>Object</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

function relationshipsSection(comparison: RelationshipComparison): SafeHtml {
  const recreated =
    comparison.recreated.length > 0
      ? html`<p class="note">${comparison.recreated.length} relationship(s) were re-created under a new STIX ID with the same type and other object, and count as neither gained nor lost.</p>`
      : '';
  return section(
    'relationships-changed',
    'Relationships',
    html`<h3>Gained (${comparison.gained.length})</h3>
    ${relationshipTable(comparison.gained, 'No relationship gained.', 'compare-gained')}
    <h3>Lost (${comparison.lost.length})</h3>
    ${relationshipTable(comparison.lost, 'No relationship lost.', 'compare-lost')}
    ${recreated}
    <p class="note">${comparison.matchedById} relationship(s) have the same STIX ID in both releases.</p>`,
  );
}

// ---------------------------------------------------------------------------
// The page

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

function changeSections(comparison: ObjectComparison): SafeHtml {
  const fields = comparison.changes.filter((change): change is ScalarChange | JsonChange => change.kind === 'scalar' || change.kind === 'json');
  const lists = comparison.changes.filter((change): change is ListChange => change.kind === 'list');
  const texts = comparison.changes.filter((change): change is TextChange => change.kind === 'text');
  // Description first, then other prose fields in name order.
  texts.sort((a, b) => Number(b.field === 'description') - Number(a.field === 'description') || a.field.localeCompare(b.field));
  const references = comparison.changes.find((change): change is ReferencesChange => change.kind === 'references');
  return html`${fieldsSection(fields)}${listsSection(lists)}${textSection(texts)}${referencesSection(references)}`;
}

async function renderComparison(store: Store, config: Config, target: CompareTarget, history: readonly ObjectSnapshot[], from: ObjectSnapshot, to: ObjectSnapshot): Promise<string> {
  const label = displayName(to);
  // Equal content hashes mean equal canonical JSON without spec_version, so the field comparison would be empty.
  const unchanged = from.contentHash === to.contentHash;
  const objectChanges = unchanged ? noChange(from, to) : changeSections(compareObjects(parseSnapshot(from), parseSnapshot(to)));
  const relationships = await loadRelationshipComparison(store, target.stixId, from, to);
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

async function sendComparison(store: Store, config: Config, reply: FastifyReply, target: CompareTarget, query: CompareQuery): Promise<FastifyReply> {
  const history = await store.history(target.stixId);
  const newest = history[history.length - 1];
  if (!newest) {
    return reply.code(404).type(HTML).send(renderNotFound(config, `No imported release contains an object with STIX ID ${target.stixId}.`, target.stixId));
  }
  const selection = selectReleases(history, query, displayName(newest));
  if (!selection.ok) return reply.code(400).type(HTML).send(renderInvalidSelection(config, target, history, selection));
  return reply.type(HTML).send(await renderComparison(store, config, target, history, selection.from, selection.to));
}

// ---------------------------------------------------------------------------
// Routes

function splitUrl(url: string): { path: string; search: string } {
  const index = url.indexOf('?');
  return index === -1 ? { path: url, search: '' } : { path: url.slice(0, index), search: url.slice(index) };
}

/** Lists the objects that share an ATT&CK ID, each linked to its comparison by STIX ID. */
function renderCompareChoice(config: Config, title: string, objects: readonly ObjectSnapshot[], search: string): string {
  const items = objects.map(
    (object) => html`<li><a href="${`${stixPath(object.stixId)}/compare${search}`}">${displayName(object)}</a>${statusTags(object)} <code>${object.stixId}</code></li>`,
  );
  return renderLayout({
    title,
    config,
    body: html`<h1>${title}</h1><p>Several objects have this ATT&amp;CK ID. Choose the one to compare:</p><ul class="results">${items}</ul>`,
  });
}

export function registerCompareRoute(app: FastifyInstance, store: Store, config: Config): void {
  app.get<{ Params: { stixId: string }; Querystring: CompareQuery }>('/objects/:stixId/compare', async (request, reply) => {
    const { stixId } = request.params;
    if (!isStixId(stixId)) {
      return reply.code(404).type(HTML).send(renderNotFound(config, `"${stixId}" is not a STIX ID; expected <type>--<UUID>.`, stixId));
    }
    return sendComparison(store, config, reply, { stixId, basePath: `${stixPath(stixId)}/compare` }, request.query);
  });

  const byAttackId = async (segment: string, id: string, url: string, query: CompareQuery, reply: FastifyReply): Promise<FastifyReply> => {
    const kind = pageKindForSegment(segment);
    if (!kind) {
      reply.callNotFound();
      return reply;
    }
    const attackId = id.toUpperCase();
    if (!ATTACK_ID_PATTERN.test(attackId)) {
      return reply.code(404).type(HTML).send(renderNotFound(config, `"${id}" is not an ATT&CK ID.`, id));
    }
    const objects = await store.findByAttackId(attackId, kind.types);
    const only = objects[0];
    const { path, search } = splitUrl(url);
    if (!only) {
      return reply
        .code(404)
        .type(HTML)
        .send(renderNotFound(config, `No ${kind.label.toLowerCase()} with ATT&CK ID ${attackId} is in any imported release.`, attackId));
    }
    if (objects.length > 1) return reply.type(HTML).send(renderCompareChoice(config, `Compare ${kind.plural}: ${attackId}`, objects, search));

    // Lower-case IDs and the dotted form /techniques/T1059.001/compare lead to the one canonical address.
    const basePath = `${objectPath(only)}/compare`;
    if (basePath !== path) return reply.redirect(`${basePath}${search}`, 301);
    return sendComparison(store, config, reply, { stixId: only.stixId, basePath }, query);
  };

  app.get<{ Params: { segment: string; id: string }; Querystring: CompareQuery }>('/:segment/:id/compare', async (request, reply) =>
    byAttackId(request.params.segment, request.params.id, request.url, request.query, reply),
  );
  app.get<{ Params: { segment: string; id: string; sub: string }; Querystring: CompareQuery }>('/:segment/:id/:sub/compare', async (request, reply) =>
    byAttackId(request.params.segment, `${request.params.id}.${request.params.sub}`, request.url, request.query, reply),
  );
}
