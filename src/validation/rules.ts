/**
 * Checks that the per-field schemas leave out. Some rules span several fields: timestamp
 * order, the ATT&CK ID in the first external reference, alias order and the object
 * types a relationship may connect. Others are cheaper here than in a schema: the STIX
 * form of `created` and `modified`, and empty text, which MITRE's releases often have.
 *
 * Each rule reads the raw object and skips fields of the wrong shape, because the
 * schema has already reported those.
 */
import { DOMAINS } from '../domain/object-types.js';
import { hasText, quoteValue } from './common.js';
import { isJsonObject } from './faults.js';
import { makeWarning } from './issues.js';
import { compareStixTimestamps, hasStixForm, isStixTimestamp } from './timestamps.js';
import type { ObjectWarning, WarningKind } from './types.js';

type JsonObject = Readonly<Record<string, unknown>>;

// ---------------------------------------------------------------------------
// Timestamps and text

/**
 * Reports `created` or `modified` when it is RFC 3339 but not in the STIX form, UTC
 * with `Z`. faults.ts has already checked that both are RFC 3339.
 */
function checkTimestampForm(object: JsonObject, field: 'created' | 'modified', warnings: ObjectWarning[]): void {
  const value = object[field];
  if (typeof value === 'string' && !hasStixForm(value)) {
    warnings.push(
      makeWarning('invalid-field', field, `expected a UTC timestamp such as "2025-10-24T17:48:19.059Z", got ${quoteValue(value)}`),
    );
  }
}

function checkEmptyText(object: JsonObject, field: string, kind: WarningKind, detail: string, warnings: ObjectWarning[]): void {
  const value = object[field];
  if (typeof value === 'string' && !hasText(value)) warnings.push(makeWarning(kind, field, detail));
}

/**
 * Reports `laterField` when it names an earlier instant than `earlierField`. Values
 * that fail `isComparable` are skipped, because their own check reports them.
 */
function checkTimestampOrder(
  object: JsonObject,
  earlierField: string,
  laterField: string,
  isComparable: (value: string) => boolean,
  requirement: string,
  warnings: ObjectWarning[],
): void {
  const earlier = object[earlierField];
  const later = object[laterField];
  if (typeof earlier !== 'string' || typeof later !== 'string' || earlier === later) return;
  if (!isComparable(earlier) || !isComparable(later)) return;

  if (compareStixTimestamps(earlier, later) > 0) {
    warnings.push(
      makeWarning(
        'invalid-field',
        laterField,
        `${later} is earlier than "${earlierField}" (${earlier}), but ${requirement}`,
      ),
    );
  }
}

// ---------------------------------------------------------------------------
// Domains

const KNOWN_DOMAINS: ReadonlySet<string> = new Set(DOMAINS);

/** Reports an object whose `x_mitre_domains` leaves out the domain of the bundle that contains it. */
function checkDomainMembership(object: JsonObject, bundleDomain: string, warnings: ObjectWarning[]): void {
  const domains = object.x_mitre_domains;
  if (!KNOWN_DOMAINS.has(bundleDomain) || !Array.isArray(domains) || domains.includes(bundleDomain)) return;
  warnings.push(
    makeWarning('invalid-field', 'x_mitre_domains', `expected the bundle's domain "${bundleDomain}" in the list, got ${quoteValue(domains)}`),
  );
}

// ---------------------------------------------------------------------------
// External references

/** Reports references with only a `source_name`, because STIX requires a description, URL or external ID too. */
function checkExternalReferenceContent(object: JsonObject, warnings: ObjectWarning[]): void {
  const references = object.external_references;
  if (!Array.isArray(references)) return;
  for (let index = 0; index < references.length; index++) {
    const reference: unknown = references[index];
    if (!isJsonObject(reference)) continue;
    if (reference.description === undefined && reference.url === undefined && reference.external_id === undefined) {
      warnings.push(
        makeWarning(
          'invalid-field',
          `external_references[${index}]`,
          'expected at least one of "description", "url" or "external_id" besides "source_name"',
        ),
      );
    }
  }
}

// ---------------------------------------------------------------------------
// ATT&CK IDs

interface AttackIdFormat {
  pattern: RegExp;
  example: string;
}

/**
 * Format of the ATT&CK ID (`external_id` of the first external reference) per type. The
 * lookup tables in this file are maps, because a plain object also returns inherited
 * properties, so an object of type "constructor" would find `Object`.
 */
