/**
 * Turns zod issues into warnings: picks the warning kind, writes the field path as
 * `external_references[2].url` and words the message.
 */
import type { z } from 'zod';
import { quoteValue, type KindParams } from './common.js';
import type { ObjectWarning, WarningKind } from './types.js';

const EXPECTED_DESCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ['string', 'a string'],
  ['number', 'a number'],
  ['int', 'an integer'],
  ['boolean', 'true or false'],
  ['array', 'an array'],
  ['object', 'an object'],
  ['record', 'an object'],
]);

function describeExpected(expected: string): string {
  return EXPECTED_DESCRIPTIONS.get(expected) ?? expected;
}

function describeInput(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object') return 'an object';
  if (typeof input === 'string') return `the string ${quoteValue(input)}`;
  return `${typeof input} ${String(input)}`;
}

function countEntries(count: number): string {
  return count === 1 ? '1 entry' : `${count} entries`;
}

/**
 * Words the detail of a zod check that has no message of its own, such as a wrong
 * type or an empty list. Checks with their own message (regex and refine checks in
 * common.ts) keep it, because a schema's message takes precedence over this one.
 */
function describeIssue(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `expected ${describeExpected(issue.expected)}, but the field is absent`;
      return `expected ${describeExpected(issue.expected)}, got ${describeInput(issue.input)}`;
    case 'invalid_value': {
      const expected = `one of ${issue.values.map((value) => quoteValue(value)).join(', ')}`;
      if (issue.input === undefined) return `expected ${expected}, but the field is absent`;
      return `expected ${expected}, got ${quoteValue(issue.input)}`;
    }
    case 'too_small':
      if (issue.origin === 'array') {
        const length = Array.isArray(issue.input) ? issue.input.length : 0;
        return `expected at least ${countEntries(Number(issue.minimum))}, got ${length === 0 ? 'none' : length}`;
      }
      return `expected at least ${String(issue.minimum)}, got ${quoteValue(issue.input)}`;
    case 'too_big':
      if (issue.origin === 'array') {
        const length = Array.isArray(issue.input) ? issue.input.length : 0;
        return `expected at most ${countEntries(Number(issue.maximum))}, got ${length}`;
      }
      return `expected at most ${String(issue.maximum)}, got ${quoteValue(issue.input)}`;
    case 'unrecognized_keys': {
      const noun = issue.keys.length === 1 ? 'property' : 'properties';
      return `unexpected ${noun} ${issue.keys.map((key) => quoteValue(key)).join(', ')}`;
    }
    default:
      return `got ${quoteValue(issue.input)}, which does not match the model`;
  }
}

/** Parse options for `safeParse`, built once because the validator runs per object. */
export const PARSE_OPTIONS: z.core.ParseContext<z.core.$ZodIssue> = { error: describeIssue };

/** Formats a zod path as `external_references[2].url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let field = '';
  for (const segment of path) {
    if (typeof segment === 'number') field += `[${segment}]`;
    else field += field === '' ? String(segment) : `.${String(segment)}`;
  }
  return field;
}

const MESSAGE_PREFIXES: Readonly<Record<WarningKind, string>> = {
  'empty-relationship-description': 'empty',
  'empty-detection': 'empty',
  'legacy-source-name': 'legacy source name in',
  'unknown-platform': 'unknown platform in',
  'unknown-custom-field': 'unknown property',
  'missing-spec-version': 'missing',
  'unknown-type': 'unknown type in',
  'missing-field': 'missing',
  'invalid-field': 'invalid',
};

/** Builds a warning whose message reads `<problem> "<field>": <detail>`. */
export function makeWarning(kind: WarningKind, field: string, detail: string): ObjectWarning {
  return { kind, field, message: `${MESSAGE_PREFIXES[kind]} "${field}": ${detail}` };
}

function isKindParams(value: unknown): value is KindParams {
  return typeof value === 'object' && value !== null && typeof (value as KindParams).kind === 'string';
}

/**
 * Picks the warning kind of an issue. A custom check names its kind in `params`. An
 * issue on a top-level field that the object does not have is a missing field. Inside
 * a present field, a missing part counts as an invalid field, as the field has the
 * wrong shape.
 */
function warningKind(issue: z.core.$ZodIssue, object: Readonly<Record<string, unknown>>): WarningKind {
  if (issue.code === 'custom' && isKindParams(issue.params)) return issue.params.kind;
  if (issue.path.length === 1) {
    const key = issue.path[0];
    if (typeof key === 'string' && object[key] === undefined) return 'missing-field';
  }
  return 'invalid-field';
}

/** Reasons for required fields that STIX, not the ATT&CK model, requires of one STIX version. */
const STIX_REQUIREMENTS: ReadonlyMap<string, string> = new Map([
  ['labels', 'STIX 2.0 requires it on malware and tool objects'],
  ['is_family', 'STIX 2.1 requires it on malware objects'],
  ['identity_class', 'STIX 2.0 requires it on identity objects'],
]);

function missingFieldDetail(field: string, type: string): string {
  return STIX_REQUIREMENTS.get(field) ?? `the ATT&CK model requires it on ${type} objects`;
}

function unknownPropertyWarning(key: string, type: string): ObjectWarning {
  const detail = key.startsWith('x_')
    ? `the ATT&CK model defines no such custom property on ${type} objects`
    : `neither STIX nor the ATT&CK model defines it on ${type} objects`;
  return makeWarning('unknown-custom-field', key, detail);
}

/** Appends one warning per zod issue, or one per property for unknown top-level properties. */
export function appendIssueWarnings(
  issues: readonly z.core.$ZodIssue[],
  object: Readonly<Record<string, unknown>>,
  type: string,
  warnings: ObjectWarning[],
): void {
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys' && issue.path.length === 0) {
      for (const key of issue.keys) warnings.push(unknownPropertyWarning(key, type));
      continue;
    }

    const kind = warningKind(issue, object);
    const field = formatPath(issue.path);
    const detail = kind === 'missing-field' ? missingFieldDetail(field, type) : issue.message;
    warnings.push(makeWarning(kind, field, detail));
  }
}
