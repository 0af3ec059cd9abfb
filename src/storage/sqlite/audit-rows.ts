/** Writing and reading the append-only audit log. */
import type Database from 'better-sqlite3';
import type { AuditRecord, NewAuditEntry } from '../team-store.js';

export interface AuditRow {
  id: number;
  at: string;
  actor_id: number | null;
  actor_name: string;
  channel: AuditRecord['channel'];
  action: string;
  subject: string;
  before_state: string | null;
  after_state: string | null;
  address: string | null;
}

const statements = new WeakMap<Database.Database, Database.Statement>();

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** Appends one entry, inside the caller's transaction when there is one, and returns its id. */
export function appendAudit(db: Database.Database, entry: NewAuditEntry, at = new Date().toISOString()): number {
  let insert = statements.get(db);
  if (!insert) {
    insert = db.prepare(
      `INSERT INTO audit_log (at, actor_id, actor_name, channel, action, subject, before_state, after_state, address)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    statements.set(db, insert);
  }
  const result = insert.run(
    at,
    entry.actorId,
    entry.actorName,
    entry.channel,
    entry.action,
    entry.subject,
    json(entry.before),
    json(entry.after),
    entry.address,
  );
  return Number(result.lastInsertRowid);
}

export function toAuditRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    at: row.at,
    actorId: row.actor_id,
    actorName: row.actor_name,
    channel: row.channel,
    action: row.action,
    subject: row.subject,
    before: row.before_state === null ? null : (JSON.parse(row.before_state) as unknown),
    after: row.after_state === null ? null : (JSON.parse(row.after_state) as unknown),
    address: row.address,
  };
}
