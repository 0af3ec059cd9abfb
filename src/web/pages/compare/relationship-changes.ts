/** The comparison page's section on relationships gained and lost between the two releases. */
import type { OtherObject, RelationshipComparison, RelationshipDelta } from '../../../history/compare/index.js';
import { objectPath } from '../../links.js';
import { html, type SafeHtml } from '../../render/html.js';
import { displayName, section } from '../components.js';

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

export function relationshipsSection(comparison: RelationshipComparison): SafeHtml {
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
