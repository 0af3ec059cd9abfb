/** The SQLite backend of `Store`, on better-sqlite3. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  NewRelease,
  ObjectSnapshot,
  ObjectStatus,
  ReleaseInfo,
  SearchFilters,
  SearchHit,
  SearchTerms,
  Store,
  StoredRelease,
} from '../store.js';
import { ftsExpression, MATCH_END, MATCH_START } from './fts-query.js';
import { PackReader } from './raw-packs.js';
import { ReleaseWriter } from './release-writer.js';
import { CURRENT_FIRST, OBJECT_SNAPSHOTS_FROM, SNAPSHOT_COLUMNS, SNAPSHOT_JOINS, toReleaseInfo, toSnapshot, type ReleaseRow, type SnapshotRow } from './rows.js';
import { StatementCache } from './statements.js';
import { SqliteTeamStore } from './team-store.js';
import { SCHEMA_SQL, SCHEMA_VERSION, TEAM_SCHEMA_SQL, TEAM_SCHEMA_VERSION, UPGRADE_FROM_3_SQL } from './schema.js';

/** SQLite allows 32,766 bound parameters per statement; chunks stay far below it. */
const IN_LIST_CHUNK = 500;

/** Column weights of bm25 in search_index column order: attack_id, name, aliases, stix_id, description. */
const BM25_WEIGHTS = '10.0, 8.0, 6.0, 4.0, 1.0';
/** Words in a description snippet. FTS5 allows at most 64. */
const SNIPPET_WORDS = 24;

function placeholders(count: number): string {
  return new Array<string>(count).fill('?').join(', ');
}

/** Whether a current snapshot meets the filters that depend on its current version: status and domain. */
function meetsSnapshotFilters(object: ObjectSnapshot, filters: SearchFilters): boolean {
  let status: ObjectStatus = 'active';
  if (object.revoked) status = 'revoked';
  else if (object.deprecated) status = 'deprecated';
  if (!filters.statuses.includes(status)) return false;
  if (filters.domain === undefined) return true;
  // Identities and marking definitions carry no x_mitre_domains; they belong to their release's domain.
  return object.domains.length > 0 ? object.domains.includes(filters.domain) : object.release.domain === filters.domain;
}

/** SQL conditions on object_versions (ov) for the type and release filters, with their parameters. */
function versionConditions(filters: SearchFilters): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [];
  if (filters.types === undefined) {
    conditions.push("ov.type <> 'relationship'");
  } else {
    conditions.push(filters.types.length === 0 ? '0' : `ov.type IN (${placeholders(filters.types.length)})`);
    params.push(...filters.types);
  }
  if (filters.releaseId !== undefined) {
    conditions.push('EXISTS (SELECT 1 FROM release_objects x WHERE x.version_id = ov.id AND x.release_id = ?)');
    params.push(filters.releaseId);
  }
  return { sql: conditions.join(' AND '), params };
}

