/**
 * Limits on failed logins, per account name and per client address, so that
 * passwords cannot be guessed at speed. Counters live in process memory
 * (rate-limiter-flexible's RateLimiterMemory), so a restart clears them.
 * LoginService decides which limits apply to an attempt.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../errors.js';
import { formatCount } from './counts.js';

export interface LoginLimits {
  /** Failed logins allowed per account name in one window. */
  failuresPerAccount: number;
  /** Failed logins allowed per client address in one window, over all account names. */
  failuresPerAddress: number;
  /** Length of the window, which starts at the first failure, in seconds. */
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { failuresPerAccount: 5, failuresPerAddress: 20, windowSeconds: 15 * 60 };

/** The limit that a rejected login attempt hit. */
export type LimitedBy = 'account' | 'address';

export class LoginLimitedError extends TooManyRequestsError {
  constructor(
    readonly limitedBy: LimitedBy,
    retryAfterSeconds: number,
    /** The account name as the audit log records the attempt, for the server log. */
    readonly auditedName = '',
  ) {
    const wait = `Wait ${formatCount(minutesOf(retryAfterSeconds), 'minute')} and try again`;
    super(
      limitedBy === 'account'
        ? `Too many failed sign-ins for this account. ${wait}, or ask an admin to clear the lockout.`
        : `Too many failed sign-ins from your address. ${wait}, or sign in from a browser that has signed in to your account before.`,
      retryAfterSeconds,
    );
  }
}

/** Rounds a wait up to whole minutes, at least 1, for messages. */
export function minutesOf(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/** A used-up limit: how long it still applies, and when its window began. */
export interface Lockout {
  retryAfterSeconds: number;
  /** Time of the first failure of the window, in ms since the epoch. */
  windowStartMs: number;
}

/** Account names differ only by case and surrounding spaces in the counter, so variants share one limit. */
function accountKey(name: string): string {
  return name.trim().toLowerCase().slice(0, 256);
}

export class LoginLimiter {
  private readonly byAccount: RateLimiterMemory;
  private readonly byAddress: RateLimiterMemory;

  constructor(readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.byAccount = new RateLimiterMemory({ keyPrefix: 'login-account', points: limits.failuresPerAccount, duration: limits.windowSeconds });
    this.byAddress = new RateLimiterMemory({ keyPrefix: 'login-address', points: limits.failuresPerAddress, duration: limits.windowSeconds });
  }

  /** Returns the lockout of the account name when it has used up its failures, else undefined. */
  async accountLockout(name: string, now = Date.now()): Promise<Lockout | undefined> {
    return this.lockoutOf(this.byAccount, accountKey(name), this.limits.failuresPerAccount, now);
  }

  /** Returns the lockout of the client address when it has used up its failures, else undefined. */
  async addressLockout(address: string, now = Date.now()): Promise<Lockout | undefined> {
    return this.lockoutOf(this.byAddress, address, this.limits.failuresPerAddress, now);
  }

  async recordFailure(name: string, address: string): Promise<void> {
    await Promise.all([this.byAccount.penalty(accountKey(name), 1), this.byAddress.penalty(address, 1)]);
  }

  /** Clears the account's failures. The address keeps its count, so one valid account cannot reset guessing at others. */
  async clearAccount(name: string): Promise<void> {
    await this.byAccount.delete(accountKey(name));
  }

  private async lockoutOf(limiter: RateLimiterMemory, key: string, limit: number, now: number): Promise<Lockout | undefined> {
    const state = await limiter.get(key);
    if (!state || state.consumedPoints < limit) return undefined;
    return {
      retryAfterSeconds: Math.ceil(state.msBeforeNext / 1000),
      windowStartMs: now + state.msBeforeNext - this.limits.windowSeconds * 1000,
    };
  }
}
