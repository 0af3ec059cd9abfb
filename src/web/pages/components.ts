/** Building blocks shared by the sections of object pages. */
import { externalReferences, stringField } from '../../domain/stix-object.js';
import { DOMAIN_LABELS, isDomain, typeLabel } from '../../domain/object-types.js';
import type { ObjectSnapshot } from '../../storage/store.js';
import { html, type HtmlValue, type SafeHtml } from '../render/html.js';
import { renderInlineText } from '../render/markdown.js';
import { objectPath, stixPath } from '../links.js';
import { parseSnapshot, type PageContext, type RelationshipView } from './page-context.js';

export function section(id: string, title: string, body: HtmlValue): SafeHtml {
  return html`<section id="${id}" class="page-section"><h2>${title}</h2>${body}</section>`;
}

export function statusTags(object: Pick<ObjectSnapshot, 'deprecated' | 'revoked'>): SafeHtml {
  return html`${object.revoked ? html` <span class="tag tag-revoked">revoked</span>` : ''}${
    object.deprecated ? html` <span class="tag tag-deprecated">deprecated</span>` : ''
  }`;
}

/** Display name `ID: Name` of an object, or its name alone when it has no ATT&CK ID. */
export function displayName(object: Pick<ObjectSnapshot, 'attackId' | 'name' | 'stixId'>): string {
  if (object.attackId && object.name) return `${object.attackId}: ${object.name}`;
  return object.name ?? object.attackId ?? object.stixId;
}

/** Renders a link to an object's page, or the plain STIX ID when no imported release contains the object. */
export function objectLink(object: ObjectSnapshot | undefined, stixId: string, inRelease = true, nameOnly = false): SafeHtml {
  if (!object) return html`<code>${stixId}</code> <span class="tag tag-missing">not in any imported release</span>`;
  const outside = inRelease ? '' : html` <span class="tag tag-missing">not in this release</span>`;
  const label = nameOnly ? (object.name ?? displayName(object)) : displayName(object);
  return html`<a href="${objectPath(object)}">${label}</a>${statusTags(object)}${outside}`;
}

export function stixLink(stixId: string): SafeHtml {
  return html`<a href="${stixPath(stixId)}"><code>${stixId}</code></a>`;
}

/** Renders a relationship's description with its citations, which resolve against the relationship's own references. */
export function relationshipDescription(context: PageContext, view: RelationshipView): SafeHtml {
  const text = stringField(view.json, 'description') ?? '';
  return renderInlineText(text, externalReferences(view.json), context.citations);
}

export interface RelatedTableOptions {
  /** Header of the name column, such as "Mitigation". */
  nameLabel: string;
  /** Header of the description column; no description column when absent. */
  descriptionLabel?: string;
  /** Message shown when there is nothing to list. */
  empty: string;
}

function compareByAttackId(a: RelationshipView, b: RelationshipView): number {
  const left = a.other?.attackId ?? a.other?.name ?? a.otherId;
  const right = b.other?.attackId ?? b.other?.name ?? b.otherId;
  return left.localeCompare(right, 'en', { numeric: true });
}

/** Returns whether the relationships come from releases of more than one domain, so that tables need a Domain column. */
export function spansDomains(views: readonly RelationshipView[]): boolean {
  return new Set(views.flatMap((view) => [view.relationship.release, ...view.alsoIn].map((release) => release.domain))).size > 1;
}

/** Renders the domains of the releases a relationship comes from, such as "Enterprise, Mobile". */
export function domainCell(view: RelationshipView): SafeHtml {
  const domains = [view.relationship.release, ...view.alsoIn].map((release) => release.domain);
  return html`<td>${domains.map((domain) => (isDomain(domain) ? DOMAIN_LABELS[domain] : domain)).join(', ')}</td>`;
}

/** Renders a table of related objects, one row per relationship, sorted by ATT&CK ID. */
export function relatedTable(context: PageContext, views: readonly RelationshipView[], options: RelatedTableOptions): SafeHtml {
  if (views.length === 0) return html`<p class="empty">${options.empty}</p>`;
  const withDomain = spansDomains(views);
  const rows = [...views].sort(compareByAttackId).map(
    (view) => html`<tr>
      ${withDomain ? domainCell(view) : ''}
      <td>${view.other?.attackId ?? ''}</td>
      <td>${objectLink(view.other, view.otherId, view.otherInRelease, true)}</td>
      ${options.descriptionLabel === undefined ? '' : html`<td>${relationshipDescription(context, view)}</td>`}
    </tr>`,
  );
  return html`<table class="related">
    <thead><tr>${withDomain ? html`<th>Domain</th>` : ''}<th>ID</th><th>${options.nameLabel}</th>${
      options.descriptionLabel === undefined ? '' : html`<th>${options.descriptionLabel}</th>`
    }</tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

/** Renders a table of objects found without a relationship, for example through an embedded reference. */
export function objectTable(objects: readonly ObjectSnapshot[], nameLabel: string, empty: string): SafeHtml {
  if (objects.length === 0) return html`<p class="empty">${empty}</p>`;
  const sorted = [...objects].sort((a, b) => (a.attackId ?? a.name ?? '').localeCompare(b.attackId ?? b.name ?? '', 'en', { numeric: true }));
  const rows = sorted.map(
    (object) => html`<tr><td>${object.attackId ?? ''}</td><td>${objectLink(object, object.stixId, true, true)}</td><td>${typeLabel(object.type, object.isSubtechnique)}</td></tr>`,
  );
  return html`<table class="related"><thead><tr><th>ID</th><th>${nameLabel}</th><th>Type</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export type Fact = readonly [label: string, value: HtmlValue];

/** Renders a definition list of facts, leaving out those whose value is empty. */
export function factList(facts: readonly Fact[]): SafeHtml {
  const present = facts.filter(([, value]) => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0));
  if (present.length === 0) return html``;
  return html`<dl class="facts">${present.map(([label, value]) => html`<dt>${label}</dt><dd>${value}</dd>`)}</dl>`;
}

/** Joins plain strings with commas. */
export function commaList(values: readonly string[]): string {
  return values.join(', ');
}

export { parseSnapshot };
