/**
 * Device cookies: proof that a browser has signed in to an account before.
 * A browser that carries one for the account it signs in to is exempt from
 * the per-address login limit (see LoginService), so that failures of other
 * people behind the same address do not lock its user out.
 *
 * The cookie is `<user id>.<issued, seconds since the epoch>.<HMAC-SHA256>`.
 * The HMAC key is the user's stored password hash: it is secret, survives
 * restarts without another stored key, and changes with the password, which
 * invalidates the user's device cookies.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { UserRecord } from '../storage/team-store.js';

export const DEVICE_COOKIE = 'glexia_device';
/** Lifetime of a device cookie. Each sign-in issues a new one. */
export const DEVICE_COOKIE_DAYS = 180;

const DEVICE_COOKIE_FORM = /^([1-9][0-9]{0,15})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})$/;

function signature(user: UserRecord, issuedSeconds: number): string {
  return createHmac('sha256', user.passwordHash).update(`glexia-device\n${user.id}\n${issuedSeconds}`, 'utf8').digest('base64url');
}

/** Creates the device cookie value for a user who has just signed in. */
export function issueDeviceCookie(user: UserRecord, now = new Date()): string {
  const issuedSeconds = Math.floor(now.getTime() / 1000);
  return `${user.id}.${issuedSeconds}.${signature(user, issuedSeconds)}`;
}

/** Checks that `value` is an unexpired device cookie issued for `user` under their current password. */
export function isDeviceCookieOf(value: string | undefined, user: UserRecord, now = new Date()): boolean {
  const match = value === undefined ? null : DEVICE_COOKIE_FORM.exec(value);
  if (!match || Number(match[1]) !== user.id) return false;
  const issuedSeconds = Number(match[2]);
  const ageSeconds = now.getTime() / 1000 - issuedSeconds;
  if (ageSeconds < 0 || ageSeconds > DEVICE_COOKIE_DAYS * 24 * 60 * 60) return false;
  const expected = Buffer.from(signature(user, issuedSeconds), 'utf8');
  const received = Buffer.from(match[3] ?? '', 'utf8');
  return expected.length === received.length && timingSafeEqual(expected, received);
}
