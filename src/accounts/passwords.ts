/**
 * Password hashing with scrypt (node:crypto). A hash is stored as
 * `scrypt$N$r$p$salt$hash`, with salt and hash in base64, so the cost
 * parameters can be raised later without breaking stored hashes.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { BadRequestError } from '../errors.js';
import { formatCount } from './counts.js';

export const MIN_PASSWORD_LENGTH = 12;
/** Maximum password length, so that hashing stays cheap for any input. */
export const MAX_PASSWORD_LENGTH = 1024;

/**
 * N = 2^15, r = 8, p = 1 need 32 MiB of memory per hash, so parallel logins stay affordable. Each stored
 * hash carries its own parameters, so the cost can be raised later without breaking old hashes.
 */
const COST = 2 ** 15;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Upper bound on N read from a stored hash, so that a corrupt row cannot make verification take unbounded memory. */
const MAX_COST = 2 ** 20;

function deriveKey(password: string, salt: Buffer, cost: number, blockSize: number, parallelism: number, length: number): Promise<Buffer> {
  // scrypt needs about 128 * N * r bytes; Node's default limit of 32 MiB is just below that for N = 2^15, r = 8.
  const options: ScryptOptions = { N: cost, r: blockSize, p: parallelism, maxmem: 256 * cost * blockSize };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Raises a BadRequestError naming the length and the limit when the password is too short or too long. */
export function checkPasswordStrength(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadRequestError(
      `The password has ${formatCount(password.length, 'character')}; use at least ${MIN_PASSWORD_LENGTH}, for example four random words.`,
    );
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new BadRequestError(`The password has ${formatCount(password.length, 'character')}; the maximum is ${MAX_PASSWORD_LENGTH}.`);
  }
}

/** Hashes a password with a random salt, after checking its length. */
export async function hashPassword(password: string): Promise<string> {
  checkPasswordStrength(password);
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, COST, BLOCK_SIZE, PARALLELISM, KEY_BYTES);
  return ['scrypt', COST, BLOCK_SIZE, PARALLELISM, salt.toString('base64'), key.toString('base64')].join('$');
}

interface ParsedHash {
  cost: number;
  blockSize: number;
  parallelism: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [cost, blockSize, parallelism] = parts.slice(1, 4).map(Number) as [number, number, number];
  const valid = [cost, blockSize, parallelism].every((value) => Number.isSafeInteger(value) && value > 0);
  if (!valid || cost > MAX_COST || blockSize > 64 || parallelism > 16) return undefined;
  const salt = Buffer.from(parts[4] ?? '', 'base64');
  const key = Buffer.from(parts[5] ?? '', 'base64');
  if (salt.length === 0 || key.length === 0) return undefined;
  return { cost, blockSize, parallelism, salt, key };
}

/**
 * Checks a password against a stored hash, comparing the derived keys in constant time. Returns false
 * for a wrong password, a password over the maximum length and a hash in an unknown format.
 */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed || password.length > MAX_PASSWORD_LENGTH) return false;
  const key = await deriveKey(password, parsed.salt, parsed.cost, parsed.blockSize, parsed.parallelism, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one verification, for logins with an unknown user name, so that the response
 * time does not tell whether the name exists.
 */
export async function verifyDummyPassword(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  await verifyPassword(password, await dummyHash);
  return false;
}
