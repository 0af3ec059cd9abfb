/**
 * Accounts for tests: users with known passwords, signed-in sessions and API tokens.
 * The signatures stay stable because other test files build on them.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AccountService, type Actor } from '../src/accounts/account-service.js';
import { SESSION_COOKIE } from '../src/accounts/sessions.js';
import type { Store } from '../src/storage/store.js';
import type { Role, UserRecord } from '../src/storage/team-store.js';

const TEST_ACTOR: Actor = { id: null, name: 'test-setup', channel: 'cli', address: null };

/** Creates a user with a random password of 24 characters. */
export async function addUser(store: Store, name: string, role: Role): Promise<{ user: UserRecord; password: string }> {
  const password = randomBytes(18).toString('base64url');
  const user = await new AccountService(store.team).createUser(TEST_ACTOR, name, role, password);
  return { user, password };
}

/** Returns the value of the cookie `name` set by a response, or undefined. */
export function cookieFrom(setCookie: string | string[] | undefined, name: string): string | undefined {
  let headers: string[] = [];
  if (Array.isArray(setCookie)) headers = setCookie;
  else if (setCookie !== undefined) headers = [setCookie];
  for (const header of headers) {
    const [pair] = header.split(';');
    const separator = pair?.indexOf('=') ?? -1;
    if (pair && separator > 0 && pair.slice(0, separator).trim() === name) return pair.slice(separator + 1);
  }
  return undefined;
}

/** Returns the value of the first hidden `_csrf` field of a page, or undefined. */
export function csrfFieldOf(page: string): string | undefined {
  return /name="_csrf" value="([^"]*)"/.exec(page)?.[1];
}

/**
 * Signs in through the login form, as a browser does. `cookie` goes into the `cookie` header of later
 * requests; `csrfToken` goes into the `_csrf` form field or the `X-CSRF-Token` header of their writes.
 */
export async function signIn(app: FastifyInstance, name: string, password: string): Promise<{ cookie: string; csrfToken: string }> {
  const form = await app.inject({ method: 'GET', url: '/login' });
  const loginToken = csrfFieldOf(form.body);
  const loginCookie = form.headers['set-cookie'];
  if (!loginToken || !loginCookie) throw new Error(`GET /login returned no CSRF field or cookie (status ${form.statusCode})`);
  const cookieHeader = (Array.isArray(loginCookie) ? loginCookie : [loginCookie]).map((header) => header.split(';')[0]).join('; ');

  const response = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { cookie: cookieHeader, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ name, password, _csrf: loginToken }).toString(),
  });
  const session = cookieFrom(response.headers['set-cookie'], SESSION_COOKIE);
  if (response.statusCode !== 303 || !session) {
    throw new Error(`signing in as ${name} failed with status ${response.statusCode}: ${response.body.slice(0, 300)}`);
  }
  const cookie = `${SESSION_COOKIE}=${session}`;

  const account = await app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  const csrfToken = csrfFieldOf(account.body);
  if (account.statusCode !== 200 || !csrfToken) throw new Error(`GET /account after signing in returned status ${account.statusCode} and no CSRF field`);
  return { cookie, csrfToken };
}

/** Creates an API token for an existing user and returns the token, for `Authorization: Bearer <token>`. */
export async function createToken(store: Store, userName: string, role: Role): Promise<string> {
  const accounts = new AccountService(store.team);
  const user = await accounts.userByName(userName);
  const { token } = await accounts.createToken(TEST_ACTOR, user, role, `test token (${role})`);
  return token;
}
