/**
 * Browser sessions. The cookie carries a random 32-byte secret; the database
 * stores only its SHA-256, so a copy of the database cannot be used to sign in.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from './permissions.js';
import type { SessionRecord, TeamStore, UserRecord } from '../storage/team-store.js';

export const SESSION_COOKIE = 'glexia_session';
export const DEFAULT_SESSION_HOURS = 12;

/** Generates a 32-byte random secret in base64url (43 characters). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a session or token secret, in hex: the form in which secrets are stored and looked up. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export interface StartedSession {
  /** Value for the session cookie; it is not stored anywhere on the server. */
  cookieValue: string;
  record: SessionRecord;
}

/** Creates a session for the user that expires after `lifetimeMs`, with its own CSRF token. */
export async function startSession(team: TeamStore, userId: number, lifetimeMs: number, now = new Date()): Promise<StartedSession> {
  const cookieValue = newSecret();
  const record: SessionRecord = {
    idHash: hashSecret(cookieValue),
    userId,
    csrfToken: newSecret(),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetimeMs).toISOString(),
  };
  await team.createSession(record);
  return { cookieValue, record };
}

export interface ActiveSession {
  session: SessionRecord;
  user: UserRecord;
  principal: Principal;
}

const SECRET_FORM = /^[A-Za-z0-9_-]{43}$/;

/** Looks up the session of a cookie value; undefined when it is unknown, expired, or its user is disabled or deleted. */
export async function resolveSession(team: TeamStore, cookieValue: string, now = new Date()): Promise<ActiveSession | undefined> {
  if (!SECRET_FORM.test(cookieValue)) return undefined;
  const session = await team.findSession(hashSecret(cookieValue), now.toISOString());
  if (!session) return undefined;
  const user = await team.userById(session.userId);
  if (!user || user.disabled) return undefined;
  return { session, user, principal: { userId: user.id, name: user.name, role: user.role, channel: 'session' } };
}

export async function endSession(team: TeamStore, cookieValue: string): Promise<void> {
  if (SECRET_FORM.test(cookieValue)) await team.deleteSession(hashSecret(cookieValue));
}