const ATTACK_ID_FORMATS: ReadonlyMap<string, AttackIdFormat> = new Map(Object.entries({
  'attack-pattern': { pattern: /^T\d{4}(\.\d{3})?$/, example: '"T1059" or "T1059.001"' },
  'x-mitre-tactic': { pattern: /^TA\d{4}$/, example: '"TA0001"' },
  'course-of-action': { pattern: /^M\d{4}$/, example: '"M1036"' },
  'intrusion-set': { pattern: /^G\d{4}$/, example: '"G0016"' },
  malware: { pattern: /^S\d{4}$/, example: '"S0154"' },
  tool: { pattern: /^S\d{4}$/, example: '"S0002"' },
  campaign: { pattern: /^C\d{4}$/, example: '"C0024"' },
  'x-mitre-data-source': { pattern: /^DS\d{4}$/, example: '"DS0009"' },
  'x-mitre-data-component': { pattern: /^DC\d{4}$/, example: '"DC0001"' },
  'x-mitre-detection-strategy': { pattern: /^DET\d{4}$/, example: '"DET0001"' },
  'x-mitre-analytic': { pattern: /^AN\d{4}$/, example: '"AN0001"' },
  'x-mitre-asset': { pattern: /^A\d{4}$/, example: '"A0001"' },
  // A matrix is named by its domain instead of an ID.
  'x-mitre-matrix': { pattern: new RegExp(`^(${DOMAINS.join('|')})$`), example: DOMAINS.map((domain) => `"${domain}"`).join(' or ') },
}));

/** Source names under which ATT&CK objects carry their ATT&CK ID, current and legacy. */
const ATTACK_SOURCE_NAMES: ReadonlySet<string> = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']);

/**
 * Checks that the first external reference contains the object's ATT&CK ID in the
 * format of its type. Many deprecated Enterprise mitigations fail it, because they
 * predate mitigation IDs and carry the ID of the technique they were written for, such
 * as "T1043".
 */
function checkAttackId(object: JsonObject, type: string, warnings: ObjectWarning[]): void {
  const format = ATTACK_ID_FORMATS.get(type);
  const references = object.external_references;
  if (format === undefined || !Array.isArray(references)) return;
  const first: unknown = references[0];
  if (!isJsonObject(first) || typeof first.source_name !== 'string') return;

  if (!ATTACK_SOURCE_NAMES.has(first.source_name)) {
    warnings.push(
      makeWarning(
        'invalid-field',
        'external_references[0].source_name',
        `expected "mitre-attack", because the first external reference contains the ATT&CK ID, got ${quoteValue(first.source_name)}`,
      ),
    );
    return;
  }

  const attackId = first.external_id;
  if (typeof attackId !== 'string') {
    warnings.push(
      makeWarning('invalid-field', 'external_references[0].external_id', `expected the ATT&CK ID, such as ${format.example}, but the field is absent`),
    );
  } else if (!format.pattern.test(attackId)) {
    warnings.push(
      makeWarning('invalid-field', 'external_references[0].external_id', `expected the ATT&CK ID format of ${type} objects, such as ${format.example}, got ${quoteValue(attackId)}`),
    );
  } else if (type === 'attack-pattern' && typeof object.x_mitre_is_subtechnique === 'boolean') {
    const idIsSubtechnique = attackId.includes('.');
    if (idIsSubtechnique !== object.x_mitre_is_subtechnique) {
      warnings.push(
        makeWarning(
          'invalid-field',
          'x_mitre_is_subtechnique',
          `expected ${String(idIsSubtechnique)}, because the ATT&CK ID ${quoteValue(attackId)} is ${idIsSubtechnique ? '' : 'not '}a sub-technique ID`,
        ),
      );
    }
  }
}

// ---------------------------------------------------------------------------
// Aliases

/** The alias field whose first entry must repeat the object's name, per type. */
const ALIAS_FIELDS: ReadonlyMap<string, string> = new Map([
  ['intrusion-set', 'aliases'],
  ['campaign', 'aliases'],
  ['malware', 'x_mitre_aliases'],
  ['tool', 'x_mitre_aliases'],
]);

function checkFirstAlias(object: JsonObject, type: string, warnings: ObjectWarning[]): void {
  const field = ALIAS_FIELDS.get(type);
  if (field === undefined) return;
  const aliases = object[field];
  if (!Array.isArray(aliases) || aliases.length === 0 || typeof object.name !== 'string') return;

  if (aliases[0] !== object.name) {
    warnings.push(
      makeWarning('invalid-field', `${field}[0]`, `expected the object's name ${quoteValue(object.name)} as the first alias, got ${quoteValue(aliases[0])}`),
    );
  }
}

// ---------------------------------------------------------------------------
// Relationships

interface RelationshipEndpoints {
  sources: readonly string[];
  targets: readonly string[];
}

const SOFTWARE_TYPES = ['malware', 'tool'];

/** Object types that each ATT&CK relationship type may connect. `revoked-by` is checked apart. */
const RELATIONSHIP_ENDPOINTS: ReadonlyMap<string, RelationshipEndpoints> = new Map(Object.entries({
  uses: { sources: ['intrusion-set', 'campaign', 'malware', 'tool'], targets: ['attack-pattern', 'malware', 'tool'] },
  mitigates: { sources: ['course-of-action'], targets: ['attack-pattern'] },
  'subtechnique-of': { sources: ['attack-pattern'], targets: ['attack-pattern'] },
  // Data components detected techniques until ATT&CK 17, and detection strategies have done so since ATT&CK 18.
  detects: { sources: ['x-mitre-data-component', 'x-mitre-detection-strategy'], targets: ['attack-pattern'] },
  'attributed-to': { sources: ['campaign'], targets: ['intrusion-set'] },
  targets: { sources: ['attack-pattern'], targets: ['x-mitre-asset'] },
}));

