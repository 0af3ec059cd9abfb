/**
 * The publication rule: a take may be published only while the object
 * version it is pinned to is the object's current version, and that version
 * passes schema validation. When it may not, the check carries the reasons
 * and the field-by-field comparison the reviewer needs.
 */
import type { StixObject } from '../domain/stix-object.js';
import { compareObjects, type ObjectComparison } from '../history/compare/index.js';
import type { ObjectSnapshot, ReleaseInfo } from '../storage/store.js';
import type { TakeRecord } from '../storage/team-store.js';
import { validateObject } from '../validation/validate-object.js';

/** Warning kinds that mean the object breaks the ATT&CK data model, as opposed to quirks MITRE's releases carry. */
const SCHEMA_ERROR_KINDS = new Set(['missing-field', 'invalid-field', 'unknown-type']);

export interface SchemaError {
  field: string;
  message: string;
}

export interface PublishCheck {
  publishable: boolean;
  /** Sentences that explain why not; empty when publishable. */
  reasons: string[];
  pinnedContentHash: string;
  pinnedRelease: ReleaseInfo | undefined;
  currentContentHash: string | undefined;
  currentRelease: ReleaseInfo | undefined;
  /** Schema validation errors of the current version. */
  schemaErrors: SchemaError[];
  /** Pinned version against the current one; undefined when they are the same or one is missing. */
  comparison: ObjectComparison | undefined;
}

function parse(snapshot: ObjectSnapshot): StixObject {
  return JSON.parse(snapshot.raw.toString('utf8')) as StixObject;
}

/** Validates the current version again, so a rule added since its import applies too. */
export function schemaErrorsOf(snapshot: ObjectSnapshot): SchemaError[] {
  const result = validateObject(parse(snapshot), {
    bundleSpecVersion: snapshot.release.specVersion ?? undefined,
    domain: snapshot.release.domain,
  });
  const errors: SchemaError[] = result.faults.map((fault) => ({ field: fault.field, message: fault.message }));
  for (const warning of result.warnings) {
    if (SCHEMA_ERROR_KINDS.has(warning.kind)) errors.push({ field: warning.field, message: warning.message });
  }
  return errors;
}

function releaseName(release: ReleaseInfo | undefined): string {
  return release ? `${release.domain} ${release.version}` : 'a release no longer in the library';
}

export function checkPublishable(view: { take: TakeRecord; pinned: ObjectSnapshot | undefined; current: ObjectSnapshot | undefined }): PublishCheck {
  const { take, pinned, current } = view;
  const reasons: string[] = [];
  const schemaErrors = current ? schemaErrorsOf(current) : [];

  if (!current) {
    reasons.push(`No imported release contains ${take.stixId} any more.`);
  } else if (current.contentHash !== take.pinnedContentHash) {
    reasons.push(
      `The take is pinned to the version in ${releaseName(pinned?.release)} (content hash ${take.pinnedContentHash.slice(0, 12)}), ` +
        `but the current version in ${releaseName(current.release)} has content hash ${current.contentHash.slice(0, 12)}. ` +
        'Read what changed, update the take if needed, and re-pin it to the current version.',
    );
  }
  if (schemaErrors.length > 0) {
    reasons.push(
      `The current version has ${schemaErrors.length} schema validation error(s), such as ${schemaErrors[0]?.field}: ${schemaErrors[0]?.message}. ` +
        'It cannot be published until a release fixes the object.',
    );
  }

  const differs = pinned !== undefined && current !== undefined && pinned.contentHash !== current.contentHash;
  return {
    publishable: reasons.length === 0,
    reasons,
    pinnedContentHash: take.pinnedContentHash,
    pinnedRelease: pinned?.release,
    currentContentHash: current?.contentHash,
    currentRelease: current?.release,
    schemaErrors,
    comparison: differs ? compareObjects(parse(pinned), parse(current)) : undefined,
  };
}
