/**
 * Turns published takes stale when a release changes their object. It runs
 * inside the release's transaction, so a reader never sees the new release
 * beside a take that was validated against the old version.
 */
import type Database from 'better-sqlite3';
import { appendAudit } from './audit-rows.js';
import { CURRENT_FIRST } from './rows.js';

interface PublishedTake {
  id: number;
  stix_id: string;
  state: string;
  pinned_content_hash: string;
  pinned_release_id: number;
}

export class StaleTakeMarker {
  private readonly publishedInRelease;
  private readonly currentHash;
  private readonly markStale;

  constructor(private readonly db: Database.Database) {
    // Only objects the new release contains can have a new current version.
    this.publishedInRelease = db.prepare<[number], PublishedTake>(
      `SELECT t.id, t.stix_id, t.state, t.pinned_content_hash, t.pinned_release_id FROM takes t
       WHERE t.state = 'published' AND EXISTS (
         SELECT 1 FROM object_versions ov JOIN release_objects ro ON ro.version_id = ov.id AND ro.release_id = ?
         WHERE ov.stix_id = t.stix_id)`,
    );
    this.currentHash = db.prepare<[string], { content_hash: string; release_id: number }>(
      `SELECT ov.content_hash, ro.release_id FROM object_versions ov
         CROSS JOIN release_objects ro INDEXED BY release_objects_version_id ON ro.version_id = ov.id
         JOIN releases r ON r.id = ro.release_id
       WHERE ov.stix_id = ? ORDER BY ${CURRENT_FIRST} LIMIT 1`,
    );
    this.markStale = db.prepare(
      `UPDATE takes SET state = 'stale', updated_at = ?, revision = revision + 1,
         change_seq = (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM takes)
       WHERE id = ?`,
    );
  }

  /** Marks the takes whose object's current content hash is no longer the pinned one; returns their ids. */
  markAfterRelease(releaseId: number, at: string): number[] {
    const marked: number[] = [];
    for (const take of this.publishedInRelease.all(releaseId)) {
      const current = this.currentHash.get(take.stix_id);
      if (!current || current.content_hash === take.pinned_content_hash) continue;
      this.markStale.run(at, take.id);
      appendAudit(
        this.db,
        {
          actorId: null,
          actorName: 'system',
          channel: 'import',
          action: 'take.stale',
          subject: `take:${take.id}`,
          before: { state: take.state, pinnedContentHash: take.pinned_content_hash, pinnedReleaseId: take.pinned_release_id },
          after: { state: 'stale', currentContentHash: current.content_hash, currentReleaseId: current.release_id },
          address: null,
        },
        at,
      );
      marked.push(take.id);
    }
    return marked;
  }
}
