/**
 * Checks one STIX object of an ATT&CK bundle against STIX 2.0/2.1 and the ATT&CK data
 * model, and sorts what it finds into faults (the bundle is rejected) and warnings
 * (the object is kept).
 */
import type { z } from 'zod';
import { collectFaults, describeJsonKind, isJsonObject } from './faults.js';
import { appendIssueWarnings, makeWarning, PARSE_OPTIONS } from './issues.js';
import { applyObjectRules } from './rules.js';
import { COMPILED_UNKNOWN_TYPE_SCHEMA, schemasForType } from './schemas/index.js';
import type { ObjectWarning, ValidationContext, ValidationResult } from './types.js';

/**
 * Returns the STIX version an object follows. A STIX 2.1 object names it in
 * `spec_version`. A STIX 2.0 object has no such property, so the bundle's version
 * decides, and a bundle without one is STIX 2.1.
 */
function objectSpecVersion(object: Readonly<Record<string, unknown>>, context: ValidationContext): '2.0' | '2.1' {
  if (object.spec_version === '2.1') return '2.1';
  return context.bundleSpecVersion === '2.0' ? '2.0' : '2.1';
}

// Built once: every object of a STIX 2.0 bundle gets one of these warnings.
const MISSING_IN_STIX20 = makeWarning(
  'missing-spec-version',
  'spec_version',
  "STIX 2.0 objects carry none, so the object follows the bundle's STIX 2.0",
);
const MISSING_IN_STIX21 = makeWarning('missing-spec-version', 'spec_version', 'STIX 2.1 requires "2.1" on every object');

/** Returns a new missing-spec-version warning, so that callers may change the one they get. */
function missingSpecVersionWarning(context: ValidationContext): ObjectWarning {
  return { ...(context.bundleSpecVersion === '2.0' ? MISSING_IN_STIX20 : MISSING_IN_STIX21) };
}

/**
 * Runs zod's compiled check, which collects no issues. It returns a plain boolean, so a
 * failed check does not narrow the caller's variable.
 */
function passesCompiledCheck(schema: z.ZodType, value: unknown): boolean {
  return schema.validate(value);
}

/** Appends the schema's issues as warnings. Only an object that fails the compiled check is parsed again for them. */
function appendSchemaWarnings(
  schema: z.ZodType,
  object: Readonly<Record<string, unknown>>,
  type: string,
  warnings: ObjectWarning[],
): void {
  if (passesCompiledCheck(schema, object)) return;
  const result = schema.safeParse(object, PARSE_OPTIONS);
  if (!result.success) appendIssueWarnings(result.error.issues, object, type, warnings);
}

/**
 * Validates one object of a bundle.
 *
 * Faults are structural: the value is not a JSON object, or its `type`, `id`, `created`,
 * `modified` (except on a marking definition) or a relationship's `source_ref`,
 * `target_ref` or `relationship_type` is missing or malformed. When an object has faults,
 * the result has no warnings, because the caller rejects the bundle anyway.
 *
 * Every other deviation is a warning. An object of a type outside ATT&CK gets an
 * `unknown-type` warning, and only its STIX common properties are checked.
 */
export function validateObject(object: unknown, context: ValidationContext): ValidationResult {
  const faults: ValidationResult['faults'] = [];
  const warnings: ValidationResult['warnings'] = [];

  if (!isJsonObject(object)) {
    faults.push({ field: '', message: `invalid object: expected a JSON object, got ${describeJsonKind(object)}` });
    return { faults, warnings };
  }
  collectFaults(object, faults);
  if (faults.length > 0) return { faults, warnings };

  // collectFaults has checked that `type` is a non-empty string.
  const type = object.type as string;
  if (object.spec_version === undefined) warnings.push(missingSpecVersionWarning(context));

  const schemas = schemasForType(type);
  let schema: z.ZodType;
  if (schemas === undefined) {
    warnings.push(makeWarning('unknown-type', 'type', `"${type}" is not one of the STIX types that ATT&CK 12 to 18 use`));
    schema = COMPILED_UNKNOWN_TYPE_SCHEMA;
  } else {
    schema = objectSpecVersion(object, context) === '2.0' ? schemas.stix20 : schemas.stix21;
  }

  appendSchemaWarnings(schema, object, type, warnings);
  applyObjectRules(object, type, context.domain, warnings);
  return { faults, warnings };
}
