/** Derives the indexed facts of one parsed STIX object for storage. */
import { attackReference, objectList, stringField, stringList, isTrue, type StixObject } from '../domain/stix-object.js';
import type { NewObject, RelationshipFields } from '../storage/store.js';

/** Reference fields that every object carries and that tell nothing about its relations to others. */
const IGNORED_REF_FIELDS = new Set(['created_by_ref', 'object_marking_refs', 'x_mitre_modified_by_ref', 'source_ref', 'target_ref']);

/** A collection lists every object of its release; indexing those refs would only repeat release membership. */
const IGNORED_LIST_FIELDS = new Set(['x_mitre_contents']);

type Facts = Omit<NewObject, 'raw' | 'rawHash' | 'contentHash' | 'warnings' | 'inDomain'>;

function isRefField(key: string): boolean {
  return (key.endsWith('_ref') || key.endsWith('_refs')) && !IGNORED_REF_FIELDS.has(key);
}

function collectRefs(object: StixObject, prefix: string, refs: { field: string; targetRef: string }[]): void {
  for (const [key, value] of Object.entries(object)) {
    if (isRefField(key)) {
      const targets = Array.isArray(value) ? value : [value];
      for (const target of targets) {
        if (typeof target === 'string') refs.push({ field: prefix + key, targetRef: target });
      }
    } else if (prefix === '' && Array.isArray(value) && !IGNORED_LIST_FIELDS.has(key)) {
      for (const item of objectList(object, key)) collectRefs(item, `${key}.`, refs);
    }
  }
}

function relationshipFields(object: StixObject): RelationshipFields | null {
  const relationshipType = stringField(object, 'relationship_type');
  const sourceRef = stringField(object, 'source_ref');
  const targetRef = stringField(object, 'target_ref');
  if (object.type !== 'relationship' || !relationshipType || !sourceRef || !targetRef) return null;
  return { relationshipType, sourceRef, targetRef };
}

export function objectFacts(object: StixObject): Facts {
  const embeddedRefs: Facts['embeddedRefs'] = [];
  collectRefs(object, '', embeddedRefs);

  const killChainPhases = objectList(object, 'kill_chain_phases').flatMap((phase) => {
    const killChainName = stringField(phase, 'kill_chain_name');
    const phaseName = stringField(phase, 'phase_name');
    return killChainName && phaseName ? [{ killChainName, phaseName }] : [];
  });

  return {
    stixId: stringField(object, 'id') ?? '',
    type: stringField(object, 'type') ?? '',
    attackId: attackReference(object)?.external_id ?? null,
    name: stringField(object, 'name') ?? null,
    created: stringField(object, 'created') ?? null,
    modified: stringField(object, 'modified') ?? null,
    version: stringField(object, 'x_mitre_version') ?? null,
    deprecated: isTrue(object, 'x_mitre_deprecated'),
    revoked: isTrue(object, 'revoked'),
    isSubtechnique: isTrue(object, 'x_mitre_is_subtechnique'),
    domains: stringList(object, 'x_mitre_domains'),
    relationship: relationshipFields(object),
    embeddedRefs,
    killChainPhases,
  };
}
