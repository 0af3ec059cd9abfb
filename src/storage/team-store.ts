/**
 * Storage of the team's own data: accounts, browser sessions, API tokens,
 * analyst takes and the audit log. It lives in the same database as the
 * ATT&CK releases, because an import must turn published takes stale in the
 * release's own transaction. Every write that changes a user, a token or a
 * take takes the audit entry that describes it and stores both atomically.
 */

/** Signed-in roles, weakest first. Each role can do everything the roles before it can. Readers are anonymous. */
export const ROLES = ['analyst', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const TAKE_STATES = ['draft', 'submitted', 'published', 'stale', 'withdrawn'] as const;
export type TakeState = (typeof TAKE_STATES)[number];

export interface UserRecord {
  id: number;
  name: string;
  role: Role;
  /** scrypt hash in the format of `src/accounts/passwords.ts`. */
  passwordHash: string;
  /** A disabled user cannot sign in, and their sessions and tokens stop working. */
  disabled: boolean;
  createdAt: string;
}

export interface SessionRecord {
  /** SHA-256 (hex) of the session cookie's value; the value itself is never stored. */
  idHash: string;
  userId: number;
  /** Token that every form of this session must send back. */
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export interface TokenRecord {
  id: number;
  userId: number;
  /** The token acts with this role, which is at most the user's role when the token is used. */
  role: Role;
  label: string;
  /** SHA-256 (hex) of the token; the token is shown once, when created. */
  tokenHash: string;
  createdAt: string;
  /** Admin who created the token; null when it was created with the CLI. */
  createdBy: number | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** ISO 8601 time from which the token is rejected; null when it never expires. */
  expiresAt: string | null;
}

export interface TakeRecord {
  id: number;
  stixId: string;
  /** ATT&CK ID of the object when the take was written, for lists and file names. */
  attackId: string | null;
  /** Markdown as the author wrote it. */
  body: string;
  state: TakeState;
  authorId: number;
  authorName: string;
  /** The user who last changed the text: the author, or the last user who edited it. */
  editorId: number;
  editorName: string;
  /** Content hash of the object version the take was written for, or re-pinned to. */
  pinnedContentHash: string;
  /** Release the pinned version was read from. */
  pinnedReleaseId: number;
  reviewerId: number | null;
  reviewerName: string | null;
  /** When a reviewer validated and published the take; null until then, and again after an edit. */
  validatedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Grows by one on every change, for optimistic concurrency: an update names the revision it read. */
  revision: number;
}

export interface NewTake {
  stixId: string;
  attackId: string | null;
  body: string;
  authorId: number;
  pinnedContentHash: string;
  pinnedReleaseId: number;
}

export type TakeChanges = Partial<
  Pick<TakeRecord, 'body' | 'editorId' | 'state' | 'pinnedContentHash' | 'pinnedReleaseId' | 'reviewerId' | 'validatedAt'>
>;

/** The channel through which the actor of an audit entry was authenticated. */
export type AuditChannel = 'session' | 'token' | 'cli' | 'import';

export interface AuditRecord {
  id: number;
  at: string;
  /** Null for actions of the system, such as an import turning takes stale, and for failed logins of unknown names. */
  actorId: number | null;
  /** User name, or "system". Kept as text so the entry stays readable after a rename. */
  actorName: string;
  channel: AuditChannel;
  /** Verb such as `take.publish`, `user.create`, `login.failure`. */
  action: string;
  /** The object of the action, such as `take:12`, `user:alice`, `token:3`. */
  subject: string;
  /** State before and after the action, as JSON values; null where there is none. Never contains a secret. */
  before: unknown;
  after: unknown;
  /** Client address for actions over HTTP. */
  address: string | null;
}

export type NewAuditEntry = Omit<AuditRecord, 'id' | 'at'>;

export interface AuditFilter {
  actorName?: string;
  action?: string;
  /** Entries whose action starts with this text, such as `take.` for every take action. */
  actionPrefix?: string;
  subject?: string;
  /** ISO 8601 bounds on `at`, inclusive. */
  since?: string;
  until?: string;
  /** Entries with an id lower than this, for paging backwards from the newest. */
  beforeId?: number;
  limit: number;
}

export interface TakeFilter {
  stixId?: string;
  states?: readonly TakeState[];
  authorId?: number;
}

/** Raised for a write that would break a uniqueness rule, such as a second user of one name. */
export class ConflictError extends Error {
  override name = 'ConflictError';
}

export interface TeamStore {
  createUser(user: { name: string; role: Role; passwordHash: string }, audit: NewAuditEntry): Promise<UserRecord>;
  userById(id: number): Promise<UserRecord | undefined>;
  userByName(name: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  updateUser(
    id: number,
    changes: Partial<Pick<UserRecord, 'role' | 'passwordHash' | 'disabled'>>,
    audit: NewAuditEntry,
  ): Promise<UserRecord>;
  countUsers(): Promise<number>;

  createSession(session: SessionRecord): Promise<void>;
  /** The session, when it exists and has not expired at `now`. */
  findSession(idHash: string, now: string): Promise<SessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;
  deleteUserSessions(userId: number): Promise<void>;

  /** Stores the token and its audit entry, whose subject becomes `token:<id>`. */
  createToken(token: Omit<TokenRecord, 'id' | 'lastUsedAt' | 'revokedAt'>, audit: NewAuditEntry): Promise<TokenRecord>;
  findTokenByHash(tokenHash: string): Promise<TokenRecord | undefined>;
  listTokens(): Promise<TokenRecord[]>;
  revokeToken(id: number, at: string, audit: NewAuditEntry): Promise<TokenRecord | undefined>;
  touchToken(id: number, at: string): Promise<void>;

  /**
   * Stores a draft and its audit entry, whose subject becomes `take:<id>`. Raises ConflictError when
   * the object already has a take that is not withdrawn.
   */
  createTake(take: NewTake, audit: NewAuditEntry): Promise<TakeRecord>;
  takeById(id: number): Promise<TakeRecord | undefined>;
  /** Takes that match the filter, newest change first. */
  listTakes(filter: TakeFilter): Promise<TakeRecord[]>;
  /**
   * Applies the changes when the take is still at `expectedRevision`. When `expectedLibraryVersion` is
   * given, no release may have been imported since either. Otherwise returns undefined and changes nothing.
   */
  updateTake(
    id: number,
    expectedRevision: number,
    changes: TakeChanges,
    audit: NewAuditEntry,
    expectedLibraryVersion?: number,
  ): Promise<TakeRecord | undefined>;
  /** A number that grows whenever a take changes, for page caches; 0 when no take exists. */
  takesRevision(): Promise<number>;

  appendAudit(entry: NewAuditEntry): Promise<AuditRecord>;
  /** Entries that match the filter, newest first. */
  listAudit(filter: AuditFilter): Promise<AuditRecord[]>;
}