export class SqliteStore implements Store {
  readonly team: SqliteTeamStore;
  private readonly db: Database.Database;
  private readonly writer: ReleaseWriter;
  private readonly packs: PackReader;
  private readonly releaseCache = new Map<number, ReleaseInfo>();
  private readonly statements: StatementCache;
  /** Search vocabulary and the release count and newest release id it was built for; another process may import. */
  private vocabularyCache: { key: string; words: string[] } | undefined;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    // busy_timeout comes first: another process (a server, an import) may hold a lock right now.
    this.db.pragma('busy_timeout = 5000');
    // SQLite's default rollback journal is kept on purpose: it writes each new page once, where WAL
    // writes it twice (log, then checkpoint), which cost about 0.5 s per Enterprise import.
    // Readers wait up to busy_timeout while an import commits.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('foreign_keys = ON');
    // An Enterprise release writes ~25,000 rows into several indexes in one transaction.
    // SQLite's default 2 MB page cache would evict those index pages and re-read them many times.
    this.db.pragma('cache_size = -65536');
    this.db.pragma('temp_store = MEMORY');
    this.migrate(file);
    this.statements = new StatementCache(this.db);
    this.writer = new ReleaseWriter(this.db);
    this.packs = new PackReader(this.db);
    this.team = new SqliteTeamStore(this.db);
  }

  private migrate(file: string): void {
    const current = this.db.pragma('user_version', { simple: true }) as number;
    if (current === SCHEMA_VERSION) return;
    if (current === TEAM_SCHEMA_VERSION - 1) {
      this.db.transaction(() => {
        this.db.exec(UPGRADE_FROM_3_SQL);
        this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
      })();
      return;
    }
    if (current !== 0) {
      throw new Error(
        `database ${file} has schema version ${current}, but this Glexia expects ${SCHEMA_VERSION}: ` +
          'use a new data directory or a matching Glexia version',
      );
    }
    // 16 KiB pages hold most raw objects (2 KB on average) without overflow chains; measured 25% faster imports than 4 KiB.
    this.db.pragma('page_size = 16384');
    this.db.transaction(() => {
      this.db.exec(SCHEMA_SQL);
      this.db.exec(TEAM_SCHEMA_SQL);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
  }

  async importRelease(release: NewRelease): Promise<StoredRelease> {
    const counts = this.writer.write(release, new Date().toISOString());
    const stored = this.releaseById(counts.releaseId);
    return {
      release: stored,
      newVersions: counts.newVersions,
      existingVersions: counts.existingVersions,
      staleTakeIds: counts.staleTakeIds,
    };
  }

  async findReleaseByBundle(bundleSha256: string): Promise<ReleaseInfo | undefined> {
    const row = this.statement<[string], ReleaseRow>('SELECT * FROM releases WHERE bundle_sha256 = ?').get(bundleSha256);
    return row && toReleaseInfo(row);
  }

  async contentHashesByRaw(domain: string): Promise<Map<string, string>> {
    const rows = this.statement<[string], { sha256: string; content_hash: string }>(
      `SELECT raw.sha256, ov.content_hash FROM release_objects ro
         JOIN raw_objects raw ON raw.id = ro.raw_id
         JOIN object_versions ov ON ov.id = ro.version_id
       WHERE ro.release_id = (
         SELECT id FROM releases WHERE domain = ? ORDER BY version_major DESC, version_minor DESC LIMIT 1)`,
    ).all(domain);
    return new Map(rows.map((row) => [row.sha256, row.content_hash]));
  }

  async libraryVersion(): Promise<number> {
    return this.statement<[], { version: number }>('SELECT COALESCE(MAX(id), 0) AS version FROM releases').get()?.version ?? 0;
  }

  async contentVersion(): Promise<string> {
    return (
      this.statement<[], { version: string }>(
        `SELECT (SELECT COALESCE(MAX(id), 0) FROM releases) || '/' || (SELECT COALESCE(MAX(change_seq), 0) FROM takes) AS version`,
      ).get()?.version ?? '0/0'
    );
  }

  async findRelease(domain: string, version: string): Promise<ReleaseInfo | undefined> {
    const row = this
      .statement<[string, string], ReleaseRow>('SELECT * FROM releases WHERE domain = ? AND version = ?')
      .get(domain, version);
    return row && toReleaseInfo(row);
  }

  async listReleases(): Promise<ReleaseInfo[]> {
    const rows = this
      .statement<[], ReleaseRow>('SELECT * FROM releases ORDER BY domain, version_major, version_minor')
      .all();
    return rows.map(toReleaseInfo);
  }

  async countObjectsByType(releaseId: number): Promise<Record<string, number>> {
    const rows = this
      .statement<[number], { type: string; count: number }>(
        `SELECT ov.type, COUNT(*) AS count FROM release_objects ro JOIN object_versions ov ON ov.id = ro.version_id
         WHERE ro.release_id = ? GROUP BY ov.type ORDER BY ov.type`,
      )
      .all(releaseId);
    return Object.fromEntries(rows.map((row) => [row.type, row.count]));
  }

  async currentSnapshot(stixId: string): Promise<ObjectSnapshot | undefined> {
    return this.current(stixId);
  }

  async snapshot(stixId: string, releaseId: number): Promise<ObjectSnapshot | undefined> {
    const row = this
      .statement<[string, number], SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} ${OBJECT_SNAPSHOTS_FROM} WHERE ov.stix_id = ? AND ro.release_id = ?`,
      )
      .get(stixId, releaseId);
    return row && this.toSnapshot(row);
  }

  async findByAttackId(attackId: string, types: readonly string[]): Promise<ObjectSnapshot[]> {
    if (types.length === 0) return [];
    const rows = this
      .statement<string[], { stix_id: string }>(
        `SELECT DISTINCT stix_id FROM object_versions WHERE attack_id = ? AND type IN (${placeholders(types.length)})`,
      )
      .all(attackId, ...types);
    const snapshots: ObjectSnapshot[] = [];
    for (const row of rows) {
      const snapshot = this.current(row.stix_id);
      if (snapshot) snapshots.push(snapshot);
    }
    return snapshots;
  }

  async findByAttackIdInRelease(releaseId: number, attackId: string, types: readonly string[]): Promise<ObjectSnapshot[]> {
    if (types.length === 0) return [];
    const rows = this.statement<unknown[], SnapshotRow>(
      `SELECT ${SNAPSHOT_COLUMNS} FROM release_objects ro ${SNAPSHOT_JOINS}
       WHERE ro.release_id = ? AND ov.attack_id = ? AND ov.type IN (${placeholders(types.length)})`,
    ).all(releaseId, attackId, ...types);
    return rows.map((row) => this.toSnapshot(row));
  }

  async history(stixId: string): Promise<ObjectSnapshot[]> {
    const rows = this
      .statement<[string], SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} ${OBJECT_SNAPSHOTS_FROM}
         JOIN releases r ON r.id = ro.release_id
         WHERE ov.stix_id = ? ORDER BY r.version_major, r.version_minor, r.domain`,
      )
      .all(stixId);
    return rows.map((row) => this.toSnapshot(row));
  }

  /**
   * Starts from the relationship versions that name the object, then keeps those in the release.
   * CROSS JOIN and INDEXED BY fix that order: without statistics SQLite scanned the whole release
   * instead, about 10 ms for T1059.001 where this takes under 1 ms.
   */
  async relationshipsOf(stixId: string, releaseId: number): Promise<ObjectSnapshot[]> {
    const rows = this
      .statement<[number, string, number, string, string], SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} FROM object_versions ov
           CROSS JOIN release_objects ro INDEXED BY release_objects_version_id ON ro.version_id = ov.id AND ro.release_id = ?
           JOIN raw_objects raw ON raw.id = ro.raw_id
           LEFT JOIN warning_sets ws ON ws.id = ro.warning_set_id
         WHERE ov.source_ref = ?
         UNION ALL
         SELECT ${SNAPSHOT_COLUMNS} FROM object_versions ov
           CROSS JOIN release_objects ro INDEXED BY release_objects_version_id ON ro.version_id = ov.id AND ro.release_id = ?
           JOIN raw_objects raw ON raw.id = ro.raw_id
           LEFT JOIN warning_sets ws ON ws.id = ro.warning_set_id
         WHERE ov.target_ref = ? AND ov.source_ref <> ?`,
      )
      .all(releaseId, stixId, releaseId, stixId, stixId);
    return rows.map((row) => this.toSnapshot(row));
  }

  async objectsIn(releaseId: number, stixIds: readonly string[]): Promise<Map<string, ObjectSnapshot>> {
    const found = new Map<string, ObjectSnapshot>();
    const unique = [...new Set(stixIds)];
    for (let i = 0; i < unique.length; i += IN_LIST_CHUNK) {
      const chunk = unique.slice(i, i + IN_LIST_CHUNK);
      const rows = this.db
        .prepare<unknown[], SnapshotRow>(
          `SELECT ${SNAPSHOT_COLUMNS} ${OBJECT_SNAPSHOTS_FROM}
           WHERE ov.stix_id IN (${placeholders(chunk.length)}) AND ro.release_id = ?`,
        )
        .all(...chunk, releaseId);
      for (const row of rows) found.set(row.stix_id, this.toSnapshot(row));
    }
    return found;
  }

  async currentSnapshots(stixIds: readonly string[]): Promise<Map<string, ObjectSnapshot>> {
    const found = new Map<string, ObjectSnapshot>();
    for (const stixId of new Set(stixIds)) {
      const snapshot = this.current(stixId);
      if (snapshot) found.set(stixId, snapshot);
    }
    return found;
  }

  async referrers(stixId: string, releaseId: number, field?: string): Promise<ObjectSnapshot[]> {
    const fieldFilter = field === undefined ? '' : 'AND e.field = ?';
    const params: unknown[] = [releaseId, stixId];
    if (field !== undefined) params.push(field);
    const rows = this
      .statement<unknown[], SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} FROM release_objects ro ${SNAPSHOT_JOINS}
         WHERE ro.release_id = ? AND ro.version_id IN (
           SELECT e.version_id FROM embedded_refs e WHERE e.target_ref = ? ${fieldFilter})`,
      )
      .all(...params);
    return rows.map((row) => this.toSnapshot(row));
  }

  async objectsInPhase(releaseId: number, phaseName: string, types: readonly string[]): Promise<ObjectSnapshot[]> {
    if (types.length === 0) return [];
    const rows = this
      .statement<unknown[], SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} FROM release_objects ro ${SNAPSHOT_JOINS}
         WHERE ro.release_id = ? AND ov.type IN (${placeholders(types.length)}) AND ro.version_id IN (
           SELECT k.version_id FROM kill_chain_phases k WHERE k.phase_name = ?)`,
      )
      .all(releaseId, ...types, phaseName);
    return rows.map((row) => this.toSnapshot(row));
  }

  async objectsOfType(releaseId: number, types: readonly string[]): Promise<ObjectSnapshot[]> {
    if (types.length === 0) return [];
    const rows = this
      .statement<unknown[], SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} FROM release_objects ro ${SNAPSHOT_JOINS}
         WHERE ro.release_id = ? AND ov.type IN (${placeholders(types.length)})`,
      )
      .all(releaseId, ...types);
    return rows.map((row) => this.toSnapshot(row));
  }

  async searchObjects(text: string, limit: number): Promise<ObjectSnapshot[]> {
    const pattern = `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
    const rows = this.statement<[string, string, number], { stix_id: string }>(
      `SELECT stix_id FROM object_versions
       WHERE type <> 'relationship' AND (attack_id = ? COLLATE NOCASE OR name LIKE ? ESCAPE '\\')
       GROUP BY stix_id ORDER BY MIN(attack_id IS NULL), MIN(attack_id), MIN(name) LIMIT ?`,
    ).all(text, pattern, limit);
    return rows.flatMap((row) => {
      const snapshot = this.current(row.stix_id);
      return snapshot ? [snapshot] : [];
    });
  }

  async searchText(terms: SearchTerms, filters: SearchFilters): Promise<SearchHit[]> {
    const expression = ftsExpression(terms);
    if (expression === undefined) return [];
    const conditions = versionConditions(filters);
    // MATERIALIZED keeps bm25() in the query that owns the MATCH; SQLite rejects it inside MIN().
    const rows = this.statement<unknown[], { stix_id: string; score: number }>(
      `WITH matched AS MATERIALIZED (
         SELECT rowid AS version_id, bm25(search_index, ${BM25_WEIGHTS}) AS score FROM search_index WHERE search_index MATCH ?)
       SELECT ov.stix_id, MIN(m.score) AS score FROM matched m JOIN object_versions ov ON ov.id = m.version_id
       WHERE ${conditions.sql} GROUP BY ov.stix_id`,
    ).all(expression, ...conditions.params);
    // bm25 is negative, more negative for better matches.
    return this.toSearchHits(rows.map((row) => ({ stixId: row.stix_id, score: -row.score })), filters);
  }

  async searchIdentifier(identifier: { attackId?: string; stixId?: string }, filters: SearchFilters): Promise<SearchHit[]> {
    const conditions = versionConditions(filters);
    const found = new Set<string>();
    if (identifier.attackId !== undefined) {
      // ATT&CK IDs are upper case in every release, so an upper-cased ID can use the attack_id index.
      const rows = this.statement<unknown[], { stix_id: string }>(
        `SELECT DISTINCT ov.stix_id FROM object_versions ov WHERE ov.attack_id = ? AND ${conditions.sql}`,
      ).all(identifier.attackId.toUpperCase(), ...conditions.params);
      for (const row of rows) found.add(row.stix_id);
    }
    if (identifier.stixId !== undefined) {
      const rows = this.statement<unknown[], { stix_id: string }>(
        `SELECT DISTINCT ov.stix_id FROM object_versions ov WHERE ov.stix_id = ? AND ${conditions.sql}`,
      ).all(identifier.stixId, ...conditions.params);
      for (const row of rows) found.add(row.stix_id);
    }
    return this.toSearchHits([...found].map((stixId) => ({ stixId, score: 0 })), filters);
  }

  async searchSnippets(stixIds: readonly string[], terms: SearchTerms): Promise<Map<string, string>> {
    const expression = ftsExpression(terms);
    const snippets = new Map<string, string>();
    for (const stixId of new Set(stixIds)) {
      const snapshot = this.current(stixId);
      if (!snapshot) continue;
      const versionId = this.versionId(snapshot.contentHash);
      if (versionId === undefined) continue;
      // better-sqlite3 binds JS numbers as REAL, and FTS5 (SQLite 3.53) then ignores a rowid
      // constraint beside MATCH and returns every match, so the rowid is cast to INTEGER.
      const marked =
        expression === undefined
          ? undefined
          : this.statement<[string, number], { text: string }>(
              `SELECT snippet(search_index, 4, '${MATCH_START}', '${MATCH_END}', '…', ${SNIPPET_WORDS}) AS text
               FROM search_index WHERE search_index MATCH ? AND rowid = CAST(? AS INTEGER)`,
            ).get(expression, versionId)?.text;
      // snippet() returns '' when the terms matched only other columns (a name or alias).
      snippets.set(stixId, marked || this.descriptionStart(versionId));
    }
    return snippets;
  }

  async searchVocabulary(): Promise<string[]> {
    const state = this.statement<[], { count: number; newest: number | null }>(
      'SELECT COUNT(*) AS count, MAX(id) AS newest FROM releases',
    ).get();
    const key = `${state?.count ?? 0}/${state?.newest ?? 0}`;
    if (this.vocabularyCache?.key === key) return this.vocabularyCache.words;

    // The window orders each object's releases as current() does and keeps the first.
    const rows = this.statement<[], { name: string; aliases: string }>(
      `WITH ranked AS (
         SELECT ro.version_id, ROW_NUMBER() OVER (
           PARTITION BY ov.stix_id
           ORDER BY ${CURRENT_FIRST}) AS position
         FROM release_objects ro JOIN releases r ON r.id = ro.release_id JOIN object_versions ov ON ov.id = ro.version_id)
       SELECT s.name, s.aliases FROM ranked JOIN search_index s ON s.rowid = ranked.version_id WHERE ranked.position = 1`,
    ).all();
    const words = new Set<string>();
    for (const row of rows) {
      if (row.name !== '') words.add(row.name);
      for (const alias of row.aliases.split('\n')) if (alias !== '') words.add(alias);
    }
    this.vocabularyCache = { key, words: [...words] };
    return this.vocabularyCache.words;
  }

  async close(): Promise<void> {
    this.db.close();
  }

  /** Picks the snapshot a page shows, in the order of CURRENT_FIRST. */
  private current(stixId: string): ObjectSnapshot | undefined {
    const row = this
      .statement<[string], SnapshotRow>(
        `SELECT ${SNAPSHOT_COLUMNS} ${OBJECT_SNAPSHOTS_FROM}
         JOIN releases r ON r.id = ro.release_id
         WHERE ov.stix_id = ?
         ORDER BY ${CURRENT_FIRST}
         LIMIT 1`,
      )
      .get(stixId);
    return row && this.toSnapshot(row);
  }

  /** Current snapshots of the found objects that meet the filters, with their aliases. */
  private toSearchHits(found: readonly { stixId: string; score: number }[], filters: SearchFilters): SearchHit[] {
    const hits: SearchHit[] = [];
    for (const { stixId, score } of found) {
      const object = this.current(stixId);
      if (!object || !meetsSnapshotFilters(object, filters)) continue;
      const versionId = this.versionId(object.contentHash);
      const aliases = versionId === undefined ? '' : (this.statement<[number], { aliases: string }>(
        'SELECT aliases FROM search_index WHERE rowid = ?',
      ).get(versionId)?.aliases ?? '');
      hits.push({ object, aliases: aliases === '' ? [] : aliases.split('\n'), score });
    }
    return hits;
  }

  private versionId(contentHash: string): number | undefined {
    return this.statement<[string], { id: number }>('SELECT id FROM object_versions WHERE content_hash = ?').get(contentHash)?.id;
  }

  /** The first words of a version's description, for results whose current version does not contain the terms. */
  private descriptionStart(versionId: number): string {
    const description =
      this.statement<[number], { description: string }>('SELECT description FROM search_index WHERE rowid = ?').get(versionId)
        ?.description ?? '';
    const words = description.split(/\s+/).filter((word) => word !== '');
    return words.length > SNIPPET_WORDS ? `${words.slice(0, SNIPPET_WORDS).join(' ')}…` : words.join(' ');
  }

  private statement<Params extends unknown[], Row>(sql: string): Database.Statement<Params, Row> {
    return this.statements.get<Params, Row>(sql);
  }

  private toSnapshot(row: SnapshotRow): ObjectSnapshot {
    return toSnapshot(row, this.releaseById(row.release_id), () => this.packs.read(row.pack_id, row.pack_offset, row.raw_length));
  }

  /** Releases are few and never change once written, so they are cached; another process may add new ones. */
  private releaseById(id: number): ReleaseInfo {
    let release = this.releaseCache.get(id);
    if (!release) {
      const row = this.statement<[number], ReleaseRow>('SELECT * FROM releases WHERE id = ?').get(id);
      if (!row) throw new Error(`release ${id} not found in the database`);
      release = toReleaseInfo(row);
      this.releaseCache.set(id, release);
    }
    return release;
  }
}
