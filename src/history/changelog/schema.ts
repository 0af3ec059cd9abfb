/**
 * The JSON shape of a changelog (`?format=json`, `glexia diff --format json`).
 * The zod schema is the documentation of that shape, and the TypeScript types
 * are inferred from it. New fields may be added; existing ones keep their
 * meaning.
 */
import { z } from 'zod';

/** Change categories, in the order the rules test them and the formats list them. */
export const CATEGORIES = [
  'additions',
  'deletions',
  'revocations',
  'deprecations',
  'major',
  'minor',
  'other',
  'patches',
  'unchanged',
] as const;

export type Category = (typeof CATEGORIES)[number];

/** Object sections of a changelog, by the URL segment of their pages, in the order the formats list them. */
export const SECTIONS = [
  'techniques',
  'tactics',
  'software',
  'groups',
  'campaigns',
  'assets',
  'mitigations',
  'datasources',
  'datacomponents',
  'detectionstrategies',
  'analytics',
] as const;

export type Section = (typeof SECTIONS)[number];

const categorySchema = z.enum(CATEGORIES);
const sectionSchema = z.enum(SECTIONS);

/** Another object named by an entry: a parent technique, a replacement or a tactic. */
export const objectRefSchema = z.object({
  stixId: z.string(),
  attackId: z.string().nullable(),
  name: z.string().nullable(),
  /** Path of the object's page on this site. */
  path: z.string(),
});

export type ObjectRef = z.infer<typeof objectRefSchema>;

/** A tactic of a technique, from a `kill_chain_phases[].phase_name` (the tactic's `x_mitre_shortname`). */
export const tacticRefSchema = z.object({
  shortname: z.string(),
  /** The tactic object of that shortname in the release, or null when the release has none. */
  tactic: objectRefSchema.nullable(),
});

export type TacticRef = z.infer<typeof tacticRefSchema>;

export const tacticMoveSchema = z.object({
  old: z.array(tacticRefSchema),
  new: z.array(tacticRefSchema),
});

export type TacticMove = z.infer<typeof tacticMoveSchema>;

export const changelogEntrySchema = z.object({
  category: categorySchema,
  section: sectionSchema,
  stixId: z.string(),
  /** STIX type, such as `attack-pattern` or `malware`. */
  type: z.string(),
  attackId: z.string().nullable(),
  /** Name in the newer release, or in the older one for deletions. */
  name: z.string().nullable(),
  isSubtechnique: z.boolean(),
  /** `x_mitre_version` in the older release; null for additions and objects without one. */
  oldVersion: z.string().nullable(),
  /** `x_mitre_version` in the newer release; null for deletions and objects without one. */
  newVersion: z.string().nullable(),
  oldModified: z.string().nullable(),
  newModified: z.string().nullable(),
  /** Path of the object's page. */
  path: z.string(),
  /** Path of the page comparing the object between the two releases. */
  comparePath: z.string(),
  /** Parent technique of a sub-technique; null for other objects or when no parent is found. */
  parent: objectRefSchema.nullable(),
  /** Only on revocations: the object MITRE names in the `revoked-by` relationship, null when none is given. */
  replacement: objectRefSchema.nullable().optional(),
  /** Only on techniques whose `kill_chain_phases` changed. */
  tactics: tacticMoveSchema.optional(),
});

export type ChangelogEntry = z.infer<typeof changelogEntrySchema>;

export const releaseRefSchema = z.object({
  domain: z.string(),
  version: z.string(),
});

const countsSchema = z.record(categorySchema, z.number().int().nonnegative());

export const changelogSummarySchema = z.object({
  /** Entries per category; `unchanged` counts listed entries only. */
  byCategory: countsSchema,
  /** Entries per section, then per category. */
  bySection: z.record(sectionSchema, countsSchema),
  /** Entries in all categories. */
  total: z.number().int().nonnegative(),
  /** Unchanged objects left out because unchanged objects were not requested; 0 when they are listed. */
  unchangedOmitted: z.number().int().nonnegative(),
});

export type ChangelogSummary = z.infer<typeof changelogSummarySchema>;

export const changelogSchema = z.object({
  domain: z.string(),
  from: releaseRefSchema,
  to: releaseRefSchema,
  includesUnchanged: z.boolean(),
  summary: changelogSummarySchema,
  /** Sorted by category, section, then parent technique and ATT&CK ID, so sub-techniques follow their parent. */
  entries: z.array(changelogEntrySchema),
  /** Techniques whose tactics changed, in `entries` order. Includes unchanged ones even when `entries` leaves them out. */
  tacticMoves: z.array(changelogEntrySchema),
});

export type Changelog = z.infer<typeof changelogSchema>;
