/** The SQLite backend of `TeamStore`, sharing the release database's connection. */
import type Database from 'better-sqlite3';
import {
  ConflictError,
  type AuditFilter,
  type AuditRecord,
  type NewAuditEntry,
  type NewTake,
  type SessionRecord,
  type TakeChanges,
  type TakeFilter,
  type TakeRecord,
  type TeamStore,
  type TokenRecord,
  type UserRecord,
} from '../team-store.js';
import { StatementCache } from './statements.js';
import { appendAudit, toAuditRecord, type AuditRow } from './audit-rows.js';
import {
  TAKE_SELECT,
  toSession,
  toTake,
  toToken,
  toUser,
  type SessionRow,
  type TakeRow,
  type TokenRow,
  type UserRow,
} from './team-rows.js';

/** Maps TakeChanges fields to their columns. */
const TAKE_COLUMNS: Record<keyof TakeChanges, string> = {
  body: 'body',
  state: 'state',
  pinnedContentHash: 'pinned_content_hash',
  pinnedReleaseId: 'pinned_release_id',
  reviewerId: 'reviewer_id',
  editorId: 'editor_id',
  validatedAt: 'validated_at',
};

/**
 * Returns the smallest text above every text that starts with `prefix`, by incrementing its last code
 * point (skipping the surrogates, which UTF-8 cannot encode), or undefined when no such text exists.
 */
