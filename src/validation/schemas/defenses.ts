/**
 * Schemas of the defense family: mitigations (`course-of-action`) and the detection
 * objects. Data sources and data components date from ATT&CK 10. Detection strategies
 * and analytics arrived in ATT&CK 18, which deprecated the data sources and made data
 * components stand alone, so `x_mitre_data_source_ref` is optional.
 */
import { z } from 'zod';
import {
  attackAttributionShape,
  attackCommonShape,
  externalReferences,
  platformList,
  sameForBothVersions,
  stixRef,
  stringList,
  text,
  type TypeSchemas,
} from '../common.js';

const courseOfAction = z.strictObject({
  ...attackCommonShape,
  ...attackAttributionShape,
  description: text,
});

const dataSource = z.strictObject({
  ...attackCommonShape,
  ...attackAttributionShape,
  description: text,
  x_mitre_platforms: platformList.optional(),
  x_mitre_collection_layers: z
    .array(z.enum(['Cloud Control Plane', 'Container', 'Device', 'Host', 'Network', 'OSINT', 'Report']))
    .min(1),
  x_mitre_contributors: stringList.optional(),
});

/** A log source that a data component names: a log `name` and its `channel`. */
const logSource = z.strictObject({
  name: text,
  channel: text,
});

const dataComponent = z.strictObject({
  ...attackCommonShape,
  created_by_ref: stixRef('identity'),
  object_marking_refs: z.array(stixRef('marking-definition')),
  x_mitre_modified_by_ref: stixRef('identity'),
  description: text,
  x_mitre_data_source_ref: stixRef('x-mitre-data-source').optional(),
  x_mitre_log_sources: z.array(logSource).optional(),
});

const detectionStrategy = z.strictObject({
  ...attackCommonShape,
  ...attackAttributionShape,
  x_mitre_analytic_refs: z.array(stixRef('x-mitre-analytic')).min(1),
  x_mitre_contributors: stringList.optional(),
});

/** A log source that an analytic reads, named by its data component and the log's name and channel. */
const logSourceReference = z.strictObject({
  x_mitre_data_component_ref: stixRef('x-mitre-data-component'),
  name: text,
  channel: text,
});

/** A setting of an analytic that defenders tune to their environment, such as a time window. */
const mutableElement = z.strictObject({
  field: text,
  description: text,
});

const analytic = z.strictObject({
  ...attackCommonShape,
  created_by_ref: stixRef('identity'),
  object_marking_refs: z.array(stixRef('marking-definition')),
  external_references: externalReferences,
  description: text,
  // Each analytic is written for one platform.
  x_mitre_platforms: platformList.max(1),
  x_mitre_log_source_references: z.array(logSourceReference).min(1).optional(),
  x_mitre_mutable_elements: z.array(mutableElement).min(1).optional(),
});

export const DEFENSE_SCHEMAS = {
  'course-of-action': sameForBothVersions(courseOfAction),
  'x-mitre-data-source': sameForBothVersions(dataSource),
  'x-mitre-data-component': sameForBothVersions(dataComponent),
  'x-mitre-detection-strategy': sameForBothVersions(detectionStrategy),
  'x-mitre-analytic': sameForBothVersions(analytic),
} satisfies Record<string, TypeSchemas>;
