/**
 * The password check of the login form, with its rate limits and audit
 * entries. Every failure gets the same message, so a response never reveals
 * whether an account name exists.
 */
import { UnauthorizedError } from '../errors.js';
import type { NewAuditEntry, TeamStore, UserRecord } from '../storage/team-store.js';
import { LoginLimitedError, type LoginLimiter } from './login-limiter.js';
import { verifyDummyPassword, verifyPassword } from './passwords.js';

export const LOGIN_FAILED_MESSAGE = 'The user name or password is wrong, or the account is disabled.';

export type LoginFailureReason = 'unknown-user' | 'wrong-password' | 'disabled' | 'rate-limited';

/** Maximum length of an account name written to the audit log for a failed login, so that junk input cannot bloat it. */
const AUDITED_NAME_LENGTH = 64;

/** A rate-limited attempt is audited once per this interval per name and address, so a flood writes few entries. */
const LIMITED_AUDIT_INTERVAL_MS = 60_000;

export class LoginService {
  private readonly limitedAudited = new Map<string, number>();

  constructor(
    private readonly team: TeamStore,
    private readonly limiter: LoginLimiter,
  ) {}

  /**
   * Returns the user whose name and password match. Raises LoginLimitedError (429) when the limits are
   * used up, and UnauthorizedError with one generic message for any other failure.
   */
  async logIn(name: string, password: string, address: string): Promise<UserRecord> {
    try {
      await this.limiter.check(name, address);
    } catch (error) {
      if (error instanceof LoginLimitedError) await this.auditLimited(name, address, error);
      throw error;
    }

    const user = await this.team.userByName(name);
    const matches = user ? await verifyPassword(password, user.passwordHash) : await verifyDummyPassword(password);
    let reason: LoginFailureReason | undefined;
    if (!user) reason = 'unknown-user';
    else if (!matches) reason = 'wrong-password';
    else if (user.disabled) reason = 'disabled';

    if (reason !== undefined || !user) {
      await this.limiter.recordFailure(name, address);
      await this.team.appendAudit(this.failure(name, user, address, { reason: reason ?? 'unknown-user' }));
      throw new UnauthorizedError(LOGIN_FAILED_MESSAGE);
    }

    await this.limiter.recordSuccess(name);
    await this.team.appendAudit({
      actorId: user.id,
      actorName: user.name,
      channel: 'session',
      action: 'login.success',
      subject: `user:${user.name}`,
      before: null,
      after: { role: user.role },
      address,
    });
    return user;
  }

  private async auditLimited(name: string, address: string, error: LoginLimitedError): Promise<void> {
    const key = `${name.slice(0, AUDITED_NAME_LENGTH)}\n${address}`;
    const now = Date.now();
    if (now - (this.limitedAudited.get(key) ?? 0) < LIMITED_AUDIT_INTERVAL_MS) return;
    this.limitedAudited.set(key, now);
    if (this.limitedAudited.size > 10_000) {
      for (const [other, at] of this.limitedAudited) if (now - at >= LIMITED_AUDIT_INTERVAL_MS) this.limitedAudited.delete(other);
    }
    const user = await this.team.userByName(name);
    await this.team.appendAudit(
      this.failure(name, user, address, { reason: 'rate-limited', limitedBy: error.limitedBy, retryAfterSeconds: error.retryAfterSeconds }),
    );
  }

  private failure(name: string, user: UserRecord | undefined, address: string, after: Record<string, unknown>): NewAuditEntry {
    const shownName = user?.name ?? name.slice(0, AUDITED_NAME_LENGTH);
    return {
      actorId: user?.id ?? null,
      actorName: shownName,
      channel: 'session',
      action: 'login.failure',
      subject: `user:${shownName}`,
      before: null,
      after,
      address,
    };
  }
}
