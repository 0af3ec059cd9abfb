/**
 * Reads raw objects out of their deflated packs (see storage/raw-packing.ts).
 * A page reads many objects that were imported together, so recently used
 * packs are kept inflated.
 */
import { inflateRawSync } from 'node:zlib';
import type Database from 'better-sqlite3';

/** Inflated packs kept in memory: at most about 8 MB. */
const CACHED_PACKS = 128;

export class PackReader {
  private readonly cache = new Map<number, Buffer>();
  private readonly select;

  constructor(db: Database.Database) {
    this.select = db.prepare<[number], { bytes: Buffer }>('SELECT bytes FROM raw_packs WHERE id = ?');
  }

  /** Returns the bytes of one raw object; they are a view into the cached pack, so callers must not modify them. */
  read(packId: number, offset: number, length: number): Buffer {
    return this.pack(packId).subarray(offset, offset + length);
  }

  private pack(packId: number): Buffer {
    const cached = this.cache.get(packId);
    if (cached) {
      // Re-inserting moves the pack to the end, so the first key is always the least recently used.
      this.cache.delete(packId);
      this.cache.set(packId, cached);
      return cached;
    }
    const row = this.select.get(packId);
    if (!row) throw new Error(`raw pack ${packId} not found in the database`);
    const inflated = inflateRawSync(row.bytes);
    this.cache.set(packId, inflated);
    if (this.cache.size > CACHED_PACKS) this.cache.delete(this.cache.keys().next().value as number);
    return inflated;
  }
}
