/**
 * Schemas of the objects that carry no ATT&CK content of their own: the MITRE
 * identity, the copyright marking, relationships and the collection object that
 * `attack-stix-data` bundles open with.
 */
import { z } from 'zod';
import {
  anyStixRef,
  attackSpecVersion,
  domainList,
  objectVersion,
  sameForBothVersions,
  specVersion,
  stixCommonShape,
  stixRef,
  stringList,
  text,
  timestamp,
  type TypeSchemas,
} from '../common.js';

/** Relationship types of the ATT&CK data model. STIX allows others, ATT&CK does not. */
export const RELATIONSHIP_TYPES = [
  'uses',
  'mitigates',
  'subtechnique-of',
  'detects',
  'attributed-to',
  'targets',
  'revoked-by',
] as const;

/**
 * The older STIX 2.1 bundles (Mobile 14.1, ICS 14.1 to 16.1) also put
 * `x_mitre_attack_spec_version`, `x_mitre_domains` and `x_mitre_version` on the
 * identity and the marking definition, so those are known but optional here.
 */
const identityShape = {
  ...stixCommonShape,
  name: text,
  // MITRE's identity has an empty description since ATT&CK 17, which STIX allows.
  description: z.string().optional(),
  identity_class: z.string().optional(),
  roles: stringList.optional(),
  sectors: stringList.optional(),
  contact_information: z.string().optional(),
  x_mitre_attack_spec_version: attackSpecVersion.optional(),
  x_mitre_domains: domainList.optional(),
  x_mitre_version: objectVersion.optional(),
};

/**
 * Marking definition. STIX 2.0 and 2.1 give it no `modified` and no `revoked`,
 * because a marking definition never changes. Which key `definition` needs depends on
 * `definition_type`, so rules.ts checks that pairing.
 */
const markingDefinition = z.strictObject({
  type: z.string(),
  id: z.string(),
  spec_version: specVersion.optional(),
  created: z.string(),
  created_by_ref: stixRef('identity'),
  name: z.string().optional(),
  definition_type: z.enum(['statement', 'tlp']),
  definition: z.strictObject({
    statement: text.optional(),
    tlp: z.enum(['white', 'green', 'amber', 'red']).optional(),
  }),
  external_references: stixCommonShape.external_references,
  object_marking_refs: stixCommonShape.object_marking_refs,
  granular_markings: stixCommonShape.granular_markings,
  extensions: stixCommonShape.extensions,
  x_mitre_attack_spec_version: attackSpecVersion.optional(),
  x_mitre_domains: domainList.optional(),
});

/**
 * Relationship. MITRE dropped `x_mitre_version` from relationships in ATT&CK 17, and
 * only the older STIX 2.1 bundles carry `x_mitre_domains` on them, so both are optional.
 */
const relationship = z.strictObject({
  ...stixCommonShape,
  relationship_type: z.enum(RELATIONSHIP_TYPES),
  // MITRE publishes it empty on hundreds of relationships, and rules.ts reports that.
  description: z.string().optional(),
  source_ref: anyStixRef,
  target_ref: anyStixRef,
  start_time: timestamp.optional(),
  stop_time: timestamp.optional(),
  object_marking_refs: z.array(stixRef('marking-definition')),
  x_mitre_modified_by_ref: stixRef('identity'),
  x_mitre_attack_spec_version: attackSpecVersion.optional(),
  x_mitre_version: objectVersion.optional(),
  x_mitre_deprecated: z.boolean().optional(),
  x_mitre_domains: domainList.optional(),
});

/** An entry of `x_mitre_contents`: one object of the release and the version it has there. */
const objectVersionReference = z.strictObject({
  object_ref: anyStixRef,
  object_modified: timestamp,
});

const collection = z.strictObject({
  ...stixCommonShape,
  name: text,
  description: text,
  created_by_ref: stixRef('identity'),
  object_marking_refs: z.array(stixRef('marking-definition')),
  x_mitre_version: objectVersion,
  x_mitre_attack_spec_version: attackSpecVersion.optional(),
  x_mitre_contents: z.array(objectVersionReference).min(1),
});

export const CORE_SCHEMAS = {
  identity: {
    // STIX 2.0 requires `identity_class`, and STIX 2.1 makes it optional.
    stix20: z.strictObject({ ...identityShape, identity_class: z.string() }),
    stix21: z.strictObject(identityShape),
  },
  'marking-definition': sameForBothVersions(markingDefinition),
  relationship: sameForBothVersions(relationship),
  'x-mitre-collection': sameForBothVersions(collection),
} satisfies Record<string, TypeSchemas>;

/**
 * Schema for objects of a type outside ATT&CK: only the STIX common properties are
 * checked, and other properties pass without warnings.
 */
export const UNKNOWN_TYPE_SCHEMA = z.looseObject(stixCommonShape);
