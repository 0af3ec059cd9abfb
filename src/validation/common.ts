/**
 * Zod building blocks shared by the per-type schemas: timestamps, STIX identifiers,
 * external references, kill chain phases and the properties that STIX or ATT&CK
 * define on every object.
 *
 * A check that should produce a warning kind other than `invalid-field` carries that
 * kind in its issue `params` (see `kindParams`), and issues.ts reads it from there.
 * Deviations that MITRE's releases contain on hundreds of objects, such as empty
 * detection text, are left to rules.ts instead. The reason is speed: an object that
 * fails its schema is parsed a second time to collect the issues, which costs far more
 * than a plain check.
 *
 * Messages here are the detail after the field name, such as
 * `expected "major.minor" such as "1.2", got "1.2.3"`.
 */
import { z } from 'zod';
import { DOMAINS } from '../domain/object-types.js';
import { ATTACK_18_PLATFORMS, isAttack18Platform } from './platforms.js';
import { isStixTimestamp } from './timestamps.js';
import type { WarningKind } from './types.js';

/** Issue `params` that select the warning kind of a custom check. */
export interface KindParams {
  kind: WarningKind;
}

function kindParams(kind: WarningKind): KindParams {
  return { kind };
}

/** Quotes a value for a message, cutting long strings so that a message stays one line. */
export function quoteValue(value: unknown): string {
  const text = typeof value === 'string' ? value : String(JSON.stringify(value));
  const shortened = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return typeof value === 'string' ? JSON.stringify(shortened) : shortened;
}

const NON_WHITESPACE = /\S/;

/** Returns whether a string contains anything besides whitespace. */
export function hasText(value: string): boolean {
  return NON_WHITESPACE.test(value);
}

// ---------------------------------------------------------------------------
// Scalars

/** Text that must not be empty or whitespace only, such as `name`. */
export const text = z.string().refine(hasText, { error: 'expected text, got an empty string' });

export const stringList = z.array(z.string());

/** A list that the model requires to name at least one entry. */
export const nonEmptyStringList = z.array(z.string()).min(1);

/** STIX timestamp: RFC 3339 in UTC with a `Z` zone, such as `2025-10-24T17:48:19.059Z`. */
export const timestamp = z.string().refine(isStixTimestamp, {
  error: (issue) =>
    `expected a UTC timestamp such as "2025-10-24T17:48:19.059Z", got ${quoteValue(issue.input)}`,
});

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';

// The type part is written as hyphen-joined words rather than `[a-z0-9-]*`, because that
// class also matches the UUID and makes the engine backtrack over it on every reference.
const ANY_STIX_ID = new RegExp(`^[a-z0-9]+(?:-[a-z0-9]+)*--${UUID}$`);

/** Reference to any STIX object, such as a relationship's `source_ref`. */
export const anyStixRef = z.string().regex(ANY_STIX_ID, {
  error: (issue) => `expected a STIX ID of the form <type>--<UUID>, got ${quoteValue(issue.input)}`,
});

/**
 * Reference to an object of one STIX type, such as `created_by_ref` to an identity.
 * Nearly every object of a release names the same identity and marking definition, so
 * the check compares with the last value that passed before it runs the regular
 * expression. That made a pass over Enterprise 18.1 about 15% faster on a 2-core VM.
 */
export function stixRef(type: string): z.ZodString {
  const pattern = new RegExp(`^${type}--${UUID}$`);
  let lastValid: string | undefined;
  const isRef = (value: string): boolean => {
    if (value === lastValid) return true;
    if (!pattern.test(value)) return false;
    lastValid = value;
    return true;
  };
  return z.string().refine(isRef, {
    error: (issue) => `expected a STIX ID of type ${type} ("${type}--<UUID>"), got ${quoteValue(issue.input)}`,
  });
}

/** `x_mitre_version`: the object's own version, `major.minor` such as `1.2` or `18.1`. */
export const objectVersion = z.string().regex(/^\d+\.\d+$/, {
  error: (issue) => `expected "major.minor" such as "1.2", got ${quoteValue(issue.input)}`,
});

/** `x_mitre_attack_spec_version`: the ATT&CK specification version, `major.minor.patch`. */
export const attackSpecVersion = z.string().regex(/^\d+\.\d+\.\d+$/, {
  error: (issue) => `expected "major.minor.patch" such as "3.2.0", got ${quoteValue(issue.input)}`,
});

/** `spec_version` of a STIX 2.1 object. STIX 2.0 objects have no such property. */
export const specVersion = z.literal('2.1');

// ---------------------------------------------------------------------------
// ATT&CK lists

/** `x_mitre_domains`: at least one of the ATT&CK domains. */
export const domainList = z.array(z.enum(DOMAINS)).min(1);

/** `x_mitre_platforms`: platform names. Names outside ATT&CK 18.1's list give `unknown-platform`. */
export const platformList = z.array(
  z.string().refine(isAttack18Platform, {
    params: kindParams('unknown-platform'),
    error: (issue) =>
      `${quoteValue(issue.input)} is not one of the ${ATTACK_18_PLATFORMS.length} platforms that ATT&CK 18.1 uses`,
  }),
);

/** Citation text in the ATT&CK form `(Citation: Name)(Citation: Other)`. */
export const citationText = z.string().regex(/^(\(Citation: [^)]+\))+$/, {
  error: (issue) => `expected one or more "(Citation: <source name>)" entries, got ${quoteValue(issue.input)}`,
});

