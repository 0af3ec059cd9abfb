/**
 * Schemas of the adversary family: groups (`intrusion-set`), campaigns and software
 * (`malware` and `tool`).
 *
 * Malware and tool differ between STIX versions. STIX 2.0 requires `labels` on both
 * (ATT&CK puts `["malware"]` or `["tool"]` there), and STIX 2.1 drops that rule but
 * requires `is_family` on malware.
 */
import { z } from 'zod';
import {
  anyStixRef,
  attackAttributionShape,
  attackCommonShape,
  citationText,
  externalReferences,
  killChainPhase,
  nonEmptyStringList,
  platformList,
  sameForBothVersions,
  stringList,
  text,
  timestamp,
  type TypeSchemas,
} from '../common.js';

const intrusionSet = z.strictObject({
  ...attackCommonShape,
  // Optional in STIX and in the model, but ATT&CK publishes a description for every
  // group, so a revoked stub without it is reported.
  description: text,
  external_references: externalReferences,
  aliases: stringList.optional(),
  first_seen: timestamp.optional(),
  last_seen: timestamp.optional(),
  goals: stringList.optional(),
  resource_level: z.string().optional(),
  primary_motivation: z.string().optional(),
  secondary_motivations: stringList.optional(),
  x_mitre_contributors: stringList.optional(),
});

const campaign = z.strictObject({
  ...attackCommonShape,
  ...attackAttributionShape,
  description: text,
  aliases: stringList,
  first_seen: timestamp,
  last_seen: timestamp,
  objective: z.string().optional(),
  // Citations of the reports that date `first_seen` and `last_seen`.
  x_mitre_first_seen_citation: citationText,
  x_mitre_last_seen_citation: citationText,
  x_mitre_contributors: stringList.optional(),
});

const softwareShape = {
  ...attackCommonShape,
  ...attackAttributionShape,
  description: text,
  kill_chain_phases: z.array(killChainPhase).optional(),
  aliases: stringList.optional(),
  x_mitre_aliases: stringList.optional(),
  x_mitre_platforms: platformList.optional(),
  x_mitre_contributors: stringList.optional(),
};

/** Software properties plus the STIX 2.1 malware properties, which ATT&CK does not use but other producers may set. */
const malwareShape = {
  ...softwareShape,
  is_family: z.boolean().optional(),
  first_seen: timestamp.optional(),
  last_seen: timestamp.optional(),
  malware_types: stringList.optional(),
  os_execution_envs: stringList.optional(),
  architecture_execution_envs: stringList.optional(),
  implementation_languages: stringList.optional(),
  capabilities: stringList.optional(),
  operating_system_refs: z.array(anyStixRef).optional(),
  sample_refs: z.array(anyStixRef).optional(),
};

const toolShape = {
  ...softwareShape,
  tool_types: stringList.optional(),
  tool_version: z.string().optional(),
};

export const ADVERSARY_SCHEMAS = {
  'intrusion-set': sameForBothVersions(intrusionSet),
  campaign: sameForBothVersions(campaign),
  malware: {
    stix20: z.strictObject({ ...malwareShape, labels: nonEmptyStringList }),
    stix21: z.strictObject({ ...malwareShape, is_family: z.boolean() }),
  },
  tool: {
    stix20: z.strictObject({ ...toolShape, labels: nonEmptyStringList }),
    stix21: z.strictObject(toolShape),
  },
} satisfies Record<string, TypeSchemas>;
