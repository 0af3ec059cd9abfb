/** Parent and sub-techniques of a technique, from `subtechnique-of` relationships (sub-technique to parent). */
import type { ObjectSnapshot } from '../../../storage/store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { displayName, objectLink, section } from '../components.js';
import type { PageContext, RelationshipView } from '../page-context.js';
import { relatedBlock, selectRelated } from './related.js';
import { isActive } from './snapshot-status.js';
import { commaJoined, idNameTable } from './tables.js';

function parentViews(context: PageContext): RelationshipView[] {
  return selectRelated(context, 'subtechnique-of', 'outgoing', ['attack-pattern']).shown;
}

/**
 * Renders the "Sub-technique of" fact. Revoked and deprecated sub-techniques
 * often keep `x_mitre_is_subtechnique` but lose their `subtechnique-of`
 * relationship (T1053.001 in Enterprise 15.1 and 18.1). The fact then reads
 * "MITRE gives no parent". Returns undefined for a technique that is not a sub-technique.
 */
export function parentFact(context: PageContext): SafeHtml | undefined {
  const links = parentViews(context).map((view) => objectLink(view.other, view.otherId, view.otherInRelease));
  if (links.length > 0) return commaJoined(links);
  return context.object.isSubtechnique ? html`<span class="empty">MITRE gives no parent</span>` : undefined;
}

/** Loads the other sub-techniques of `parentId` in the page's release, leaving out deprecated and revoked ones as `selectRelated` does. */
async function siblings(context: PageContext, parentId: string): Promise<ObjectSnapshot[]> {
  const relationships = await context.store.relationshipsOf(parentId, context.release.id);
  const ids = relationships
    .filter((rel) => !rel.deprecated && !rel.revoked)
    .filter((rel) => rel.relationship?.relationshipType === 'subtechnique-of' && rel.relationship.targetRef === parentId)
    .map((rel) => rel.relationship?.sourceRef ?? '')
    .filter((id) => id !== context.object.stixId);
  const found = await context.store.objectsIn(context.release.id, ids);
  return [...found.values()].filter(isActive);
}

async function siblingSection(context: PageContext, parent: RelationshipView): Promise<SafeHtml> {
  const parentName = parent.other ? displayName(parent.other) : parent.otherId;
  const others = await siblings(context, parent.otherId);
  return section(
    'sub-techniques',
    `Other sub-techniques of ${parentName}`,
    idNameTable(others, 'Sub-technique', `${parentName} has no other sub-techniques in this release.`),
  );
}

/** Renders the sub-techniques of a technique, or the other sub-techniques of a sub-technique's parent. */
export async function subTechniquesSection(context: PageContext): Promise<SafeHtml> {
  const parent = parentViews(context)[0];
  if (parent) return siblingSection(context, parent);
  if (context.object.isSubtechnique) return html``;

  const children = selectRelated(context, 'subtechnique-of', 'incoming', ['attack-pattern']);
  return section(
    'sub-techniques',
    'Sub-techniques',
    relatedBlock(context, children, { nameLabel: 'Sub-technique', empty: 'This technique has no sub-techniques in this release.' }),
  );
}
