/**
 * Field-by-field comparison of one ATT&CK object between two releases. Each
 * field that differs is reported once, in the form that suits its value. Lists
 * of strings and kill-chain phases give items added and removed, prose gives a
 * word diff, and `external_references` gives entries added and removed. Any
 * other nested value is shown as old and new JSON.
 */
import { canonicalJson } from '../../import/canonical-json.js';
import type { StixObject } from '../../domain/stix-object.js';
import { diffLists, type ListDiff } from './list-diff.js';
import { diffReferences, type ReferenceDiff } from './reference-diff.js';
import { diffText, type TextDiffPart } from './text-diff.js';

/** Whether the field exists in only the older object, only the newer one, or in both with different values. */
export type FieldStatus = 'added' | 'removed' | 'changed';

interface FieldChangeBase {
  field: string;
  status: FieldStatus;
}

/** A string, number, boolean or null field. `from` or `to` is undefined where the field is absent. */
export interface ScalarChange extends FieldChangeBase {
  kind: 'scalar';
  from: unknown;
  to: unknown;
}

/** A list of strings, or `kill_chain_phases` as `kill_chain_name:phase_name` items. */
export interface ListChange extends FieldChangeBase, ListDiff {
  kind: 'list';
}

/** A prose field such as `description`, as a word diff. An absent field counts as empty text. */
export interface TextChange extends FieldChangeBase {
  kind: 'text';
  parts: TextDiffPart[];
}

export interface ReferencesChange extends FieldChangeBase, ReferenceDiff {
  kind: 'references';
}

/** Any other value, as canonical JSON. `from` or `to` is undefined where the field is absent. */
export interface JsonChange extends FieldChangeBase {
  kind: 'json';
  from: string | undefined;
  to: string | undefined;
}

export type FieldChange = ScalarChange | ListChange | TextChange | ReferencesChange | JsonChange;

export interface ObjectComparison {
  /** True when the two objects have the same content: equal canonical JSON without `spec_version`. */
  unchanged: boolean;
  /** Changed fields, sorted by field name. */
  changes: FieldChange[];
}

/**
 * Fields left out of the comparison. STIX 2.1 bundles put `spec_version` on
 * every object and STIX 2.0 bundles only on the bundle, so it marks the bundle
 * format, not a change to the object. The content hash leaves it out too.
 */
const IGNORED_FIELDS = new Set(['spec_version']);

/** Prose fields of ATT&CK objects. Other strings count as prose when they are long or span lines. */
const TEXT_FIELDS = new Set(['description', 'x_mitre_detection']);
const MIN_TEXT_LENGTH = 80;

function isText(field: string, value: string): boolean {
  return TEXT_FIELDS.has(field) || value.length >= MIN_TEXT_LENGTH || value.includes('\n');
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isObjectList(value: unknown): value is StixObject[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item));
}

/** Returns kill-chain phases as `kill_chain_name:phase_name` items, or undefined when an entry lacks either string. */
function killChainItems(value: unknown): string[] | undefined {
  if (!isObjectList(value)) return undefined;
  const items: string[] = [];
  for (const phase of value) {
    if (typeof phase.kill_chain_name !== 'string' || typeof phase.phase_name !== 'string') return undefined;
    items.push(`${phase.kill_chain_name}:${phase.phase_name}`);
  }
  return items;
}

/** Returns the field as list items, or undefined when it is not a list field. An absent side counts as an empty list. */
function listItems(field: string, value: unknown): string[] | undefined {
  if (value === undefined) return [];
  if (field === 'kill_chain_phases') return killChainItems(value);
  return isStringList(value) ? value : undefined;
}

function fieldStatus(from: unknown, to: unknown): FieldStatus {
  if (from === undefined) return 'added';
  if (to === undefined) return 'removed';
  return 'changed';
}

/** Compares one field whose canonical JSON differs between the two objects. */
function compareField(field: string, from: unknown, to: unknown): FieldChange {
  const status = fieldStatus(from, to);

  if (field === 'external_references') {
    const fromList = from === undefined ? [] : from;
    const toList = to === undefined ? [] : to;
    if (isObjectList(fromList) && isObjectList(toList)) {
      return { kind: 'references', field, status, ...diffReferences(fromList, toList) };
    }
  }

  const fromItems = listItems(field, from);
  const toItems = listItems(field, to);
  if (fromItems !== undefined && toItems !== undefined && (from !== undefined || to !== undefined)) {
    return { kind: 'list', field, status, ...diffLists(fromItems, toItems) };
  }

  const fromText = from === undefined ? '' : from;
  const toText = to === undefined ? '' : to;
  if (typeof fromText === 'string' && typeof toText === 'string' && (isText(field, fromText) || isText(field, toText))) {
    return { kind: 'text', field, status, parts: diffText(fromText, toText) };
  }

  if ((from === undefined || isScalar(from)) && (to === undefined || isScalar(to))) {
    return { kind: 'scalar', field, status, from, to };
  }

  return {
    kind: 'json',
    field,
    status,
    from: from === undefined ? undefined : canonicalJson(from),
    to: to === undefined ? undefined : canonicalJson(to),
  };
}

/**
 * Compares two versions of an object field by field. Values are compared as
 * canonical JSON (RFC 8785), so key order and number formatting are not changes,
 * and `spec_version` is ignored.
 */
export function compareObjects(from: StixObject, to: StixObject): ObjectComparison {
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])]
    .filter((field) => !IGNORED_FIELDS.has(field))
    .sort();

  const changes: FieldChange[] = [];
  for (const field of fields) {
    const fromValue = from[field];
    const toValue = to[field];
    const same = fromValue !== undefined && toValue !== undefined && canonicalJson(fromValue) === canonicalJson(toValue);
    if (!same) changes.push(compareField(field, fromValue, toValue));
  }
  return { unchanged: changes.length === 0, changes };
}
