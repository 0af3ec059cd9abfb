/**
 * Structural checks whose failure makes the caller reject the whole bundle: without a
 * type, a valid ID and its timestamps, an object cannot be stored or versioned.
 */
import { stixIdType } from '../domain/ids.js';
import { ATTACK_TYPES } from '../domain/object-types.js';
import { quoteValue } from './common.js';
import { isRfc3339Timestamp } from './timestamps.js';
import type { ObjectFault } from './types.js';

/** Describes the JSON kind of a value for a message: "an array", "null", "a string". */
export function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'object':
      return 'an object';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return typeof value;
  }
}

/** Returns whether a value is a JSON object: not null, not an array, not a primitive. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkType(object: Readonly<Record<string, unknown>>, faults: ObjectFault[]): void {
  const type = object.type;
  if (type === undefined) {
    faults.push({ field: 'type', message: 'missing "type": every STIX object needs a type such as "attack-pattern"' });
  } else if (typeof type !== 'string' || type === '') {
    const got = typeof type === 'string' ? 'an empty string' : describeJsonKind(type);
    faults.push({ field: 'type', message: `invalid "type": expected a non-empty string, got ${got}` });
  }
}

const ATTACK_TYPE_SET: ReadonlySet<string> = new Set(ATTACK_TYPES);

/** The UUID after `<type>--`, matched from `lastIndex` to the end of the string. */
const UUID_AT_INDEX = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/y;

/**
 * Returns whether `id` is `<type>--<UUID>` for an ATT&CK type. This is the common case,
 * and it avoids the match array and the type substring that a full parse allocates.
 */
function isIdOfAttackType(id: string, type: unknown): boolean {
  if (typeof type !== 'string' || !ATTACK_TYPE_SET.has(type)) return false;
  if (!id.startsWith(type) || !id.startsWith('--', type.length)) return false;
  UUID_AT_INDEX.lastIndex = type.length + 2;
  return UUID_AT_INDEX.test(id);
}

function checkId(object: Readonly<Record<string, unknown>>, faults: ObjectFault[]): void {
  const id = object.id;
  if (id === undefined) {
    faults.push({ field: 'id', message: 'missing "id": every STIX object needs an identifier of the form <type>--<UUID>' });
    return;
  }
  if (typeof id !== 'string') {
    faults.push({ field: 'id', message: `invalid "id": expected a string of the form <type>--<UUID>, got ${describeJsonKind(id)}` });
    return;
  }

  if (isIdOfAttackType(id, object.type)) return;

  const idType = stixIdType(id);
  if (idType === undefined) {
    faults.push({ field: 'id', message: `invalid "id": ${quoteValue(id)} is not a STIX identifier of the form <type>--<UUID>` });
  } else if (typeof object.type === 'string' && object.type !== '' && idType !== object.type) {
    faults.push({
      field: 'id',
      message: `invalid "id": ${quoteValue(id)} starts with type "${idType}", but the object's type is ${quoteValue(object.type)}`,
    });
  }
}

function checkTimestamp(
  object: Readonly<Record<string, unknown>>,
  field: 'created' | 'modified',
  purpose: string,
  faults: ObjectFault[],
): void {
  const value = object[field];
  if (value === undefined) {
    faults.push({ field, message: `missing "${field}": ${purpose}` });
  } else if (typeof value !== 'string' || !isRfc3339Timestamp(value)) {
    const got = typeof value === 'string' ? quoteValue(value) : describeJsonKind(value);
    faults.push({
      field,
      message: `invalid "${field}": expected an RFC 3339 timestamp such as "2025-10-24T17:48:19.059Z", got ${got}`,
    });
  }
}

const RELATIONSHIP_FIELDS = [
  ['relationship_type', 'the kind of relationship, such as "uses"'],
  ['source_ref', 'the STIX ID of the source object'],
  ['target_ref', 'the STIX ID of the target object'],
] as const;

function checkRelationship(object: Readonly<Record<string, unknown>>, faults: ObjectFault[]): void {
  for (const [field, meaning] of RELATIONSHIP_FIELDS) {
    const value = object[field];
    if (value === undefined) {
      faults.push({ field, message: `missing "${field}": every relationship needs ${meaning}` });
    } else if (typeof value !== 'string') {
      faults.push({ field, message: `invalid "${field}": expected a string with ${meaning}, got ${describeJsonKind(value)}` });
    }
  }
}

/**
 * Appends the structural faults of a JSON object to `faults`.
 *
 * `created` and `modified` must be RFC 3339 timestamps. The stricter STIX form (UTC with
 * `Z`) is only a warning, which rules.ts reports. A marking definition has no `modified`,
 * because STIX makes marking definitions immutable.
 */
export function collectFaults(object: Readonly<Record<string, unknown>>, faults: ObjectFault[]): void {
  checkType(object, faults);
  checkId(object, faults);
  checkTimestamp(object, 'created', 'every STIX object needs a creation timestamp', faults);
  if (object.type !== 'marking-definition') {
    checkTimestamp(object, 'modified', 'every STIX object except a marking definition needs a modification timestamp', faults);
  }
  if (object.type === 'relationship') checkRelationship(object, faults);
}
