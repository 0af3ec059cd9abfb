/**
 * Lookup of objects named by embedded references (`*_ref` fields), resolved the
 * way page-context resolves the other ends of relationships: in the page's
 * release first, else their newest version in any imported release.
 */
import type { ObjectSnapshot } from '../../../storage/store.js';
import type { SafeHtml } from '../../render/html.js';
import { objectLink } from '../components.js';
import type { PageContext } from '../page-context.js';

export interface ResolvedObjects {
  inRelease: Map<string, ObjectSnapshot>;
  elsewhere: Map<string, ObjectSnapshot>;
}

export async function resolveObjects(context: PageContext, stixIds: readonly string[]): Promise<ResolvedObjects> {
  const unique = [...new Set(stixIds)];
  const inRelease = unique.length > 0 ? await context.store.objectsIn(context.release.id, unique) : new Map<string, ObjectSnapshot>();
  const missing = unique.filter((id) => !inRelease.has(id));
  const elsewhere = missing.length > 0 ? await context.store.currentSnapshots(missing) : new Map<string, ObjectSnapshot>();
  return { inRelease, elsewhere };
}

export function resolvedSnapshot(resolved: ResolvedObjects, stixId: string): ObjectSnapshot | undefined {
  return resolved.inRelease.get(stixId) ?? resolved.elsewhere.get(stixId);
}

/** Renders a link to a resolved object, tagged when the page's release does not contain it. */
export function resolvedLink(resolved: ResolvedObjects, stixId: string): SafeHtml {
  return objectLink(resolvedSnapshot(resolved, stixId), stixId, resolved.inRelease.has(stixId));
}
