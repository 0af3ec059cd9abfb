/**
 * The notice for deprecated and revoked objects. Revocation chains are real
 * (an object revoked by one that was itself revoked), so the notice follows
 * the chain to the object that replaces it now; some revoked objects have no
 * revoked-by relationship at all, and the notice states that.
 */
import type { ObjectSnapshot } from '../../../storage/store.js';
import { html, type SafeHtml } from '../../render/html.js';
import { objectLink } from '../components.js';
import { relationshipsWhere, type PageContext, type RelationshipView } from '../page-context.js';

/** Chains in ATT&CK are short; the limit only guards against a cycle in bad data. */
const MAX_CHAIN = 10;

async function followChain(context: PageContext, first: RelationshipView): Promise<ObjectSnapshot[]> {
  const chain: ObjectSnapshot[] = [];
  let current = first.other;
  const visited = new Set<string>([context.object.stixId]);
  while (current && current.revoked && !visited.has(current.stixId) && chain.length < MAX_CHAIN) {
    visited.add(current.stixId);
    const next = (await context.store.relationshipsOf(current.stixId, current.release.id)).find(
      (rel) => rel.relationship?.relationshipType === 'revoked-by' && rel.relationship.sourceRef === current?.stixId,
    );
    if (!next?.relationship) break;
    const target = (await context.store.objectsIn(current.release.id, [next.relationship.targetRef])).get(next.relationship.targetRef);
    if (!target) break;
    chain.push(target);
    current = target;
  }
  return chain;
}

async function revokedNotice(context: PageContext): Promise<SafeHtml> {
  const revokedBy = relationshipsWhere(context, 'revoked-by', 'outgoing');
  const first = revokedBy[0];
  if (!first) {
    return html`<div class="notice revoked" role="status"><strong>Revoked.</strong>
      MITRE revoked this object in ${context.release.domain} ${context.release.version} and gives no replacement for it (the release has no revoked-by relationship).</div>`;
  }
  const replacements = revokedBy.map((view) => objectLink(view.other, view.otherId, view.otherInRelease));
  const chain = await followChain(context, first);
  const last = chain[chain.length - 1];
  const chainNote = last
    ? html` That replacement was itself revoked; follow the chain to ${objectLink(last, last.stixId)}.`
    : '';
  return html`<div class="notice revoked" role="status"><strong>Revoked.</strong>
    MITRE replaced this object with ${replacements}.${chainNote} Use the replacement for current work.</div>`;
}

export async function renderStatusNotice(context: PageContext): Promise<SafeHtml> {
  const notices: SafeHtml[] = [];
  if (context.object.revoked) notices.push(await revokedNotice(context));
  if (context.object.deprecated) {
    notices.push(html`<div class="notice deprecated" role="status"><strong>Deprecated.</strong>
      MITRE no longer maintains this object and names no replacement. It is kept for reference to earlier releases.</div>`);
  }
  return html`${notices}`;
}
