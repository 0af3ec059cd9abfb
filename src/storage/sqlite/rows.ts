/** Conversions between SQLite rows and the storage interface's types. */
import type { ObjectWarning } from '../../validation/types.js';
import type { ObjectSnapshot, ReleaseInfo } from '../store.js';

export interface ReleaseRow {
  id: number;
  domain: string;
  version: string;
  bundle_sha256: string;
  spec_version: string | null;
  source: string;
  bundle_bytes: number;
  object_count: number;
  imported_at: string;
}

export interface SnapshotRow {
  stix_id: string;
  type: string;
  attack_id: string | null;
  name: string | null;
  created: string | null;
  modified: string | null;
  version: string | null;
  deprecated: number;
  revoked: number;
  is_subtechnique: number;
  domains: string;
  content_hash: string;
  relationship_type: string | null;
  source_ref: string | null;
  target_ref: string | null;
  release_id: number;
  in_domain: number;
  warnings: string | null;
  raw_hash: string;
  pack_id: number;
  pack_offset: number;
  raw_length: number;
}

/** Columns of `SnapshotRow`, for queries joining release_objects (ro), object_versions (ov) and raw_objects (raw). */
export const SNAPSHOT_COLUMNS = `ov.stix_id, ov.type, ov.attack_id, ov.name, ov.created, ov.modified, ov.version,
  ov.deprecated, ov.revoked, ov.is_subtechnique, ov.domains, ov.content_hash,
  ov.relationship_type, ov.source_ref, ov.target_ref,
  ro.release_id, ro.in_domain, ws.warnings, raw.sha256 AS raw_hash, raw.pack_id, raw.pack_offset, raw.length AS raw_length`;

/**
 * ORDER BY of the releases containing one object (ro joined with releases r) that puts its current
 * snapshot first. The newest release comes first, then a release of one of the object's own domains,
 * then Enterprise before Mobile before ICS, because objects shared between domains (groups, software)
 * carry most of their relationships in Enterprise.
 */
export const CURRENT_FIRST = `r.version_major DESC, r.version_minor DESC, ro.in_domain DESC,
  CASE r.domain WHEN 'enterprise-attack' THEN 0 WHEN 'mobile-attack' THEN 1 ELSE 2 END, r.id DESC`;

/**
 * FROM clause for the snapshots of one object, found by its STIX ID (the `?` after ov.stix_id): CROSS
 * JOIN makes SQLite start from the object's few versions instead of scanning release_objects.
 */
export const OBJECT_SNAPSHOTS_FROM = `FROM object_versions ov
  CROSS JOIN release_objects ro INDEXED BY release_objects_version_id ON ro.version_id = ov.id
  JOIN raw_objects raw ON raw.id = ro.raw_id
  LEFT JOIN warning_sets ws ON ws.id = ro.warning_set_id`;

export const SNAPSHOT_JOINS = `JOIN object_versions ov ON ov.id = ro.version_id
  JOIN raw_objects raw ON raw.id = ro.raw_id
  LEFT JOIN warning_sets ws ON ws.id = ro.warning_set_id`;

export function toReleaseInfo(row: ReleaseRow): ReleaseInfo {
  return {
    id: row.id,
    domain: row.domain,
    version: row.version,
    bundleSha256: row.bundle_sha256,
    specVersion: row.spec_version,
    source: row.source,
    bundleBytes: row.bundle_bytes,
    objectCount: row.object_count,
    importedAt: row.imported_at,
  };
}

/**
 * Builds a snapshot whose raw bytes, domains and warnings are decoded on first access, because a
 * page loads hundreds of related snapshots and reads only their names and IDs.
 */
export function toSnapshot(row: SnapshotRow, release: ReleaseInfo, readRaw: () => Buffer): ObjectSnapshot {
  const relationship =
    row.relationship_type !== null && row.source_ref !== null && row.target_ref !== null
      ? { relationshipType: row.relationship_type, sourceRef: row.source_ref, targetRef: row.target_ref }
      : null;
  let raw: Buffer | undefined;
  let domains: string[] | undefined;
  let warnings: ObjectWarning[] | undefined;
  return {
    get raw(): Buffer {
      raw ??= readRaw();
      return raw;
    },
    get domains(): string[] {
      domains ??= JSON.parse(row.domains) as string[];
      return domains;
    },
    get warnings(): ObjectWarning[] {
      warnings ??= row.warnings === null ? [] : (JSON.parse(row.warnings) as ObjectWarning[]);
      return warnings;
    },
    stixId: row.stix_id,
    type: row.type,
    attackId: row.attack_id,
    name: row.name,
    created: row.created,
    modified: row.modified,
    version: row.version,
    deprecated: row.deprecated === 1,
    revoked: row.revoked === 1,
    isSubtechnique: row.is_subtechnique === 1,
    contentHash: row.content_hash,
    release,
    rawHash: row.raw_hash,
    inDomain: row.in_domain === 1,
    relationship,
  };
}
