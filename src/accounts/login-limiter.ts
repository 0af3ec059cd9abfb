/**
 * Limits on failed logins, per account name and per client address, so that
 * passwords cannot be guessed at speed. Counters live in process memory
 * (rate-limiter-flexible's RateLimiterMemory), so a restart clears them.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { TooManyRequestsError } from '../errors.js';

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
  ) {
    const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
    const what = limitedBy === 'account' ? 'this account' : 'your address';
    super(`Too many failed sign-ins for ${what}. Wait ${minutes} minute${minutes === 1 ? '' : 's'} and try again.`, retryAfterSeconds);
  }
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

  /** Raises LoginLimitedError when the account name or the address has used up its failures, even before the password is checked. */
  async check(name: string, address: string): Promise<void> {
    const [account, client] = await Promise.all([this.byAccount.get(accountKey(name)), this.byAddress.get(address)]);
    if (account && account.consumedPoints >= this.limits.failuresPerAccount) {
      throw new LoginLimitedError('account', Math.ceil(account.msBeforeNext / 1000));
    }
    if (client && client.consumedPoints >= this.limits.failuresPerAddress) {
      throw new LoginLimitedError('address', Math.ceil(client.msBeforeNext / 1000));
    }
  }

  async recordFailure(name: string, address: string): Promise<void> {
    await Promise.all([this.byAccount.penalty(accountKey(name), 1), this.byAddress.penalty(address, 1)]);
  }

  /** Clears the account's failures. The address keeps its count, so one valid account cannot reset guessing at others. */
  async recordSuccess(name: string): Promise<void> {
    await this.byAccount.delete(accountKey(name));
  }
}
