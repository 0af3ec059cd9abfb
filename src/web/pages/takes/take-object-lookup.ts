/** Finds the object that a take is to be written on, from the STIX ID or ATT&CK ID a user typed or a form sent. */
import { isStixId } from '../../../domain/ids.js';
import { PAGE_KINDS } from '../../../domain/object-types.js';
import type { ObjectSnapshot, Store } from '../../../storage/store.js';
import { ATTACK_ID_PATTERN } from '../../routes/object-lookup.js';

/** Types of the objects that takes are written on: every type with pages. Relationships have none. */
const TAKE_OBJECT_TYPES = [...new Set(PAGE_KINDS.flatMap((kind) => kind.types))];

/** Normalizes an ATT&CK ID as typed, `t1059/001` or `T1059.001`, to `T1059.001`. */
export function normalizeAttackId(text: string): string {
  return text.trim().toUpperCase().replace('/', '.');
}

/** The object a take is to be written on, or why it cannot be named: an invalid, unknown or ambiguous ID. */
export type ObjectLookup =
  | { object: ObjectSnapshot }
  | { object?: undefined; status: 400 | 404 | 409; message: string; candidates: ObjectSnapshot[] };

/**
 * Finds the current version of the object named by a STIX ID or an ATT&CK ID. An ATT&CK ID that names
 * several objects resolves to the only one that is neither deprecated nor revoked: Enterprise reuses
 * many technique IDs for deprecated mitigations, such as T1003 for OS Credential Dumping and the
 * deprecated Credential Dumping Mitigation.
 */
export async function lookUpTakeObject(store: Store, typed: string): Promise<ObjectLookup> {
  const text = typed.trim();
  if (isStixId(text)) {
    const object = await store.currentSnapshot(text);
    if (object) return { object };
    return { status: 404, message: `No imported release contains an object with STIX ID ${text}.`, candidates: [] };
  }

  const attackId = normalizeAttackId(text);
  if (!ATTACK_ID_PATTERN.test(attackId)) {
    const problem = text === '' ? 'No object was given' : `"${text}" is neither an ATT&CK ID nor a STIX ID`;
    const message = `${problem}: give an ATT&CK ID such as T1059.001 or a STIX ID such as attack-pattern--<UUID>, or open the take editor from an object's page.`;
    return { status: 400, message, candidates: [] };
  }
  const candidates = await store.findByAttackId(attackId, TAKE_OBJECT_TYPES);
  const [first] = candidates;
  if (!first) return { status: 404, message: `No imported release contains an object with ATT&CK ID ${attackId}.`, candidates };
  if (candidates.length === 1) return { object: first };

  const active = candidates.filter((candidate) => !candidate.deprecated && !candidate.revoked);
  if (active.length === 1 && active[0]) return { object: active[0] };
  const activeCount = active.length === 0 ? 'all of them are deprecated or revoked' : `${active.length} of them are neither deprecated nor revoked`;
  const message = `ATT&CK ID ${attackId} names ${candidates.length} objects, and ${activeCount}: choose the object of the take.`;
  return { status: 409, message, candidates };
}
