/** Sections of the comparison page that show how the object's own fields, lists, prose and external references changed. */
import { canonicalJson } from '../../../import/canonical-json.js';
import type { StixObject } from '../../../domain/stix-object.js';
import type {
  FieldChange,
  JsonChange,
  ListChange,
  ObjectComparison,
  ReferencesChange,
  ScalarChange,
  TextChange,
} from '../../../history/compare/index.js';
import { html, safeUrl, type SafeHtml } from '../../render/html.js';
import { section } from '../components.js';

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

export function changeSections(comparison: ObjectComparison): SafeHtml {
  const fields = comparison.changes.filter((change): change is ScalarChange | JsonChange => change.kind === 'scalar' || change.kind === 'json');
  const lists = comparison.changes.filter((change): change is ListChange => change.kind === 'list');
  const texts = comparison.changes.filter((change): change is TextChange => change.kind === 'text');
  // Description first, then other prose fields in name order.
  texts.sort((a, b) => Number(b.field === 'description') - Number(a.field === 'description') || a.field.localeCompare(b.field));
  const references = comparison.changes.find((change): change is ReferencesChange => change.kind === 'references');
  return html`${fieldsSection(fields)}${listsSection(lists)}${textSection(texts)}${referencesSection(references)}`;
}
