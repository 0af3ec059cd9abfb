/**
 * The password check of the login form, with its rate limits and audit
 * entries. Every failure gets the same message, so a response never reveals
 * whether an account name exists.
 *
 * Two limits apply, as LoginLimiter counts them:
 *
 * - Per account name: after `failuresPerAccount` failures the name is locked
 *   until its window ends, or until an admin clears the lockout. Clearing is
 *   an audit entry (user.unlock, user.password or user.enable, from the admin
 *   pages or the CLI). The server looks for such an entry whenever a locked
 *   account is tried or shown, so a CLI in another process can clear it too.
 * - Per client address, over all names: after `failuresPerAddress` failures
 *   the address is rejected before any password is checked, unless the
 *   attempt carries a device cookie of the account it names.
 *
 * An attempt with a valid device cookie of the account it names counts its
 * failures under that cookie instead of the account name, with the same
 * limit. So someone who types wrong passwords for a reviewer's name locks out
 * every browser except the ones the reviewer signed in with before, and
 * the owner's own browser can still be locked by its own failures.
 *
 * The device cookie is what keeps failures for made-up names from locking
 * real users out of a shared address. Exempting attempts by whether the name
 * exists would let anyone list the accounts: the 429 for unknown names next
 * to a 401 or 303 for real ones, or the time that hashing takes. Exempting
 * every correct password would mean checking the passwords of a blocked
 * address, which is no limit at all. A device cookie is something the
 * guesser does not have, so their attempts stay blocked and learn nothing.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { UnauthorizedError } from '../errors.js';
import type { NewAuditEntry, TeamStore, UserRecord } from '../storage/team-store.js';
import { isDeviceCookieOf } from './device-cookies.js';
import { LoginLimitedError, type LoginLimiter, type Lockout } from './login-limiter.js';
import { verifyDummyPassword, verifyPassword } from './passwords.js';

export const LOGIN_FAILED_MESSAGE = 'The user name or password is wrong, or the account is disabled.';

export type LoginFailureReason = 'unknown-user' | 'wrong-password' | 'disabled' | 'rate-limited';

/**
 * The actor name of audit entries for sign-ins with a name that matches no account. The typed text is
 * not recorded, because people type passwords into the name field. Parentheses and spaces cannot occur
 * in user names, so it never matches a real account.
 */
export const UNKNOWN_USER = '(unknown user)';

/** Audit actions after which an account's failed sign-ins no longer count. */
export const LOCKOUT_CLEARING_ACTIONS: ReadonlySet<string> = new Set(['user.unlock', 'user.password', 'user.enable']);

/** A rate-limited attempt is audited once per this interval per name and address, so a flood writes few entries. */
const LIMITED_AUDIT_INTERVAL_MS = 60_000;

/**
 * Maximum number of `user.*` entries read when looking for a lockout-clearing entry of one window.
 * NOTE: when more account changes than this happen within one window, an older clearing entry is
 * missed, and the lockout then lasts until its window ends.
 */
const CLEARING_SCAN_LIMIT = 1000;

/**
 * Returns the key under which failures of a browser with a valid device cookie are counted. The space keeps it
 * apart from every account name, because user names contain no spaces.
 */
function deviceFailureKey(deviceCookie: string): string {
  return `device ${createHmac('sha256', 'glexia device failures').update(deviceCookie).digest('hex').slice(0, 32)}`;
}

/** The rejection of a login for a wrong name or password or a disabled account, with the generic message. */
export class LoginFailedError extends UnauthorizedError {
  constructor(
    readonly reason: LoginFailureReason,
    /** The account name as the audit log records the attempt, for the server log. */
    readonly auditedName: string,
  ) {
    super(LOGIN_FAILED_MESSAGE);
  }
}

export class LoginService {
  private readonly limitedAudited = new Map<string, number>();
  /** Key of the fingerprints of unknown names. It lives only in memory, so a copy of the audit log cannot be used to test guesses of the typed text. */
  private readonly fingerprintKey = randomBytes(32);

  constructor(
    private readonly team: TeamStore,
    private readonly limiter: LoginLimiter,
  ) {}

