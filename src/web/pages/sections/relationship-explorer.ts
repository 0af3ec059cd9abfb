/**
 * Every relationship of the object in the page's release, and for objects in several domains in each
 * other domain's newest release, grouped by relationship type and direction, then by the other object's type.
 */
import { typeLabel } from '../../../domain/object-types.js';
import { html, type SafeHtml } from '../../render/html.js';
import { stixPath } from '../../links.js';
import { domainCell, objectLink, relationshipDescription, section, spansDomains } from '../components.js';
import type { PageContext, RelationshipView } from '../page-context.js';

/** Groups larger than this start closed so that a page like T1059 stays readable. */
const OPEN_GROUP_LIMIT = 25;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return new Map([...groups.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function otherTypeLabel(view: RelationshipView): string {
  if (!view.other) return 'Not in any imported release';
  return typeLabel(view.other.type, view.other.isSubtechnique);
}

function relationshipRows(context: PageContext, views: readonly RelationshipView[]): SafeHtml {
  const withDomain = spansDomains(context.relationships);
  const rows = views.map(
    (view) => html`<tr>
      ${withDomain ? domainCell(view) : ''}
      <td>${objectLink(view.other, view.otherId, view.otherInRelease)}</td>
      <td>${relationshipDescription(context, view)}</td>
      <td><a href="${stixPath(view.relationship.stixId)}">details</a></td>
    </tr>`,
  );
  return html`<table><thead><tr>${withDomain ? html`<th>Domain</th>` : ''}<th>Object</th><th>Description</th><th>Relationship</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Readable headings for ATT&CK's relationship types, seen from the page's object: [as source, as target]. */
const DIRECTION_LABELS: Record<string, readonly [string, string]> = {
  uses: ['Uses', 'Used by'],
  mitigates: ['Mitigates', 'Mitigated by'],
  detects: ['Detects', 'Detected by'],
  'subtechnique-of': ['Sub-technique of', 'Sub-techniques'],
  'revoked-by': ['Revoked by (replaced by)', 'Replaces these revoked objects'],
  'attributed-to': ['Attributed to', 'Attributed to this object'],
  targets: ['Targets', 'Targeted by'],
};

function directionLabel(relationshipType: string, direction: RelationshipView['direction']): string {
  const labels = DIRECTION_LABELS[relationshipType];
  const outgoing = direction === 'outgoing';
  if (labels) return `${outgoing ? labels[0] : labels[1]} (${relationshipType})`;
  return outgoing ? `This object ${relationshipType} \u2192` : `\u2190 ${relationshipType} this object`;
}

/** Names the releases the relationships come from, such as "enterprise-attack 18.1 and mobile-attack 18.1". */
function sourceReleases(relationships: readonly RelationshipView[]): string {
  const releases = relationships.flatMap((view) => [view.relationship.release, ...view.alsoIn]);
  const names = [...new Set(releases.map((release) => `${release.domain} ${release.version}`))];
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function renderRelationshipExplorer(context: PageContext): SafeHtml {
  const { relationships, release } = context;
  if (relationships.length === 0) {
    return section(
      'relationships',
      'Relationships',
      html`<p class="empty">This object has no relationships in ${release.domain} ${release.version}.</p>`,
    );
  }

  const groups = groupBy(relationships, (view) => `${view.relationshipType}\u0000${view.direction}`);
  const blocks = [...groups.values()].map((views) => {
    const first = views[0] as RelationshipView;
    const byType = groupBy(views, otherTypeLabel);
    const details = [...byType.entries()].map(
      ([label, typed]) => html`<details ${typed.length <= OPEN_GROUP_LIMIT ? html`open` : ''}>
        <summary>${label} (${typed.length})</summary>
        ${relationshipRows(context, typed)}
      </details>`,
    );
    return html`<h3>${directionLabel(first.relationshipType, first.direction)} (${views.length})</h3>${details}`;
  });

  return section(
    'relationships',
    'Relationships',
    html`<div class="explorer"><p>${relationships.length} ${relationships.length === 1 ? 'relationship' : 'relationships'} in ${sourceReleases(relationships)}.</p>${blocks}</div>`,
  );
}
