/**
 * Writes one release inside a single SQLite transaction. better-sqlite3 runs
 * the transaction synchronously, and SQLite's journal guarantees that a crash
 * or kill before COMMIT leaves no trace of the release.
 */
import type Database from 'better-sqlite3';
import { parseVersion } from '../../domain/versions.js';
import type { NewObject, NewRelease } from '../store.js';

export interface WriteCounts {
  releaseId: number;
  newVersions: number;
  existingVersions: number;
}

export class ReleaseWriter {
  private readonly insertRelease;
  private readonly findRaw;
  private readonly findVersion;
  private readonly insertVersion;
  private readonly insertRaw;
  private readonly insertMember;
  private readonly insertRef;
  private readonly insertPhase;

  constructor(private readonly db: Database.Database) {
    this.insertRelease = db.prepare(
      `INSERT INTO releases (domain, version, version_major, version_minor, bundle_sha256, spec_version,
         source, bundle_bytes, object_count, imported_at)
       VALUES (@domain, @version, @major, @minor, @bundleSha256, @specVersion, @source, @bundleBytes, @objectCount, @importedAt)`,
    );
    this.findRaw = db.prepare<[string], { id: number; version_id: number }>(
      'SELECT id, version_id FROM raw_objects WHERE sha256 = ?',
    );
    this.findVersion = db.prepare<[string], { id: number }>('SELECT id FROM object_versions WHERE content_hash = ?');
    this.insertVersion = db.prepare(
      `INSERT INTO object_versions (content_hash, stix_id, type, attack_id, name, created, modified, version,
         deprecated, revoked, is_subtechnique, domains, relationship_type, source_ref, target_ref)
       VALUES (@contentHash, @stixId, @type, @attackId, @name, @created, @modified, @version,
         @deprecated, @revoked, @isSubtechnique, @domains, @relationshipType, @sourceRef, @targetRef)`,
    );
    this.insertRaw = db.prepare('INSERT INTO raw_objects (sha256, version_id, bytes) VALUES (?, ?, ?)');
    this.insertMember = db.prepare(
      'INSERT INTO release_objects (release_id, stix_id, version_id, raw_id, in_domain, warnings) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertRef = db.prepare('INSERT INTO embedded_refs (version_id, field, target_ref) VALUES (?, ?, ?)');
    this.insertPhase = db.prepare('INSERT INTO kill_chain_phases (version_id, kill_chain_name, phase_name) VALUES (?, ?, ?)');
  }

  write(release: NewRelease, importedAt: string): WriteCounts {
    const run = this.db.transaction((): WriteCounts => {
      const version = parseVersion(release.version);
      if (!version) throw new Error(`invalid release version "${release.version}": expected major.minor`);

      const releaseId = Number(
        this.insertRelease.run({
          domain: release.domain,
          version: release.version,
          major: version.major,
          minor: version.minor,
          bundleSha256: release.bundleSha256,
          specVersion: release.specVersion,
          source: release.source,
          bundleBytes: release.bundleBytes,
          objectCount: release.objects.length,
          importedAt,
        }).lastInsertRowid,
      );

      const counts = { releaseId, newVersions: 0, existingVersions: 0 };
      for (const object of release.objects) this.writeObject(releaseId, object, counts);
      return counts;
    });
    return run.immediate();
  }

  private writeObject(releaseId: number, object: NewObject, counts: WriteCounts): void {
    let rawId: number;
    let versionId: number;
    const raw = this.findRaw.get(object.rawHash);
    if (raw) {
      rawId = raw.id;
      versionId = raw.version_id;
      counts.existingVersions++;
    } else {
      const existing = this.findVersion.get(object.contentHash);
      if (existing) {
        versionId = existing.id;
        counts.existingVersions++;
      } else {
        versionId = this.insertNewVersion(object);
        counts.newVersions++;
      }
      rawId = Number(this.insertRaw.run(object.rawHash, versionId, object.raw).lastInsertRowid);
    }

    const warnings = object.warnings.length > 0 ? JSON.stringify(object.warnings) : null;
    this.insertMember.run(releaseId, object.stixId, versionId, rawId, object.inDomain ? 1 : 0, warnings);
  }

  private insertNewVersion(object: NewObject): number {
    const versionId = Number(
      this.insertVersion.run({
        contentHash: object.contentHash,
        stixId: object.stixId,
        type: object.type,
        attackId: object.attackId,
        name: object.name,
        created: object.created,
        modified: object.modified,
        version: object.version,
        deprecated: object.deprecated ? 1 : 0,
        revoked: object.revoked ? 1 : 0,
        isSubtechnique: object.isSubtechnique ? 1 : 0,
        domains: JSON.stringify(object.domains),
        relationshipType: object.relationship?.relationshipType ?? null,
        sourceRef: object.relationship?.sourceRef ?? null,
        targetRef: object.relationship?.targetRef ?? null,
      }).lastInsertRowid,
    );
    for (const ref of object.embeddedRefs) this.insertRef.run(versionId, ref.field, ref.targetRef);
    for (const phase of object.killChainPhases) this.insertPhase.run(versionId, phase.killChainName, phase.phaseName);
    return versionId;
  }
}
