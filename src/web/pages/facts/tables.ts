/** Plain tables and lists for type facts, each with a sentence in place of an empty table. */
import type { ObjectSnapshot } from '../../../storage/store.js';
import { html, joinHtml, type HtmlValue, type SafeHtml } from '../../render/html.js';
import { objectLink } from '../components.js';

export function emptyNote(text: string): SafeHtml {
  return html`<p class="empty">${text}</p>`;
}

/** Renders a table with one header per column, or the sentence `empty` when there are no rows. */
export function simpleTable(headers: readonly string[], rows: readonly (readonly HtmlValue[])[], empty: string): SafeHtml {
  if (rows.length === 0) return emptyNote(empty);
  return html`<table class="related">
    <thead><tr>${headers.map((header) => html`<th>${header}</th>`)}</tr></thead>
    <tbody>${rows.map((cells) => html`<tr>${cells.map((cell) => html`<td>${cell}</td>`)}</tr>`)}</tbody>
  </table>`;
}

/** Orders snapshots by ATT&CK ID, comparing digit runs as numbers so T1059.002 sorts before T1059.010. */
export function compareSnapshots(a: ObjectSnapshot, b: ObjectSnapshot): number {
  const left = a.attackId ?? a.name ?? a.stixId;
  const right = b.attackId ?? b.name ?? b.stixId;
  return left.localeCompare(right, 'en', { numeric: true });
}

/** Renders a table of objects of the page's release with ID and linked name, sorted by ATT&CK ID. */
export function idNameTable(objects: readonly ObjectSnapshot[], nameLabel: string, empty: string): SafeHtml {
  const rows = [...objects].sort(compareSnapshots).map((object) => [object.attackId ?? '', objectLink(object, object.stixId, true, true)]);
  return simpleTable(['ID', nameLabel], rows, empty);
}

/** Joins markup with commas; returns undefined for no parts so that `factList` leaves the fact out. */
export function commaJoined(parts: readonly SafeHtml[]): SafeHtml | undefined {
  return parts.length === 0 ? undefined : joinHtml(parts, ', ');
}

/** Renders a bulleted list, or returns undefined for no items. */
export function bulletList(items: readonly HtmlValue[]): SafeHtml | undefined {
  return items.length === 0 ? undefined : html`<ul class="plain">${items.map((item) => html`<li>${item}</li>`)}</ul>`;
}
