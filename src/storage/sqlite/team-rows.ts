/** Conversions between rows of the team tables and the TeamStore types. */
import type { Role, SessionRecord, TakeRecord, TakeState, TokenRecord, UserRecord } from '../team-store.js';

export interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  disabled: number;
  created_at: string;
}

export interface SessionRow {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface TokenRow {
  id: number;
  user_id: number;
  role: Role;
  label: string;
  token_hash: string;
  created_at: string;
  created_by: number | null;
  last_used_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
}

export interface TakeRow {
  id: number;
  stix_id: string;
  attack_id: string | null;
  body: string;
  state: TakeState;
  author_id: number;
  author_name: string;
  editor_id: number;
  editor_name: string;
  pinned_content_hash: string;
  pinned_release_id: number;
  reviewer_id: number | null;
  reviewer_name: string | null;
  validated_at: string | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

/** Takes (t) with their author's and reviewer's names; callers append WHERE and ORDER BY. */
export const TAKE_SELECT = `SELECT t.id, t.stix_id, t.attack_id, t.body, t.state, t.author_id, author.name AS author_name,
  t.editor_id, editor.name AS editor_name,
  t.pinned_content_hash, t.pinned_release_id, t.reviewer_id, reviewer.name AS reviewer_name, t.validated_at,
  t.created_at, t.updated_at, t.revision
  FROM takes t JOIN users author ON author.id = t.author_id JOIN users editor ON editor.id = t.editor_id
  LEFT JOIN users reviewer ON reviewer.id = t.reviewer_id`;

export function toUser(row: UserRow): UserRecord {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    passwordHash: row.password_hash,
    disabled: row.disabled !== 0,
    createdAt: row.created_at,
  };
}

export function toSession(row: SessionRow): SessionRecord {
  return {
    idHash: row.id_hash,
    userId: row.user_id,
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

export function toToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    userId: row.user_id,
    role: row.role,
    label: row.label,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    expiresAt: row.expires_at,
  };
}

export function toTake(row: TakeRow): TakeRecord {
  return {
    id: row.id,
    stixId: row.stix_id,
    attackId: row.attack_id,
    body: row.body,
    state: row.state,
    authorId: row.author_id,
    authorName: row.author_name,
    editorId: row.editor_id,
    editorName: row.editor_name,
    pinnedContentHash: row.pinned_content_hash,
    pinnedReleaseId: row.pinned_release_id,
    reviewerId: row.reviewer_id,
    reviewerName: row.reviewer_name,
    validatedAt: row.validated_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    revision: row.revision,
  };
}