  /**
   * Returns the user whose name and password match. Raises LoginLimitedError (429) when a limit is
   * used up, and LoginFailedError (401, with one generic message) for any other failure.
   * `deviceCookie` is the value of the browser's device cookie, if it sent one.
   */
  async logIn(name: string, password: string, address: string, deviceCookie?: string): Promise<UserRecord> {
    const user = await this.team.userByName(name);
    const trusted = user !== undefined && isDeviceCookieOf(deviceCookie, user);
    const failureKey = trusted ? deviceFailureKey(deviceCookie as string) : name;
    const accountLockout = trusted ? await this.limiter.accountLockout(failureKey) : await this.currentLockout(name, user);
    if (accountLockout) {
      throw await this.auditLimited(name, user, address, new LoginLimitedError('account', accountLockout.retryAfterSeconds, this.auditedName(user)));
    }
    const addressLockout = await this.limiter.addressLockout(address);
    if (addressLockout && !trusted) {
      throw await this.auditLimited(name, user, address, new LoginLimitedError('address', addressLockout.retryAfterSeconds, this.auditedName(user)));
    }

    const matches = user ? await verifyPassword(password, user.passwordHash) : await verifyDummyPassword(password);
    let reason: LoginFailureReason | undefined;
    if (!user) reason = 'unknown-user';
    else if (!matches) reason = 'wrong-password';
    else if (user.disabled) reason = 'disabled';

    if (reason !== undefined || !user) {
      const failure = reason ?? 'unknown-user';
      await this.limiter.recordFailure(failureKey, address);
      await this.team.appendAudit(this.failure(name, user, address, { reason: failure }));
      throw new LoginFailedError(failure, this.auditedName(user));
    }

    await this.limiter.clearAccount(name);
    await this.limiter.clearAccount(failureKey);
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

  /** Returns the seconds left of the user's sign-in lockout, or undefined when they may sign in. */
  async lockoutSeconds(user: UserRecord): Promise<number | undefined> {
    return (await this.currentLockout(user.name, user))?.retryAfterSeconds;
  }

  /** Returns the account's lockout, after dropping it when an admin cleared it since its window began. */
  private async currentLockout(name: string, user: UserRecord | undefined): Promise<Lockout | undefined> {
    const lockout = await this.limiter.accountLockout(name);
    if (!lockout) return undefined;
    // Only the user.* entries of this window are read: the action index finds them, while the subject
    // index would also walk every login entry of an account under attack. Unknown names are looked up
    // too, so that the time of a 429 does not tell whether the name exists.
    const entries = await this.team.listAudit({
      actionPrefix: 'user.',
      since: new Date(lockout.windowStartMs).toISOString(),
      limit: CLEARING_SCAN_LIMIT,
    });
    const subject = `user:${user?.name ?? name}`;
    if (!entries.some((entry) => entry.subject === subject && LOCKOUT_CLEARING_ACTIONS.has(entry.action))) return lockout;
    await this.limiter.clearAccount(name);
    return undefined;
  }

  /** Audits a rate-limited attempt, at most once per LIMITED_AUDIT_INTERVAL_MS per name and address, and returns the error to raise. */
  private async auditLimited(name: string, user: UserRecord | undefined, address: string, error: LoginLimitedError): Promise<LoginLimitedError> {
    const key = `${this.auditedName(user)}\n${user ? '' : this.fingerprint(name)}\n${address}`;
    const now = Date.now();
    if (now - (this.limitedAudited.get(key) ?? 0) < LIMITED_AUDIT_INTERVAL_MS) return error;
    this.limitedAudited.set(key, now);
    if (this.limitedAudited.size > 10_000) {
      for (const [other, at] of this.limitedAudited) if (now - at >= LIMITED_AUDIT_INTERVAL_MS) this.limitedAudited.delete(other);
    }
    await this.team.appendAudit(
      this.failure(name, user, address, { reason: 'rate-limited', limitedBy: error.limitedBy, retryAfterSeconds: error.retryAfterSeconds }),
    );
    return error;
  }

  private auditedName(user: UserRecord | undefined): string {
    return user?.name ?? UNKNOWN_USER;
  }

  /** Returns 8 hex digits of an HMAC of the typed name, which marks repeated attempts with one unknown name in the audit log. */
  private fingerprint(name: string): string {
    return createHmac('sha256', this.fingerprintKey).update(name, 'utf8').digest('hex').slice(0, 8);
  }

  private failure(name: string, user: UserRecord | undefined, address: string, after: Record<string, unknown>): NewAuditEntry {
    return {
      actorId: user?.id ?? null,
      actorName: this.auditedName(user),
      channel: 'session',
      action: 'login.failure',
      subject: user ? `user:${user.name}` : '',
      before: null,
      after: user ? after : { ...after, nameFingerprint: this.fingerprint(name) },
      address,
    };
  }
}
