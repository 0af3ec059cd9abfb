/**
 * API tokens: `glx_` followed by a random 32-byte secret in base64url. The
 * prefix lets secret scanners and people recognise a leaked token. Only the
 * SHA-256 of the whole token is stored, and the token is shown once.
 */
import { BadRequestError, UnauthorizedError } from '../errors.js';
import type { TeamStore, TokenRecord } from '../storage/team-store.js';
import { lowerRole, type Principal } from './permissions.js';
import { hashSecret, newSecret } from './sessions.js';

export const TOKEN_PREFIX = 'glx_';
const TOKEN_FORM = /^glx_[A-Za-z0-9_-]{43}$/;

/**
 * Minimum time between two recorded uses of one token: a recorded use updates the last-used time and
 * writes a `token.use` audit entry. The stored last-used time and a per-process map enforce it.
 */
export const TOKEN_USE_INTERVAL_MS = 60_000;

export function generateToken(): string {
  return `${TOKEN_PREFIX}${newSecret()}`;
}

export function tokenHash(token: string): string {
  return hashSecret(token);
}

/** Returns whether the token has expired at `now`. */
export function isExpired(token: TokenRecord, now = new Date()): boolean {
  return token.expiresAt !== null && Date.parse(token.expiresAt) <= now.getTime();
}

/** Maximum lifetime that `parseTokenLifetime` accepts, in days: about ten years. */
export const MAX_TOKEN_LIFETIME_DAYS = 3650;

const LIFETIME_FORM = /^([0-9]{1,7})([dh])$/i;
const HOUR_MS = 60 * 60 * 1000;

/**
 * Parses a token lifetime such as `90d` (days) or `12h` (hours) to milliseconds. Returns null for
 * empty text, which means that the token never expires.
 */
export function parseTokenLifetime(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const match = LIFETIME_FORM.exec(trimmed);
  const amount = Number(match?.[1]);
  const hours = match?.[2]?.toLowerCase() === 'd' ? amount * 24 : amount;
  if (!match || amount < 1 || hours > MAX_TOKEN_LIFETIME_DAYS * 24) {
    throw new BadRequestError(
      `Invalid token lifetime "${text}": use a whole number of days or hours, such as 90d or 12h, from 1h to ${MAX_TOKEN_LIFETIME_DAYS}d. Leave it empty for a token that never expires.`,
    );
  }
  return hours * HOUR_MS;
}

const REJECTED = 'The API token is unknown, revoked, or belongs to a disabled user. Ask an admin for a new token.';

function expiredMessage(expiresAt: string): string {
  return `The API token expired at ${expiresAt}. Ask an admin for a new token.`;
}

/** Turns bearer tokens into principals, and records their use. */
export class TokenAuthenticator {
  /** Time of the last recorded use per token id, in ms since the epoch, so that bursts of requests write once. */
  private readonly lastRecorded = new Map<number, number>();

  constructor(
    private readonly team: TeamStore,
    private readonly intervalMs = TOKEN_USE_INTERVAL_MS,
  ) {}

  /**
   * Returns the principal of a token, acting with the lower of the token's role and its user's current
   * role. Raises UnauthorizedError for a malformed, unknown, revoked or expired token and for a
   * disabled user.
   */
  async authenticate(token: string, address: string | null, now = new Date()): Promise<Principal> {
    if (!TOKEN_FORM.test(token)) throw new UnauthorizedError(REJECTED);
    const record = await this.team.findTokenByHash(tokenHash(token));
    if (!record || record.revokedAt !== null) throw new UnauthorizedError(REJECTED);
    // Only a caller who has the token gets this message, so naming the expiry reveals nothing to others.
    if (isExpired(record, now)) throw new UnauthorizedError(expiredMessage(record.expiresAt ?? ''));
    const user = await this.team.userById(record.userId);
    if (!user || user.disabled) throw new UnauthorizedError(REJECTED);

    const principal: Principal = {
      userId: user.id,
      name: user.name,
      role: lowerRole(record.role, user.role),
      channel: 'token',
      tokenId: record.id,
    };
    await this.recordUse(record, principal, address, now);
    return principal;
  }

  private async recordUse(record: TokenRecord, principal: Principal, address: string | null, now: Date): Promise<void> {
    const nowMs = now.getTime();
    const storedMs = record.lastUsedAt === null ? 0 : Date.parse(record.lastUsedAt);
    const last = Math.max(storedMs, this.lastRecorded.get(record.id) ?? 0);
    if (nowMs - last < this.intervalMs) return;

    this.lastRecorded.set(record.id, nowMs);
    if (this.lastRecorded.size > 10_000) this.forgetOlderThan(nowMs - this.intervalMs);
    const at = now.toISOString();
    await this.team.touchToken(record.id, at);
    await this.team.appendAudit({
      actorId: principal.userId,
      actorName: principal.name,
      channel: 'token',
      action: 'token.use',
      subject: `token:${record.id}`,
      before: record.lastUsedAt === null ? null : { lastUsedAt: record.lastUsedAt },
      after: { lastUsedAt: at, role: principal.role },
      address,
    });
  }

  private forgetOlderThan(cutoffMs: number): void {
    for (const [id, at] of this.lastRecorded) if (at < cutoffMs) this.lastRecorded.delete(id);
  }
}
