/** Diff of `external_references`, where MITRE adds and removes sources between releases. */
import { canonicalJson } from '../../import/canonical-json.js';
import type { StixObject } from '../../domain/stix-object.js';

export interface ReferenceChange {
  from: StixObject;
  to: StixObject;
}

export interface ReferenceDiff {
  added: StixObject[];
  removed: StixObject[];
  /** References present in both releases under the same source name, URL and description whose other fields differ, such as `external_id`. */
  changed: ReferenceChange[];
}

/** Builds the key that identifies a reference from its source name, URL and description, each possibly absent. */
function referenceKey(reference: StixObject): string {
  return JSON.stringify([reference.source_name ?? null, reference.url ?? null, reference.description ?? null]);
}

/** Groups references by key, keeping their order so repeated keys pair up first with first. */
function groupByKey(references: readonly StixObject[]): Map<string, StixObject[]> {
  const groups = new Map<string, StixObject[]>();
  for (const reference of references) {
    const key = referenceKey(reference);
    const group = groups.get(key);
    if (group) group.push(reference);
    else groups.set(key, [reference]);
  }
  return groups;
}

/**
 * Matches references by source name, URL and description. A reference whose
 * key is in only one release is added or removed. The order of the list is not
 * compared, because it carries no meaning.
 */
export function diffReferences(from: readonly StixObject[], to: readonly StixObject[]): ReferenceDiff {
  const remaining = groupByKey(from);
  const added: StixObject[] = [];
  const changed: ReferenceChange[] = [];

  for (const reference of to) {
    const match = remaining.get(referenceKey(reference))?.shift();
    if (match === undefined) added.push(reference);
    else if (canonicalJson(match) !== canonicalJson(reference)) changed.push({ from: match, to: reference });
  }

  const unmatched = new Set([...remaining.values()].flat());
  const removed = from.filter((reference) => unmatched.has(reference));
  return { added, removed, changed };
}
