/**
 * Schemas of the matrix family: techniques (`attack-pattern`), tactics, matrices and
 * the ICS assets that techniques target.
 *
 * Fields follow the ATT&CK data model and STIX. Every `x_mitre_` field that a release
 * from ATT&CK 12 to 18 puts on these types is listed, including fields that MITRE has
 * since dropped, such as `x_mitre_data_sources` (removed from techniques in ATT&CK 18)
 * or `x_mitre_permissions_required` (removed in ATT&CK 17).
 */
import { z } from 'zod';
import {
  attackAttributionShape,
  attackCommonShape,
  externalReferences,
  killChainPhase,
  platformList,
  quoteValue,
  sameForBothVersions,
  stixRef,
  stringList,
  text,
  type TypeSchemas,
} from '../common.js';

/** An `x_mitre_data_sources` entry: `<data source>: <data component>`, such as `Process: Process Creation`. */
const dataSourceEntry = z.string().regex(/^[^:]*\S[^:]*:[^:]*\S[^:]*$/, {
  error: (issue) => `expected "<data source>: <data component>", got ${quoteValue(issue.input)}`,
});

const attackPattern = z.strictObject({
  ...attackCommonShape,
  // The model leaves `description` optional, but ATT&CK publishes one for every
  // technique, so a revoked stub without it is reported.
  description: text,
  external_references: externalReferences,
  aliases: stringList.optional(),
  kill_chain_phases: z.array(killChainPhase).optional(),
  x_mitre_is_subtechnique: z.boolean(),
  x_mitre_platforms: platformList.optional(),
  // MITRE publishes it empty on many techniques, and rules.ts reports that.
  x_mitre_detection: z.string().optional(),
  x_mitre_contributors: stringList.optional(),
  x_mitre_data_sources: z.array(dataSourceEntry).optional(),
  x_mitre_defense_bypassed: stringList.optional(),
  x_mitre_permissions_required: z.array(z.enum(['Administrator', 'Remote Desktop Users', 'SYSTEM', 'User', 'root'])).optional(),
  x_mitre_effective_permissions: z.array(z.enum(['Administrator', 'SYSTEM', 'User', 'root'])).optional(),
  x_mitre_system_requirements: stringList.optional(),
  x_mitre_remote_support: z.boolean().optional(),
  x_mitre_network_requirements: z.boolean().optional(),
  x_mitre_impact_type: z.array(z.enum(['Availability', 'Integrity'])).optional(),
  // Mobile techniques only. "Pre-Adversary Device Access" dates from PRE-ATT&CK.
  x_mitre_tactic_type: z
    .array(z.enum(['Post-Adversary Device Access', 'Pre-Adversary Device Access', 'Without Adversary Device Access']))
    .optional(),
});

const tactic = z.strictObject({
  ...attackCommonShape,
  ...attackAttributionShape,
  description: text,
  // Techniques name their tactic by this value in `kill_chain_phases[].phase_name`.
  x_mitre_shortname: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    error: (issue) => `expected lower-case words joined by hyphens such as "initial-access", got ${quoteValue(issue.input)}`,
  }),
});

const matrix = z.strictObject({
  ...attackCommonShape,
  ...attackAttributionShape,
  description: text,
  // Ordered: the order is the column order of the matrix.
  tactic_refs: z.array(stixRef('x-mitre-tactic')),
});

const relatedAsset = z.strictObject({
  name: text,
  description: z.string().optional(),
  related_asset_sectors: stringList.optional(),
});

const asset = z.strictObject({
  ...attackCommonShape,
  created_by_ref: stixRef('identity'),
  object_marking_refs: z.array(stixRef('marking-definition')),
  external_references: externalReferences,
  x_mitre_platforms: platformList.optional(),
  x_mitre_sectors: z.array(z.enum(['Electric', 'Water and Wastewater', 'Manufacturing', 'Rail', 'Maritime', 'General'])).optional(),
  x_mitre_related_assets: z.array(relatedAsset).optional(),
  x_mitre_contributors: stringList.optional(),
});

export const TECHNIQUE_SCHEMAS = {
  'attack-pattern': sameForBothVersions(attackPattern),
  'x-mitre-tactic': sameForBothVersions(tactic),
  'x-mitre-matrix': sameForBothVersions(matrix),
  'x-mitre-asset': sameForBothVersions(asset),
} satisfies Record<string, TypeSchemas>;