// ---------------------------------------------------------------------------
// External references and kill chain phases

/**
 * Source names that older ATT&CK objects use for their ATT&CK ID instead of
 * `mitre-attack`. Deprecated and revoked Mobile and ICS objects still carry them.
 */
const LEGACY_SOURCE_NAMES: ReadonlySet<string> = new Set(['mitre-mobile-attack', 'mitre-ics-attack']);

const sourceName = z
  .string()
  .refine(hasText, { error: 'expected the name of the source, got an empty string' })
  .refine((name) => !LEGACY_SOURCE_NAMES.has(name), {
    params: kindParams('legacy-source-name'),
    error: (issue) => `${quoteValue(issue.input)} is an old source name, and current ATT&CK objects use "mitre-attack"`,
  });

const URL_SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:\S/;
const WHITESPACE = /\s/;

/**
 * Returns whether a string has a URL scheme and no whitespace. `URL.canParse` would
 * miss the deviation that real ATT&CK data has, a space before or after the URL,
 * because the WHATWG URL parser strips such spaces.
 */
function hasUrlForm(value: string): boolean {
  return URL_SCHEME.test(value) && !WHITESPACE.test(value);
}

/**
 * STIX external reference, the same in STIX 2.0 and 2.1. STIX also requires at least one of `description`, `url` or `external_id` besides
 * `source_name`. rules.ts checks that, because an object-level refinement here would
 * make the compiled validator copy every reference.
 */
export const externalReference = z.strictObject({
  source_name: sourceName,
  description: z.string().optional(),
  url: z
    .string()
    .refine(hasUrlForm, {
      error: (issue) => `expected a URL without spaces, got ${quoteValue(issue.input)}`,
    })
    .optional(),
  external_id: z.string().optional(),
  hashes: z.record(z.string(), z.string()).optional(),
});

export const externalReferences = z.array(externalReference).min(1);

/** Kill chain phase of a technique. ATT&CK's phase names are the tactics' `x_mitre_shortname`. */
export const killChainPhase = z.strictObject({
  kill_chain_name: z.enum(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']),
  phase_name: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, {
    error: (issue) => `expected lower-case words joined by hyphens such as "initial-access", got ${quoteValue(issue.input)}`,
  }),
});

const granularMarking = z.strictObject({
  marking_ref: stixRef('marking-definition').optional(),
  lang: z.string().optional(),
  selectors: nonEmptyStringList,
});

// ---------------------------------------------------------------------------
// Property sets shared by many types

/**
 * Properties that STIX 2.0 and 2.1 define on every domain and relationship object.
 * `type`, `id`, `created` and `modified` are checked as faults before
 * any schema runs, and rules.ts checks the STIX form of the two timestamps, so the
 * schemas only need to know them by name.
 */
export const stixCommonShape = {
  type: z.string(),
  id: z.string(),
  spec_version: specVersion.optional(),
  created: z.string(),
  modified: z.string(),
  created_by_ref: stixRef('identity').optional(),
  revoked: z.boolean().optional(),
  labels: stringList.optional(),
  confidence: z.int().min(0).max(100).optional(),
  lang: z.string().optional(),
  external_references: externalReferences.optional(),
  object_marking_refs: z.array(stixRef('marking-definition')).optional(),
  granular_markings: z.array(granularMarking).optional(),
  extensions: z.record(z.string(), z.unknown()).optional(),
};

/**
 * Properties that the ATT&CK data model defines on every ATT&CK object, in the form
 * most types use. Types override single entries, for example to make
 * `x_mitre_modified_by_ref` required.
 *
 * `x_mitre_attack_spec_version` is optional although the model lists it, because the
 * ATT&CK specification states that an object without it follows ATT&CK spec 2.0.0.
 * Thousands of objects in the Enterprise releases before 17 lack it.
 */
export const attackCommonShape = {
  ...stixCommonShape,
  name: text,
  description: text.optional(),
  x_mitre_version: objectVersion,
  x_mitre_attack_spec_version: attackSpecVersion.optional(),
  x_mitre_domains: domainList,
  x_mitre_modified_by_ref: stixRef('identity').optional(),
  x_mitre_deprecated: z.boolean().optional(),
  x_mitre_old_attack_id: z
    .string()
    .regex(/^MOB-[MS]\d{4}$/, {
      error: (issue) => `expected an old Mobile ID such as "MOB-M1008", got ${quoteValue(issue.input)}`,
    })
    .optional(),
};

/** Required properties that most ATT&CK types add to `attackCommonShape`. */
export const attackAttributionShape = {
  created_by_ref: stixRef('identity'),
  object_marking_refs: z.array(stixRef('marking-definition')),
  external_references: externalReferences,
  x_mitre_modified_by_ref: stixRef('identity'),
};

// ---------------------------------------------------------------------------
// Schema pairs

/**
 * The schemas of one type for STIX 2.0 and STIX 2.1 objects. They differ for malware,
 * tool and identity, whose required properties changed between the two versions.
 */
export interface TypeSchemas {
  stix20: z.ZodType;
  stix21: z.ZodType;
}

export function sameForBothVersions(schema: z.ZodType): TypeSchemas {
  return { stix20: schema, stix21: schema };
}
