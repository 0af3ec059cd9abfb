/**
 * The rules that put an object into a change category. Pure functions over
 * object metadata and parsed JSON, so they can be tested without a store.
 */
import { parseVersion } from '../../domain/versions.js';
import type { Category } from './schema.js';

/** The fields of an object version that the rules read. */
export interface ComparableObject {
  version: string | null;
  modified: string | null;
  deprecated: boolean;
  revoked: boolean;
  /** SHA-256 of the canonical JSON without `spec_version`: equal hashes mean equal content. */
  contentHash: string;
  /** Returns the object's `description`, parsed lazily because most objects need no parse. */
  description: () => string | undefined;
}

export type VersionStep = 'same' | 'major' | 'minor' | 'other';

/**
 * Classifies a change of `x_mitre_version`: M.m to (M+1).0 is major, M.m to
 * M.(m+1) is minor, any other difference (a skipped number, a decrease, a
 * version appearing or disappearing) is other. Versions compare as integer
 * pairs, so 1.9 to 1.10 is a minor step and "1.0" equals "1".
 */
export function versionStep(oldVersion: string | null, newVersion: string | null): VersionStep {
  if (oldVersion === newVersion) return 'same';
  const before = oldVersion === null ? undefined : parseVersion(oldVersion);
  const after = newVersion === null ? undefined : parseVersion(newVersion);
  if (!before || !after) return 'other';
  if (before.major === after.major && before.minor === after.minor) return 'same';
  if (after.major === before.major + 1 && after.minor === 0) return 'major';
  if (after.major === before.major && after.minor === before.minor + 1) return 'minor';
  return 'other';
}

/** Compares timestamps as instants, so `...00.100Z` and `...00.1Z` are the same `modified`. */
function sameInstant(left: string | null, right: string | null): boolean {
  if (left === right) return true;
  if (left === null || right === null) return false;
  const leftTime = Date.parse(left);
  return !Number.isNaN(leftTime) && leftTime === Date.parse(right);
}

/**
 * Puts an object into its category. Rules apply in order: only in the newer
 * release, only in the older one, newly revoked, newly deprecated, version
 * step, then a patch when the version is the same but `modified` or the
 * description differs. Serialization alone never counts, because equal
 * content hashes mean equal content and the fields compared are parsed values.
 */
export function classifyChange(before: ComparableObject | undefined, after: ComparableObject | undefined): Category {
  if (!before && !after) throw new Error('classifyChange needs at least one version of the object');
  if (!before) return 'additions';
  if (!after) return 'deletions';
  if (!before.revoked && after.revoked) return 'revocations';
  if (!before.deprecated && after.deprecated) return 'deprecations';

  const step = versionStep(before.version, after.version);
  if (step !== 'same') return step;

  if (before.contentHash === after.contentHash) return 'unchanged';
  if (!sameInstant(before.modified, after.modified)) return 'patches';
  if (before.description() !== after.description()) return 'patches';
  return 'unchanged';
}
