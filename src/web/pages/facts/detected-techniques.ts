/**
 * Techniques that other objects detect, for pages that list data components or
 * detection strategies with what each detects. `context.relationships` holds
 * only the page object's own relationships, so these are loaded per object.
 */
import type { ObjectSnapshot } from '../../../storage/store.js';
import { html, type SafeHtml } from '../../render/html.js';
import type { PageContext } from '../page-context.js';
import { isActive } from './snapshot-status.js';
import { resolveObjects, resolvedLink, resolvedSnapshot, type ResolvedObjects } from './resolve.js';
import { compareSnapshots } from './tables.js';

export interface DetectedTechniques {
  /** STIX IDs of the techniques each detecting object detects, without deprecated or revoked ones. */
  targetsByDetector: Map<string, string[]>;
  resolved: ResolvedObjects;
}

async function detectedIds(context: PageContext, detectorId: string): Promise<string[]> {
  const relationships = await context.store.relationshipsOf(detectorId, context.release.id);
  return relationships
    .filter((rel) => !rel.deprecated && !rel.revoked)
    .filter((rel) => rel.relationship?.relationshipType === 'detects' && rel.relationship.sourceRef === detectorId)
    .map((rel) => rel.relationship?.targetRef ?? '');
}

/** Loads the techniques each detector detects, leaving out deprecated and revoked techniques as `selectRelated` does. */
export async function loadDetectedTechniques(context: PageContext, detectors: readonly ObjectSnapshot[]): Promise<DetectedTechniques> {
  const idsByDetector = new Map<string, string[]>();
  for (const detector of detectors) idsByDetector.set(detector.stixId, await detectedIds(context, detector.stixId));
  const resolved = await resolveObjects(context, [...idsByDetector.values()].flat());

  const targetsByDetector = new Map<string, string[]>();
  for (const [detectorId, ids] of idsByDetector) {
    const activeIds = ids.filter((id) => {
      const target = resolvedSnapshot(resolved, id);
      return target === undefined || isActive(target);
    });
    targetsByDetector.set(detectorId, activeIds);
  }
  return { targetsByDetector, resolved };
}

function compareTargets(resolved: ResolvedObjects, a: string, b: string): number {
  const left = resolvedSnapshot(resolved, a);
  const right = resolvedSnapshot(resolved, b);
  if (left && right) return compareSnapshots(left, right);
  return a.localeCompare(b);
}

/** Renders the techniques one object detects as a collapsible list, because a data component can detect hundreds. */
export function detectedList(detected: DetectedTechniques, detectorId: string): SafeHtml {
  const targets = [...(detected.targetsByDetector.get(detectorId) ?? [])].sort((a, b) => compareTargets(detected.resolved, a, b));
  if (targets.length === 0) return html`<span class="empty">none in this release</span>`;
  const noun = targets.length === 1 ? 'technique' : 'techniques';
  return html`<details><summary>${targets.length} ${noun}</summary>
    <ul class="plain">${targets.map((id) => html`<li>${resolvedLink(detected.resolved, id)}</li>`)}</ul>
  </details>`;
}