/** Returns the type part of a STIX ID, or undefined when the value has no `--`. */
function refType(ref: string): string | undefined {
  const separator = ref.indexOf('--');
  return separator > 0 ? ref.slice(0, separator) : undefined;
}

/** Lists types for a message: "campaign", or "intrusion-set, campaign, malware or tool". */
function describeTypes(types: readonly string[]): string {
  if (types.length === 1) return types[0] ?? '';
  return `${types.slice(0, -1).join(', ')} or ${types[types.length - 1] ?? ''}`;
}

function checkRelationshipEndpoints(object: JsonObject, warnings: ObjectWarning[]): void {
  const relationshipType = object.relationship_type;
  if (typeof object.source_ref !== 'string' || typeof object.target_ref !== 'string') return;
  const sourceType = refType(object.source_ref);
  const targetType = refType(object.target_ref);
  if (sourceType === undefined || targetType === undefined) return;

  if (relationshipType === 'revoked-by') {
    // An object is revoked in favour of one of its own type. ATT&CK also revokes malware
    // in favour of a tool and the reverse, when it reclassifies a piece of software.
    const bothSoftware = SOFTWARE_TYPES.includes(sourceType) && SOFTWARE_TYPES.includes(targetType);
    if (sourceType !== targetType && !bothSoftware) {
      warnings.push(
        makeWarning('invalid-field', 'target_ref', `expected a replacement of type ${sourceType}, like the revoked object, got type ${targetType}`),
      );
    }
    return;
  }

  const endpoints = typeof relationshipType === 'string' ? RELATIONSHIP_ENDPOINTS.get(relationshipType) : undefined;
  if (endpoints === undefined) return;
  if (!endpoints.sources.includes(sourceType)) {
    warnings.push(
      makeWarning('invalid-field', 'source_ref', `expected a source of type ${describeTypes(endpoints.sources)} in a "${relationshipType}" relationship, got type ${sourceType}`),
    );
  }
  if (!endpoints.targets.includes(targetType)) {
    warnings.push(
      makeWarning('invalid-field', 'target_ref', `expected a target of type ${describeTypes(endpoints.targets)} in a "${relationshipType}" relationship, got type ${targetType}`),
    );
  }
  if (relationshipType === 'uses' && SOFTWARE_TYPES.includes(sourceType) && SOFTWARE_TYPES.includes(targetType)) {
    warnings.push(
      makeWarning('invalid-field', 'target_ref', `expected a target of type attack-pattern in a "uses" relationship from software, got type ${targetType}`),
    );
  }
}

// ---------------------------------------------------------------------------
// Marking definitions

function checkMarkingDefinition(object: JsonObject, warnings: ObjectWarning[]): void {
  const definitionType = object.definition_type;
  const definition = object.definition;
  if ((definitionType !== 'statement' && definitionType !== 'tlp') || !isJsonObject(definition)) return;

  if (definition[definitionType] === undefined) {
    warnings.push(
      makeWarning('invalid-field', 'definition', `expected a "${definitionType}" property, because "definition_type" is "${definitionType}"`),
    );
  }
}

// ---------------------------------------------------------------------------

/**
 * Appends the warnings of the rules in this file that apply to an object of `type`
 * in a bundle of `bundleDomain`, such as `enterprise-attack`.
 */
export function applyObjectRules(object: JsonObject, type: string, bundleDomain: string, warnings: ObjectWarning[]): void {
  checkTimestampForm(object, 'created', warnings);
  checkExternalReferenceContent(object, warnings);
  checkDomainMembership(object, bundleDomain, warnings);
  if (type === 'marking-definition') {
    checkMarkingDefinition(object, warnings);
    return;
  }

  // faults.ts has checked that both are RFC 3339, so the STIX form is all that is left to check.
  checkTimestampForm(object, 'modified', warnings);
  checkTimestampOrder(object, 'created', 'modified', hasStixForm, 'STIX requires "modified" to be on or after "created"', warnings);

  if (type === 'relationship') {
    checkEmptyText(object, 'description', 'empty-relationship-description', 'the relationship has a description field with no text', warnings);
    checkRelationshipEndpoints(object, warnings);
    return;
  }

  checkEmptyText(object, 'x_mitre_detection', 'empty-detection', 'the field is present but contains no text', warnings);
  checkTimestampOrder(object, 'first_seen', 'last_seen', isStixTimestamp, 'STIX requires "last_seen" to be on or after "first_seen"', warnings);
  checkAttackId(object, type, warnings);
  checkFirstAlias(object, type, warnings);
}