function prefixEnd(prefix: string): string | undefined {
  const points = [...prefix].map((char) => char.codePointAt(0) ?? 0);
  while (points.length > 0) {
    const last = points.pop() ?? 0;
    if (last < 0x10ffff) return String.fromCodePoint(...points, last === 0xd7ff ? 0xe000 : last + 1);
  }
  return undefined;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export class SqliteTeamStore implements TeamStore {
  private readonly statements: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.statements = new StatementCache(db);
  }

  async createUser(user: { name: string; role: UserRecord['role']; passwordHash: string }, audit: NewAuditEntry): Promise<UserRecord> {
    const run = this.db.transaction(() => {
      let id: number;
      try {
        id = Number(
          this.statement('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?)').run(
            user.name,
            user.role,
            user.passwordHash,
            new Date().toISOString(),
          ).lastInsertRowid,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`a user named "${user.name}" already exists`);
        throw error;
      }
      appendAudit(this.db, audit);
      return this.userRow(id);
    });
    return toUser(run.immediate());
  }

  async userById(id: number): Promise<UserRecord | undefined> {
    const row = this.statement<[number], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    return row && toUser(row);
  }

  async userByName(name: string): Promise<UserRecord | undefined> {
    const row = this.statement<[string], UserRow>('SELECT * FROM users WHERE name = ?').get(name);
    return row && toUser(row);
  }

  async listUsers(): Promise<UserRecord[]> {
    return this.statement<[], UserRow>('SELECT * FROM users ORDER BY name').all().map(toUser);
  }

  async countUsers(): Promise<number> {
    return this.statement<[], { count: number }>('SELECT COUNT(*) AS count FROM users').get()?.count ?? 0;
  }

  async updateUser(
    id: number,
    changes: Partial<Pick<UserRecord, 'role' | 'passwordHash' | 'disabled'>>,
    audit: NewAuditEntry,
  ): Promise<UserRecord> {
    const run = this.db.transaction(() => {
      const row = this.userRow(id);
      this.statement('UPDATE users SET role = ?, password_hash = ?, disabled = ? WHERE id = ?').run(
        changes.role ?? row.role,
        changes.passwordHash ?? row.password_hash,
        changes.disabled === undefined ? row.disabled : Number(changes.disabled),
        id,
      );
      appendAudit(this.db, audit);
      return this.userRow(id);
    });
    return toUser(run.immediate());
  }

  async createSession(session: SessionRecord): Promise<void> {
    this.statement('INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
      session.idHash,
      session.userId,
      session.csrfToken,
      session.createdAt,
      session.expiresAt,
    );
    // Expired sessions are useless; dropping them here keeps the table small without a timer.
    this.statement('DELETE FROM sessions WHERE expires_at <= ?').run(session.createdAt);
  }

  async findSession(idHash: string, now: string): Promise<SessionRecord | undefined> {
    const row = this.statement<[string, string], SessionRow>('SELECT * FROM sessions WHERE id_hash = ? AND expires_at > ?').get(idHash, now);
    return row && toSession(row);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.statement('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  async deleteUserSessions(userId: number): Promise<void> {
    this.statement('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  async createToken(token: Omit<TokenRecord, 'id' | 'lastUsedAt' | 'revokedAt'>, audit: NewAuditEntry): Promise<TokenRecord> {
    const run = this.db.transaction(() => {
      const id = Number(
        this.statement(
          'INSERT INTO api_tokens (user_id, role, label, token_hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        ).run(token.userId, token.role, token.label, token.tokenHash, token.createdAt, token.createdBy, token.expiresAt).lastInsertRowid,
      );
      appendAudit(this.db, { ...audit, subject: `token:${id}`, after: { id, ...(audit.after as object) } });
      return this.tokenRow(id);
    });
    return toToken(run.immediate());
  }

  async findTokenByHash(tokenHash: string): Promise<TokenRecord | undefined> {
    const row = this.statement<[string], TokenRow>('SELECT * FROM api_tokens WHERE token_hash = ?').get(tokenHash);
    return row && toToken(row);
  }

  async listTokens(): Promise<TokenRecord[]> {
    return this.statement<[], TokenRow>('SELECT * FROM api_tokens ORDER BY id').all().map(toToken);
  }

  async revokeToken(id: number, at: string, audit: NewAuditEntry): Promise<TokenRecord | undefined> {
    const run = this.db.transaction(() => {
      const changed = this.statement('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL').run(at, id).changes;
      if (changed === 0) return undefined;
      appendAudit(this.db, audit);
      return this.tokenRow(id);
    });
    const row = run.immediate();
    return row && toToken(row);
  }

  async touchToken(id: number, at: string): Promise<void> {
    this.statement('UPDATE api_tokens SET last_used_at = ? WHERE id = ?').run(at, id);
  }

  async createTake(take: NewTake, audit: NewAuditEntry): Promise<TakeRecord> {
    const run = this.db.transaction(() => {
      const now = new Date().toISOString();
      let id: number;
      try {
        id = Number(
          this.statement(
            `INSERT INTO takes (stix_id, attack_id, body, state, author_id, editor_id, pinned_content_hash, pinned_release_id,
               created_at, updated_at, revision, change_seq)
             VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, 1, (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM takes))`,
          ).run(take.stixId, take.attackId, take.body, take.authorId, take.authorId, take.pinnedContentHash, take.pinnedReleaseId, now, now)
            .lastInsertRowid,
        );
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`${take.stixId} already has a take that is not withdrawn`);
        throw error;
      }
      appendAudit(this.db, { ...audit, subject: `take:${id}`, after: { id, ...(audit.after as object) } });
      return this.takeRow(id);
    });
    return toTake(run.immediate() as TakeRow);
  }

  async takeById(id: number): Promise<TakeRecord | undefined> {
    const row = this.takeRow(id);
    return row && toTake(row);
  }

  async listTakes(filter: TakeFilter): Promise<TakeRecord[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    if (filter.stixId !== undefined) {
      conditions.push('t.stix_id = ?');
      params.push(filter.stixId);
    }
    if (filter.states !== undefined) {
      conditions.push(filter.states.length === 0 ? '0' : `t.state IN (${filter.states.map(() => '?').join(', ')})`);
      params.push(...filter.states);
    }
    if (filter.authorId !== undefined) {
      conditions.push('t.author_id = ?');
      params.push(filter.authorId);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.statement<unknown[], TakeRow>(`${TAKE_SELECT} ${where} ORDER BY t.updated_at DESC, t.id DESC`)
      .all(...params)
      .map(toTake);
  }

  async updateTake(
    id: number,
    expectedRevision: number,
    changes: TakeChanges,
    audit: NewAuditEntry,
    expectedLibraryVersion?: number,
  ): Promise<TakeRecord | undefined> {
    const entries = Object.entries(changes).filter(([, value]) => value !== undefined) as [keyof TakeChanges, unknown][];
    const assignments = entries.map(([key]) => `${TAKE_COLUMNS[key]} = ?`);
    const run = this.db.transaction(() => {
      if (expectedLibraryVersion !== undefined && this.libraryVersion() !== expectedLibraryVersion) return undefined;
      const changed = this.statement(
        `UPDATE takes SET ${[...assignments, 'updated_at = ?', 'revision = revision + 1',
          'change_seq = (SELECT COALESCE(MAX(change_seq), 0) + 1 FROM takes)'].join(', ')}
         WHERE id = ? AND revision = ?`,
      ).run(...entries.map(([, value]) => value), new Date().toISOString(), id, expectedRevision).changes;
      if (changed === 0) return undefined;
      appendAudit(this.db, audit);
      return this.takeRow(id);
    });
    try {
      const row = run.immediate();
      return row && toTake(row);
    } catch (error) {
      // TakeService never moves a take out of withdrawn; this guards the one-open-take index for other callers.
      if (isUniqueViolation(error)) throw new ConflictError('the object already has another take that is not withdrawn');
      throw error;
    }
  }

  async takesRevision(): Promise<number> {
    return this.statement<[], { revision: number }>('SELECT COALESCE(MAX(change_seq), 0) AS revision FROM takes').get()?.revision ?? 0;
  }

  async appendAudit(entry: NewAuditEntry): Promise<AuditRecord> {
    const id = appendAudit(this.db, entry);
    const row = this.statement<[number], AuditRow>('SELECT * FROM audit_log WHERE id = ?').get(id) as AuditRow;
    return toAuditRecord(row);
  }

  async listAudit(filter: AuditFilter): Promise<AuditRecord[]> {
    const conditions: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      conditions.push(sql);
      params.push(value);
    };
    if (filter.actorName !== undefined) add('actor_name = ? COLLATE NOCASE', filter.actorName);
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (filter.actionPrefix !== undefined && filter.actionPrefix !== '') {
      // A range rather than LIKE, so that the action index applies and the match stays case-sensitive.
      // Text compares by UTF-8 bytes, whose order is the code point order that prefixEnd increments.
      add('action >= ?', filter.actionPrefix);
      const end = prefixEnd(filter.actionPrefix);
      if (end !== undefined) add('action < ?', end);
    }
    if (filter.subject !== undefined) add('subject = ?', filter.subject);
    if (filter.since !== undefined) add('at >= ?', filter.since);
    if (filter.until !== undefined) add('at <= ?', filter.until);
    if (filter.beforeId !== undefined) add('id < ?', filter.beforeId);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.statement<unknown[], AuditRow>(`SELECT * FROM audit_log ${where} ORDER BY id DESC LIMIT ?`)
      .all(...params, filter.limit)
      .map(toAuditRecord);
  }

  private libraryVersion(): number {
    return this.statement<[], { version: number }>('SELECT COALESCE(MAX(id), 0) AS version FROM releases').get()?.version ?? 0;
  }

  private userRow(id: number): UserRow {
    const row = this.statement<[number], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
    if (!row) throw new Error(`user ${id} not found in the database`);
    return row;
  }

  private tokenRow(id: number): TokenRow {
    return this.statement<[number], TokenRow>('SELECT * FROM api_tokens WHERE id = ?').get(id) as TokenRow;
  }

  private takeRow(id: number): TakeRow | undefined {
    return this.statement<[number], TakeRow>(`${TAKE_SELECT} WHERE t.id = ?`).get(id);
  }

  private statement<Params extends unknown[], Row>(sql: string): Database.Statement<Params, Row> {
    return this.statements.get<Params, Row>(sql);
  }
}
