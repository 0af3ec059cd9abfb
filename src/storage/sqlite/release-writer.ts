/**
 * Writes one release inside a single SQLite transaction. better-sqlite3 runs
 * the transaction synchronously, and SQLite's journal guarantees that a crash
 * or kill before COMMIT leaves no trace of the release.
 */
import type Database from 'better-sqlite3';
import { parseVersion } from '../../domain/versions.js';
import type { NewObject, NewRelease } from '../store.js';
import { packParts, type PackPlacement } from '../raw-packing.js';
import { searchDocument } from './search-documents.js';
import { StaleTakeMarker } from './stale-takes.js';

interface PlacedObject {
  object: NewObject;
  versionId: number;
  rawId: number | undefined;
}

export interface WriteCounts {
  releaseId: number;
  newVersions: number;
  existingVersions: number;
  staleTakeIds: number[];
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
  private readonly insertSearchDocument;
  private readonly insertPack: Database.Statement<[Uint8Array]>;
  private readonly findWarningSet;
  private readonly insertWarningSet;
  /** Warning-set ids by their JSON, for the current transaction. */
  private readonly warningSetIds = new Map<string, number>();
  private readonly staleTakes: StaleTakeMarker;

  constructor(private readonly db: Database.Database) {
    this.staleTakes = new StaleTakeMarker(db);
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
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertRaw = db.prepare(
      'INSERT INTO raw_objects (sha256, version_id, pack_id, pack_offset, length) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertPack = db.prepare<[Uint8Array]>('INSERT INTO raw_packs (bytes) VALUES (?)');
    this.insertMember = db.prepare(
      'INSERT INTO release_objects (release_id, version_id, raw_id, in_domain, warning_set_id) VALUES (?, ?, ?, ?, ?)',
    );
    this.findWarningSet = db.prepare<[string], { id: number }>('SELECT id FROM warning_sets WHERE warnings = ?');
    this.insertWarningSet = db.prepare('INSERT INTO warning_sets (warnings) VALUES (?)');
    this.insertRef = db.prepare('INSERT INTO embedded_refs (version_id, field, target_ref) VALUES (?, ?, ?)');
    this.insertPhase = db.prepare('INSERT INTO kill_chain_phases (version_id, kill_chain_name, phase_name) VALUES (?, ?, ?)');
    this.insertSearchDocument = db.prepare(
      'INSERT INTO search_index (rowid, attack_id, name, aliases, stix_id, description) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  write(release: NewRelease, importedAt: string): WriteCounts {
    // Ids cached during a transaction that rolled back would point at nothing.
    this.warningSetIds.clear();
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

      const counts: WriteCounts = { releaseId, newVersions: 0, existingVersions: 0, staleTakeIds: [] };
      const placed = release.objects.map((object) => this.placeObject(object, counts));
      this.storeNewRaws(placed);
      for (const { object, versionId, rawId } of placed) {
        const warningSetId = object.warnings.length > 0 ? this.warningSetId(JSON.stringify(object.warnings)) : null;
        this.insertMember.run(releaseId, versionId, rawId, object.inDomain ? 1 : 0, warningSetId);
      }
      counts.staleTakeIds = this.staleTakes.markAfterRelease(releaseId, importedAt);
      return counts;
    });
    return run.immediate();
  }

  /** Finds or inserts the object's version; `rawId` stays undefined when its raw bytes are new. */
  private placeObject(object: NewObject, counts: WriteCounts): PlacedObject {
    const raw = this.findRaw.get(object.rawHash);
    if (raw) {
      counts.existingVersions++;
      return { object, versionId: raw.version_id, rawId: raw.id };
    }
    const existing = this.findVersion.get(object.contentHash);
    if (existing) counts.existingVersions++;
    else counts.newVersions++;
    return { object, versionId: existing?.id ?? this.insertNewVersion(object), rawId: undefined };
  }

  /** Packs the raw bytes that the library does not hold yet, in bundle order, and records where each one is. */
  private storeNewRaws(placed: PlacedObject[]): void {
    const unstored = placed.filter((entry) => entry.rawId === undefined);
    const { packs, placements } = packParts(unstored.map((entry) => entry.object.raw));
    const packIds = packs.map((pack) => Number(this.insertPack.run(pack).lastInsertRowid));
    unstored.forEach((entry, index) => {
      const { pack, offset } = placements[index] as PackPlacement;
      const { rawHash, raw } = entry.object;
      entry.rawId = Number(this.insertRaw.run(rawHash, entry.versionId, packIds[pack] as number, offset, raw.length).lastInsertRowid);
    });
  }

  private warningSetId(warnings: string): number {
    let id = this.warningSetIds.get(warnings) ?? this.findWarningSet.get(warnings)?.id;
    id ??= Number(this.insertWarningSet.run(warnings).lastInsertRowid);
    this.warningSetIds.set(warnings, id);
    return id;
  }

  private insertNewVersion(object: NewObject): number {
    const versionId = Number(
      // Positional parameters avoid building and binding a 15-key object for every new version.
      this.insertVersion.run(
        object.contentHash,
        object.stixId,
        object.type,
        object.attackId,
        object.name,
        object.created,
        object.modified,
        object.version,
        object.deprecated ? 1 : 0,
        object.revoked ? 1 : 0,
        object.isSubtechnique ? 1 : 0,
        JSON.stringify(object.domains),
        object.relationship?.relationshipType ?? null,
        object.relationship?.sourceRef ?? null,
        object.relationship?.targetRef ?? null,
      ).lastInsertRowid,
    );
    for (const ref of object.embeddedRefs) this.insertRef.run(versionId, ref.field, ref.targetRef);
    for (const phase of object.killChainPhases) this.insertPhase.run(versionId, phase.killChainName, phase.phaseName);
    const document = searchDocument(object);
    if (document) {
      const { attackId, name, aliases, stixId, description } = document;
      this.insertSearchDocument.run(versionId, attackId, name, aliases, stixId, description);
    }
    return versionId;
  }
}
