/** Relationships of the page's object selected for a facts table. */
import { stixIdType } from '../../../domain/ids.js';
import { html, type SafeHtml } from '../../render/html.js';
import { relatedTable, section, type RelatedTableOptions } from '../components.js';
import type { PageContext, RelationshipView } from '../page-context.js';

export interface RelatedSelection {
  /** Relationships to list. */
  shown: RelationshipView[];
  /** Matching relationships left out because they count as deprecated or revoked (see `isDeprecatedRelationship`). */
  hiddenCount: number;
}

/**
 * Type of the object at the other end. An object missing from every imported
 * release has no snapshot, so its type comes from its STIX ID (`type--uuid`),
 * which keeps it in the table with a "not in any imported release" tag.
 */
function otherType(view: RelationshipView): string | undefined {
  return view.other?.type ?? stixIdType(view.otherId);
}

/**
 * Tells whether a relationship counts as deprecated or revoked. MITRE's
 * mitreattack-python guide ("Working with deprecated and revoked objects")
 * treats a relationship as deprecated or revoked when an object it connects is,
 * and recommends leaving such relationships out. Some relationships also carry
 * the flags themselves: Mobile 14.1 has 336 marked `x_mitre_deprecated`. Only
 * the other end is checked, so a deprecated object's page still lists its own
 * relationships.
 */
function isDeprecatedRelationship(view: RelationshipView): boolean {
  const { relationship, other } = view;
  return relationship.deprecated || relationship.revoked || other?.deprecated === true || other?.revoked === true;
}

/** Selects relationships of one type and direction whose other end has one of `otherTypes`, leaving out deprecated ones. */
export function selectRelated(
  context: PageContext,
  relationshipType: string,
  direction: RelationshipView['direction'],
  otherTypes: readonly string[],
): RelatedSelection {
  const matching = context.relationships.filter((view) => {
    const type = otherType(view);
    return view.relationshipType === relationshipType && view.direction === direction && type !== undefined && otherTypes.includes(type);
  });
  const shown = matching.filter((view) => !isDeprecatedRelationship(view));
  return { shown, hiddenCount: matching.length - shown.length };
}

export function hiddenNote(hiddenCount: number): SafeHtml {
  if (hiddenCount === 0) return html``;
  const noun = hiddenCount === 1 ? 'relationship' : 'relationships';
  return html`<p class="note">Not listed: ${hiddenCount} ${noun} that MITRE marks deprecated or revoked, or that connect to a deprecated or revoked object.</p>`;
}

/** Renders the related table for a selection, followed by a note on the relationships left out. */
export function relatedBlock(context: PageContext, selection: RelatedSelection, options: RelatedTableOptions): SafeHtml {
  return html`${relatedTable(context, selection.shown, options)}${hiddenNote(selection.hiddenCount)}`;
}

export function relatedSection(
  context: PageContext,
  id: string,
  title: string,
  selection: RelatedSelection,
  options: RelatedTableOptions,
): SafeHtml {
  return section(id, title, relatedBlock(context, selection, options));
}
