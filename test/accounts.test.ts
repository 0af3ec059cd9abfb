/** Accounts and access: passwords, sign-in, rate limits, CSRF, API tokens, admin pages, audit entries and the CLI. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { AccountService, type Actor } from '../src/accounts/account-service.js';
import { generateToken, parseTokenLifetime, tokenHash } from '../src/accounts/api-tokens.js';
import { formatCount } from '../src/accounts/counts.js';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS } from '../src/accounts/device-cookies.js';
import { DEFAULT_LOGIN_LIMITS, LoginLimitedError, minutesOf } from '../src/accounts/login-limiter.js';
import { UNKNOWN_USER } from '../src/accounts/login.js';
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from '../src/accounts/passwords.js';
import { SESSION_COOKIE } from '../src/accounts/sessions.js';
import { auditView } from '../src/api/take-views.js';
import { loadConfig, type Config } from '../src/config.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import type { AuditRecord } from '../src/storage/team-store.js';
import { KNOWN_AUDIT_ACTIONS } from '../src/web/pages/account/audit-page.js';
import { addUser, cookieFrom, createToken, csrfFieldOf, signIn } from './auth-support.js';
import { createTestServer, createTestStore, type TestStore } from './support.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const CLI_ACTOR: Actor = { id: null, name: 'accounts-test', channel: 'cli', address: null };

interface LoginAttempt {
  name: string;
  password: string;
  address?: string;
  next?: string;
  /** Value of the device cookie that the browser sends, if any. */
  device?: string;
}

/** Fetches the login form and posts it, as a browser does. */
async function attemptLogin(app: FastifyInstance, attempt: LoginAttempt): Promise<LightMyRequestResponse> {
  const remoteAddress = attempt.address ?? '127.0.0.1';
  const form = await app.inject({ method: 'GET', url: '/login', remoteAddress });
  const token = csrfFieldOf(form.body) ?? '';
  const loginCookie = cookieFrom(form.headers['set-cookie'], 'glexia_login_csrf') ?? '';
  const fields: Record<string, string> = { name: attempt.name, password: attempt.password, _csrf: token };
  if (attempt.next !== undefined) fields.next = attempt.next;
  return app.inject({
    method: 'POST',
    url: '/login',
    remoteAddress,
    headers: { ...FORM, cookie: `glexia_login_csrf=${loginCookie}${attempt.device === undefined ? '' : `; ${DEVICE_COOKIE}=${attempt.device}`}` },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** Fails `failuresPerAccount` sign-ins of `name`, each from its own address, so that only the account limit is used up. */
async function lockAccount(app: FastifyInstance, name: string, addressPrefix: string): Promise<void> {
  for (let attempt = 1; attempt <= DEFAULT_LOGIN_LIMITS.failuresPerAccount; attempt++) {
    const response = await attemptLogin(app, { name, password: `wrong password ${attempt}`, address: `${addressPrefix}.${attempt}` });
    assert.notEqual(response.statusCode, 303, `failure ${attempt} of ${name}`);
  }
}

/** Returns the text of the page's error message (role="alert"), unescaped, or undefined. */
function alertText(body: string): string | undefined {
  return /role="alert">([^<]*)</.exec(body)?.[1]?.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}

/** Posts a form with a session cookie; `_csrf` is added unless `csrf` is null. */
function postForm(app: FastifyInstance, url: string, cookie: string, csrf: string | null, fields: Record<string, string> = {}) {
  const payload = new URLSearchParams(csrf === null ? fields : { ...fields, _csrf: csrf }).toString();
  return app.inject({ method: 'POST', url, headers: { ...FORM, cookie }, payload });
}

async function auditEntries(store: SqliteStore, action?: string): Promise<AuditRecord[]> {
  return store.team.listAudit({ limit: 10_000, ...(action === undefined ? {} : { action }) });
}

function setCookieHeader(response: LightMyRequestResponse, name: string): string {
  const headers = response.headers['set-cookie'];
  let all: string[] = [];
  if (Array.isArray(headers)) all = headers;
  else if (headers !== undefined) all = [headers];
  const found = all.find((header) => header.startsWith(`${name}=`));
  assert.ok(found, `expected a Set-Cookie header for ${name}, got ${JSON.stringify(all)}`);
  return found;
}

async function withServer(config: Config | undefined, run: (app: FastifyInstance, t: TestStore) => Promise<void>): Promise<void> {
  const t = createTestStore();
  const app = await createTestServer(t, config ?? loadConfig({ dataDir: t.dir }, {}));
  try {
    await run(app, t);
  } finally {
    await app.close();
    await t.cleanup();
  }
}

describe('passwords', () => {
  test('hash round trip', async () => {
    const hash = await hashPassword('correct horse battery staple');
    assert.match(hash, /^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.equal(await verifyPassword('correct horse battery staple', hash), true);
    assert.equal(await verifyPassword('correct horse battery stapl', hash), false);
  });

  test('same password gets different salts', async () => {
    const first = await hashPassword('the same password twice');
    const second = await hashPassword('the same password twice');
    assert.notEqual(first, second);
  });

  test('short password rejected with reason', async () => {
    await assert.rejects(hashPassword('x'.repeat(MIN_PASSWORD_LENGTH - 1)), (error: Error) => {
      assert.match(error.message, new RegExp(`at least ${MIN_PASSWORD_LENGTH}`));
      return true;
    });
  });

  test('counts in messages are pluralised', async () => {
    assert.equal(formatCount(1, 'character'), '1 character');
    assert.equal(formatCount(2, 'character'), '2 characters');
    assert.equal(formatCount(0, 'character'), '0 characters');
    await assert.rejects(hashPassword('x'), /The password has 1 character; use at least 12/);
    assert.match(new LoginLimitedError('account', 30).message, /Wait 1 minute and try again/);
    assert.match(new LoginLimitedError('address', 600).message, /Wait 10 minutes and try again/);
  });

  test('malformed stored hash never matches', async () => {
    assert.equal(await verifyPassword('anything at all', 'plain-text'), false);
    assert.equal(await verifyPassword('anything at all', 'scrypt$99999999999$8$1$c2FsdA==$a2V5'), false);
  });
});

describe('sign-in', () => {
  let t: TestStore;
  let app: FastifyInstance;
  let alicePassword: string;

  before(async () => {
    t = createTestStore();
    app = await createTestServer(t);
    alicePassword = (await addUser(t.store, 'alice', 'analyst')).password;
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('login sets a strict HttpOnly cookie with expiry', async () => {
    const response = await attemptLogin(app, { name: 'alice', password: alicePassword, next: '/takes' });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/takes');
    const cookie = setCookieHeader(response, SESSION_COOKIE);
    assert.match(cookie, /; HttpOnly/i);
    assert.match(cookie, /; SameSite=Strict/i);
    assert.match(cookie, /; Path=\//);
    assert.match(cookie, /; Max-Age=43200/);
    assert.match(cookie, /; Expires=/);
    assert.doesNotMatch(cookie, /; Secure/i, 'plain http on 127.0.0.1 must keep working');
  });

  test('login cookie is Secure when configured', async () => {
    const config = loadConfig({ dataDir: t.dir }, {});
    config.accounts.secureCookies = true;
    await withServer(config, async (secureApp, t2) => {
      const { password } = await addUser(t2.store, 'sam', 'analyst');
      const login = await attemptLogin(secureApp, { name: 'sam', password });
      assert.match(setCookieHeader(login, SESSION_COOKIE), /; Secure/i);
    });
  });

  test('next never leaves the site', async () => {
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/login']) {
      const response = await attemptLogin(app, { name: 'alice', password: alicePassword, next });
      assert.equal(response.statusCode, 303, `next=${next}`);
      assert.equal(response.headers.location, '/', `next=${next}`);
    }
  });

  test('failure message does not reveal names', async () => {
    const unknown = await attemptLogin(app, { name: 'nobody', password: 'wrong password here', address: '10.0.0.1' });
    const wrong = await attemptLogin(app, { name: 'alice', password: 'wrong password here', address: '10.0.0.2' });
    assert.equal(unknown.statusCode, 401);
    assert.equal(wrong.statusCode, 401);
    const message = (body: string) => /role="alert">([^<]*)</.exec(body)?.[1];
    assert.ok(message(unknown.body));
    assert.equal(message(unknown.body), message(wrong.body));
    assert.equal(cookieFrom(wrong.headers['set-cookie'], SESSION_COOKIE), undefined);
  });

  test('login without the form token rejected', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/login',
      headers: FORM,
      payload: new URLSearchParams({ name: 'alice', password: alicePassword }).toString(),
    });
    assert.equal(response.statusCode, 403);
    assert.match(response.body, /CSRF/);
    assert.equal(cookieFrom(response.headers['set-cookie'], SESSION_COOKIE), undefined);
  });

  test('login form works when served from the page cache', async () => {
    const first = await app.inject({ method: 'GET', url: '/login?next=%2Faccount' });
    const second = await app.inject({ method: 'GET', url: '/login?next=%2Faccount' });
    for (const response of [first, second]) {
      const token = csrfFieldOf(response.body);
      assert.ok(token, 'the form has a _csrf field');
      assert.equal(cookieFrom(response.headers['set-cookie'], 'glexia_login_csrf'), token);
      assert.equal(response.headers['cache-control'], 'no-store');
    }
    assert.notEqual(csrfFieldOf(first.body), csrfFieldOf(second.body), 'each reader gets an own login token');
  });

  test('signed-in header shows name and role', async () => {
    const session = await signIn(app, 'alice', alicePassword);
    const page = await app.inject({ method: 'GET', url: '/', headers: { cookie: session.cookie } });
    assert.match(page.body, /class="account-name">alice<\/a> <span class="tag account-role">analyst<\/span>/);
    assert.match(page.body, /action="\/logout"/);
    assert.doesNotMatch(page.body, /href="\/admin"/, 'analysts get no admin link');
    const anonymous = await app.inject({ method: 'GET', url: '/' });
    assert.match(anonymous.body, /<a href="\/login">Sign in<\/a>/);
    assert.doesNotMatch(anonymous.body, /alice/);
  });

  test('logout ends the session', async () => {
    const session = await signIn(app, 'alice', alicePassword);
    const logout = await postForm(app, '/logout', session.cookie, session.csrfToken);
    assert.equal(logout.statusCode, 303);
    const account = await app.inject({ method: 'GET', url: '/account', headers: { cookie: session.cookie } });
    assert.equal(account.statusCode, 303);
    assert.equal(account.headers.location, '/login?next=%2Faccount&notice=session-ended');
  });

  test('logout confirms on the login page', async () => {
    const session = await signIn(app, 'alice', alicePassword);
    const page = await app.inject({ method: 'GET', url: '/account', headers: { cookie: session.cookie } });
    assert.match(page.body, /<input type="hidden" name="next" value="\/account"><button type="submit">Sign out<\/button>/);

    const logout = await postForm(app, '/logout', session.cookie, session.csrfToken, { next: '/account' });
    assert.equal(logout.statusCode, 303);
    assert.equal(logout.headers.location, '/login?next=%2Faccount&notice=signed-out');
    const landing = await app.inject({ method: 'GET', url: logout.headers.location });
    assert.equal(landing.statusCode, 200);
    assert.match(landing.body, /role="status">You are signed out\.</);
    assert.match(landing.body, /name="next" value="\/account"/);
    assert.doesNotMatch(landing.body, /Your session ended/);
  });

  test('login page header keeps next', async () => {
    const page = await app.inject({ method: 'GET', url: '/login?next=%2Ftakes%3Fstate%3Ddraft' });
    assert.match(page.body, /<a href="\/login\?next=%2Ftakes%3Fstate%3Ddraft">Sign in<\/a>/);
    const failed = await attemptLogin(app, { name: 'alice', password: 'not her password', next: '/takes', address: '10.0.9.1' });
    assert.equal(failed.statusCode, 401);
    assert.match(failed.body, /<a href="\/login\?next=%2Ftakes">Sign in<\/a>/);
    const plain = await app.inject({ method: 'GET', url: '/login' });
    assert.match(plain.body, /<a href="\/login">Sign in<\/a>/);
    assert.doesNotMatch(plain.body, /role="status"/, 'no notice without a reason');
  });
});

describe('login rate limits', () => {
  const limits = DEFAULT_LOGIN_LIMITS;

  test('per account, then 429 even with the right password', async () => {
    await withServer(undefined, async (app, t) => {
      const { password } = await addUser(t.store, 'bob', 'analyst');
      for (let attempt = 1; attempt <= limits.failuresPerAccount; attempt++) {
        // A new address each time, so that only the account limit applies.
        const response = await attemptLogin(app, { name: 'bob', password: `wrong password ${attempt}`, address: `10.1.0.${attempt}` });
        assert.equal(response.statusCode, 401, `failure ${attempt}`);
      }
      const limited = await attemptLogin(app, { name: 'bob', password, address: '10.1.1.1' });
      assert.equal(limited.statusCode, 429);
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(retryAfter > 0, `Retry-After ${retryAfter}`);
      assert.ok(retryAfter <= limits.windowSeconds, `Retry-After ${retryAfter}`);
      assert.match(limited.body, /Too many failed sign-ins/);
      assert.equal(cookieFrom(limited.headers['set-cookie'], SESSION_COOKIE), undefined);

      const otherCase = await attemptLogin(app, { name: 'BOB', password, address: '10.1.1.2' });
      assert.equal(otherCase.statusCode, 429, 'the account limit ignores letter case');
    });
  });

  test('per address, over all names', async () => {
    await withServer(undefined, async (app, t) => {
      const { password } = await addUser(t.store, 'carol', 'analyst');
      for (let attempt = 1; attempt <= limits.failuresPerAddress; attempt++) {
        const response = await attemptLogin(app, { name: `guess${attempt}`, password: 'wrong password', address: '10.2.0.1' });
        assert.equal(response.statusCode, 401, `failure ${attempt}`);
      }
      const limited = await attemptLogin(app, { name: 'carol', password, address: '10.2.0.1' });
      assert.equal(limited.statusCode, 429);
      const elsewhere = await attemptLogin(app, { name: 'carol', password, address: '10.2.0.2' });
      assert.equal(elsewhere.statusCode, 303, 'other addresses are not limited');
    });
  });

  test('success resets the account counter', async () => {
    await withServer(undefined, async (app, t) => {
      const { password } = await addUser(t.store, 'dave', 'analyst');
      const failBelowLimit = async (round: number) => {
        for (let attempt = 1; attempt < limits.failuresPerAccount; attempt++) {
          const response = await attemptLogin(app, { name: 'dave', password: 'wrong password', address: `10.3.${round}.${attempt}` });
          assert.equal(response.statusCode, 401);
        }
      };
      await failBelowLimit(1);
      assert.equal((await attemptLogin(app, { name: 'dave', password, address: '10.3.9.1' })).statusCode, 303);
      await failBelowLimit(2);
      assert.equal((await attemptLogin(app, { name: 'dave', password, address: '10.3.9.2' })).statusCode, 303);
    });
  });

  test('limit ends with its window', async () => {
    const config = loadConfig({ dataDir: tmpdir() }, {});
    config.accounts.loginWindowSeconds = 1;
    await withServer(config, async (app, t) => {
      const { password } = await addUser(t.store, 'erin', 'analyst');
      for (let attempt = 1; attempt <= config.accounts.loginFailuresPerAccount; attempt++) {
        await attemptLogin(app, { name: 'erin', password: 'wrong password', address: `10.4.0.${attempt}` });
      }
      assert.equal((await attemptLogin(app, { name: 'erin', password, address: '10.4.1.1' })).statusCode, 429);
      await new Promise((done) => setTimeout(done, 1100));
      assert.equal((await attemptLogin(app, { name: 'erin', password, address: '10.4.1.2' })).statusCode, 303);
    });
  });

  test('failures and successes audited', async () => {
    await withServer(undefined, async (app, t) => {
      const { password } = await addUser(t.store, 'frank', 'analyst');
      await attemptLogin(app, { name: 'frank', password: 'not the password', address: '10.5.0.1' });
      await attemptLogin(app, { name: 'ghost', password: 'not the password', address: '10.5.0.2' });
      await attemptLogin(app, { name: 'frank', password, address: '10.5.0.3' });

      const failures = await auditEntries(t.store, 'login.failure');
      assert.equal(failures.length, 2);
      const ghost = failures.find((entry) => entry.actorName === '(unknown user)');
      assert.equal(ghost?.actorId, null);
      assert.equal((ghost?.after as { reason: string }).reason, 'unknown-user');
      assert.equal(ghost?.address, '10.5.0.2');
      assert.equal(failures.find((entry) => entry.actorName === 'frank')?.subject, 'user:frank', 'existing names are kept');
      const [success] = await auditEntries(t.store, 'login.success');
      assert.equal(success?.actorName, 'frank');
      assert.equal(success?.address, '10.5.0.3');
      const text = JSON.stringify(await auditEntries(t.store));
      assert.ok(!text.includes('not the password'), 'no attempted password in the audit log');
      assert.ok(!text.includes(password), 'no password in the audit log');
    });
  });

  test('unknown names not recorded as typed', async () => {
    await withServer(undefined, async (app, t) => {
      await addUser(t.store, 'gina', 'analyst');
      const typed = 'Typed-Passw0rd-In-Name';
      await attemptLogin(app, { name: typed, password: 'some password', address: '10.5.1.1' });
      await attemptLogin(app, { name: typed, password: 'some password', address: '10.5.1.2' });
      await attemptLogin(app, { name: 'another-guess', password: 'some password', address: '10.5.1.3' });
      await attemptLogin(app, { name: 'gina', password: 'not her password', address: '10.5.1.4' });

      const failures = await auditEntries(t.store, 'login.failure');
      const unknown = failures.filter((entry) => entry.actorName === UNKNOWN_USER).reverse();
      assert.equal(unknown.length, 3);
      for (const entry of unknown) {
        assert.equal(entry.actorId, null);
        assert.equal(entry.subject, '');
        assert.match((entry.after as { nameFingerprint: string }).nameFingerprint, /^[0-9a-f]{8}$/);
      }
      const fingerprints = unknown.map((entry) => (entry.after as { nameFingerprint: string }).nameFingerprint);
      assert.equal(fingerprints[0], fingerprints[1], 'the same typed name gets the same fingerprint');
      assert.notEqual(fingerprints[0], fingerprints[2]);
      assert.equal(failures.find((entry) => entry.address === '10.5.1.4')?.actorName, 'gina');

      // Rate-limited attempts with the typed name are audited without it too.
      for (let attempt = 3; attempt <= DEFAULT_LOGIN_LIMITS.failuresPerAccount + 1; attempt++) {
        await attemptLogin(app, { name: typed, password: 'some password', address: `10.5.2.${attempt}` });
      }
      const limited = (await auditEntries(t.store, 'login.failure')).find((entry) => (entry.after as { reason: string }).reason === 'rate-limited');
      assert.equal(limited?.actorName, UNKNOWN_USER);
      const text = JSON.stringify(await auditEntries(t.store)).toLowerCase();
      assert.ok(!text.includes(typed.toLowerCase()), 'the typed name is not in the audit log');
    });
  });
});

describe('sign-in lockouts', () => {
  const limits = DEFAULT_LOGIN_LIMITS;

  /** Adds an admin and signs them in from 127.0.0.1, away from the addresses that the tests lock. */
  async function adminSession(app: FastifyInstance, t: TestStore) {
    const { password } = await addUser(t.store, 'root', 'admin');
    return signIn(app, 'root', password);
  }

  test('users page shows lockout; reset clears it', async () => {
    await withServer(undefined, async (app, t) => {
      const { user } = await addUser(t.store, 'dave', 'analyst');
      const admin = await adminSession(app, t);
      await lockAccount(app, 'dave', '10.8.0');
      const limited = await attemptLogin(app, { name: 'dave', password: 'anything at all', address: '10.8.1.1' });
      assert.equal(limited.statusCode, 429);
      assert.match(alertText(limited.body) ?? '', /ask an admin to clear the lockout/);

      const users = await app.inject({ method: 'GET', url: '/admin/users', headers: { cookie: admin.cookie } });
      assert.match(users.body, new RegExp(`locked for ${minutesOf(limits.windowSeconds)} more minutes`));
      assert.match(users.body, new RegExp(`action="/admin/users/${user.id}/unlock"`));
      assert.match(users.body, /Clear sign-in lockout of dave/);

      const reset = await postForm(app, `/admin/users/${user.id}/password`, admin.cookie, admin.csrfToken, { password: 'dave gets a new password' });
      assert.equal(reset.statusCode, 303);
      const after = await app.inject({ method: 'GET', url: '/admin/users', headers: { cookie: admin.cookie } });
      assert.doesNotMatch(after.body, /locked for \d/);
      assert.doesNotMatch(after.body, /Clear sign-in lockout/);
      const login = await attemptLogin(app, { name: 'dave', password: 'dave gets a new password', address: '10.8.1.2' });
      assert.equal(login.statusCode, 303);
    });
  });

  test('clear lockout action is audited', async () => {
    await withServer(undefined, async (app, t) => {
      const { user, password } = await addUser(t.store, 'dave', 'analyst');
      const admin = await adminSession(app, t);
      await lockAccount(app, 'dave', '10.8.2');
      assert.equal((await attemptLogin(app, { name: 'dave', password, address: '10.8.3.1' })).statusCode, 429);

      const unlock = await postForm(app, `/admin/users/${user.id}/unlock`, admin.cookie, admin.csrfToken);
      assert.equal(unlock.statusCode, 303);
      assert.equal(unlock.headers.location, '/admin/users?done=unlocked&name=dave');
      const page = await app.inject({ method: 'GET', url: String(unlock.headers.location), headers: { cookie: admin.cookie } });
      assert.match(page.body, /The sign-in lockout of dave was cleared/);
      assert.doesNotMatch(page.body, /locked for \d/);
      const [entry] = await auditEntries(t.store, 'user.unlock');
      assert.equal(entry?.subject, 'user:dave');
      assert.equal(entry?.actorName, 'root');
      assert.equal(entry?.channel, 'session');

      // The clearing applies once: new failures lock the account again.
      await lockAccount(app, 'dave', '10.8.4');
      assert.equal((await attemptLogin(app, { name: 'dave', password, address: '10.8.5.1' })).statusCode, 429);
      assert.equal((await postForm(app, `/admin/users/${user.id}/unlock`, admin.cookie, admin.csrfToken)).statusCode, 303);
      assert.equal((await attemptLogin(app, { name: 'dave', password, address: '10.8.5.2' })).statusCode, 303);
    });
  });

  test('enable clears lockout', async () => {
    await withServer(undefined, async (app, t) => {
      const { user, password } = await addUser(t.store, 'dave', 'analyst');
      const admin = await adminSession(app, t);
      assert.equal((await postForm(app, `/admin/users/${user.id}/disable`, admin.cookie, admin.csrfToken)).statusCode, 303);
      for (let attempt = 1; attempt <= limits.failuresPerAccount; attempt++) {
        const response = await attemptLogin(app, { name: 'dave', password, address: `10.8.6.${attempt}` });
        assert.equal(response.statusCode, 401, `disabled attempt ${attempt}`);
      }
      assert.equal((await attemptLogin(app, { name: 'dave', password, address: '10.8.7.1' })).statusCode, 429);
      assert.equal((await postForm(app, `/admin/users/${user.id}/enable`, admin.cookie, admin.csrfToken)).statusCode, 303);
      assert.equal((await attemptLogin(app, { name: 'dave', password, address: '10.8.7.2' })).statusCode, 303);
    });
  });

  test('CLI unlock reaches a running server', async () => {
    await withServer(undefined, async (app, t) => {
      const { password } = await addUser(t.store, 'dave', 'analyst');
      await lockAccount(app, 'dave', '10.8.8');
      assert.equal((await attemptLogin(app, { name: 'dave', password, address: '10.8.9.1' })).statusCode, 429);

      const unlocked = await runCli(t.dir, ['user', 'unlock', 'dave'], '');
      assert.equal(unlocked.code, 0, unlocked.stderr);
      assert.match(unlocked.stdout, /Recorded the unlock of dave: if a running server has locked them out, their next sign-in is allowed\./);
      const [entry] = await auditEntries(t.store, 'user.unlock');
      assert.equal(entry?.channel, 'cli');
      assert.equal((await attemptLogin(app, { name: 'dave', password, address: '10.8.9.2' })).statusCode, 303);
    });
  });

  test('made-up names spare a known browser', async () => {
    await withServer(undefined, async (app, t) => {
      const { password } = await addUser(t.store, 'root', 'admin');
      const { password: carolPassword } = await addUser(t.store, 'carol', 'analyst');
      const first = await attemptLogin(app, { name: 'root', password, address: '10.9.0.1' });
      assert.equal(first.statusCode, 303);
      const deviceHeader = setCookieHeader(first, DEVICE_COOKIE);
      assert.match(deviceHeader, /; HttpOnly/i);
      assert.match(deviceHeader, /; SameSite=Strict/i);
      assert.match(deviceHeader, /; Path=\/login/);
      assert.match(deviceHeader, new RegExp(`; Max-Age=${DEVICE_COOKIE_DAYS * 24 * 60 * 60}`));
      const device = cookieFrom(first.headers['set-cookie'], DEVICE_COOKIE) ?? '';
      const carolDevice = cookieFrom((await attemptLogin(app, { name: 'carol', password: carolPassword, address: '10.9.5.1' })).headers['set-cookie'], DEVICE_COOKIE);
      assert.ok(carolDevice);

      for (let attempt = 1; attempt <= limits.failuresPerAddress; attempt++) {
        const response = await attemptLogin(app, { name: `made-up-${attempt}`, password: 'wrong password', address: '10.9.0.1' });
        assert.equal(response.statusCode, 401, `failure ${attempt}`);
      }
      const unknownBrowser = await attemptLogin(app, { name: 'root', password, address: '10.9.0.1' });
      assert.equal(unknownBrowser.statusCode, 429, 'the address limit still applies to browsers without a device cookie');
      assert.match(alertText(unknownBrowser.body) ?? '', /from your address/);
      const otherAccount = await attemptLogin(app, { name: 'root', password, address: '10.9.0.1', device: carolDevice });
      assert.equal(otherAccount.statusCode, 429, "another account's device cookie does not count");
      const forged = await attemptLogin(app, { name: 'root', password, address: '10.9.0.1', device: `${device.slice(0, -1)}A` });
      assert.equal(forged.statusCode, 429, 'a changed device cookie does not count');
      const known = await attemptLogin(app, { name: 'root', password, address: '10.9.0.1', device });
      assert.equal(known.statusCode, 303, 'the browser that signed in before gets in');
    });
  });

  test('account lockout spares owner browser', async () => {
    await withServer(undefined, async (app, t) => {
      const { password } = await addUser(t.store, 'rhea', 'reviewer');
      const first = await attemptLogin(app, { name: 'rhea', password, address: '10.9.7.1' });
      const device = cookieFrom(first.headers['set-cookie'], DEVICE_COOKIE);
      assert.ok(device);

      for (let attempt = 1; attempt <= limits.failuresPerAccount; attempt++) {
        await attemptLogin(app, { name: 'rhea', password: 'wrong password', address: `10.9.8.${attempt}` });
      }
      const elsewhere = await attemptLogin(app, { name: 'rhea', password, address: '10.9.9.1' });
      assert.equal(elsewhere.statusCode, 429, 'a browser without the device cookie is locked out');
      const owner = await attemptLogin(app, { name: 'rhea', password, address: '10.9.7.1', device });
      assert.equal(owner.statusCode, 303, "the owner's browser still gets in");

      for (let attempt = 1; attempt <= limits.failuresPerAccount; attempt++) {
        const response = await attemptLogin(app, { name: 'rhea', password: 'wrong password', address: '10.9.7.1', device });
        assert.equal(response.statusCode, 401, `device failure ${attempt}`);
      }
      const ownFailures = await attemptLogin(app, { name: 'rhea', password, address: '10.9.7.1', device });
      assert.equal(ownFailures.statusCode, 429, "the device's own failures lock it");
    });
  });

  test('password change invalidates device cookie', async () => {
    await withServer(undefined, async (app, t) => {
      const { user, password } = await addUser(t.store, 'dave', 'analyst');
      const first = await attemptLogin(app, { name: 'dave', password, address: '10.9.1.1' });
      const device = cookieFrom(first.headers['set-cookie'], DEVICE_COOKIE);
      assert.ok(device);
      await new AccountService(t.store.team).setPassword(CLI_ACTOR, user, 'dave has another password');
      for (let attempt = 1; attempt <= limits.failuresPerAddress; attempt++) {
        await attemptLogin(app, { name: `made-up-${attempt}`, password: 'wrong password', address: '10.9.1.1' });
      }
      const stale = await attemptLogin(app, { name: 'dave', password: 'dave has another password', address: '10.9.1.1', device });
      assert.equal(stale.statusCode, 429);
    });
  });
});

describe('CSRF and sessions', () => {
  let t: TestStore;
  let app: FastifyInstance;
  let admin: { cookie: string; csrfToken: string };
  let adminPassword: string;

  before(async () => {
    t = createTestStore();
    app = await createTestServer(t);
    adminPassword = (await addUser(t.store, 'root', 'admin')).password;
    admin = await signIn(app, 'root', adminPassword);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('write without token rejected, nothing changed', async () => {
    for (const csrf of [null, 'wrong-token', '']) {
      const response = await postForm(app, '/admin/users', admin.cookie, csrf, { name: 'mallory', role: 'admin', password: 'a long enough password' });
      assert.equal(response.statusCode, 403, `token ${String(csrf)}`);
      assert.match(response.body, /CSRF token/);
    }
    assert.equal(await t.store.team.userByName('mallory'), undefined);
  });

  test('password change without token rejected', async () => {
    const response = await postForm(app, '/account/password', admin.cookie, null, {
      currentPassword: adminPassword,
      newPassword: 'a brand new password',
      confirmPassword: 'a brand new password',
    });
    assert.equal(response.statusCode, 403);
    const root = await t.store.team.userByName('root');
    assert.equal(await verifyPassword(adminPassword, root?.passwordHash ?? ''), true);
  });

  test('CSRF header accepted', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/admin/users',
      headers: { ...FORM, cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      payload: new URLSearchParams({ name: 'henry', role: 'analyst', password: 'henry has a long password' }).toString(),
    });
    assert.equal(response.statusCode, 303);
    assert.ok(await t.store.team.userByName('henry'));
  });

  test('JSON API CSRF rejection has code csrf', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/takes',
      headers: { cookie: admin.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ stixId: 'attack-pattern--00000000-0000-4000-8000-000000000000', body: 'text' }),
    });
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().error.code, 'csrf');
  });

  test('anonymous write gets 401', async () => {
    const response = await app.inject({ method: 'POST', url: '/admin/users', headers: FORM, payload: 'name=x&role=admin&password=xxxxxxxxxxxxxxx' });
    assert.equal(response.statusCode, 401);
  });

  test('anonymous page redirects to login', async () => {
    const response = await app.inject({ method: 'GET', url: '/admin/users?x=1' });
    assert.equal(response.statusCode, 303);
    assert.equal(response.headers.location, '/login?next=%2Fadmin%2Fusers%3Fx%3D1');
  });

  test('disabled user session stops working', async () => {
    const { user, password } = await addUser(t.store, 'ivan', 'analyst');
    const ivan = await signIn(app, 'ivan', password);
    assert.equal((await app.inject({ method: 'GET', url: '/account', headers: { cookie: ivan.cookie } })).statusCode, 200);

    const disable = await postForm(app, `/admin/users/${user.id}/disable`, admin.cookie, admin.csrfToken);
    assert.equal(disable.statusCode, 303);
    const page = await app.inject({ method: 'GET', url: '/account', headers: { cookie: ivan.cookie } });
    assert.equal(page.statusCode, 303);
    const write = await postForm(app, '/logout', ivan.cookie, ivan.csrfToken);
    assert.equal(write.statusCode, 303, 'logout stays harmless');
    assert.equal((await attemptLogin(app, { name: 'ivan', password, address: '10.6.0.1' })).statusCode, 401);

    assert.equal((await postForm(app, `/admin/users/${user.id}/enable`, admin.cookie, admin.csrfToken)).statusCode, 303);
    assert.equal((await attemptLogin(app, { name: 'ivan', password, address: '10.6.0.2' })).statusCode, 303);
  });

  test('role change ends sessions', async () => {
    const { user, password } = await addUser(t.store, 'judy', 'analyst');
    const judy = await signIn(app, 'judy', password);
    const change = await postForm(app, `/admin/users/${user.id}/role`, admin.cookie, admin.csrfToken, { role: 'reviewer' });
    assert.equal(change.statusCode, 303);
    assert.equal((await t.store.team.userById(user.id))?.role, 'reviewer');
    const page = await app.inject({ method: 'GET', url: '/account', headers: { cookie: judy.cookie } });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/login?next=%2Faccount&notice=session-ended');
    const landing = await app.inject({ method: 'GET', url: String(page.headers.location) });
    assert.match(landing.body, /role="status">Your session ended \(it expired, or an admin changed your account\)\. Sign in again\.</);
  });

  test('ended session explained on login and API', async () => {
    const { user, password } = await addUser(t.store, 'jules', 'analyst');
    const jules = await signIn(app, 'jules', password);
    assert.equal((await postForm(app, `/admin/users/${user.id}/role`, admin.cookie, admin.csrfToken, { role: 'reviewer' })).statusCode, 303);

    const login = await app.inject({ method: 'GET', url: '/login', headers: { cookie: jules.cookie } });
    assert.equal(login.statusCode, 200);
    assert.match(login.body, /Your session ended/);
    const api = await app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: jules.cookie } });
    assert.equal(api.statusCode, 401);
    assert.match(api.json().error.message, /^Your session ended/);
    const anonymous = await app.inject({ method: 'GET', url: '/account' });
    assert.equal(anonymous.headers.location, '/login?next=%2Faccount', 'no notice without a session cookie');
  });

  test('own password change', async () => {
    const { password } = await addUser(t.store, 'kim', 'analyst');
    const kim = await signIn(app, 'kim', password);
    const wrong = await postForm(app, '/account/password', kim.cookie, kim.csrfToken, {
      currentPassword: 'not the current one',
      newPassword: 'kim has a new password',
      confirmPassword: 'kim has a new password',
    });
    assert.equal(wrong.statusCode, 400);
    assert.match(wrong.body, /current password is wrong/);

    const changed = await postForm(app, '/account/password', kim.cookie, kim.csrfToken, {
      currentPassword: password,
      newPassword: 'kim has a new password',
      confirmPassword: 'kim has a new password',
    });
    assert.equal(changed.statusCode, 303);
    const renewed = cookieFrom(changed.headers['set-cookie'], SESSION_COOKIE);
    assert.ok(renewed, 'the browser that changed the password gets a new session');
    const old = await app.inject({ method: 'GET', url: '/account', headers: { cookie: kim.cookie } });
    assert.equal(old.statusCode, 303, 'the old session ended');
    assert.match(String(old.headers.location), /notice=session-ended/);
    assert.equal((await app.inject({ method: 'GET', url: '/account', headers: { cookie: `${SESSION_COOKIE}=${renewed}` } })).statusCode, 200);
    assert.equal((await attemptLogin(app, { name: 'kim', password, address: '10.7.0.1' })).statusCode, 401);
    assert.equal((await attemptLogin(app, { name: 'kim', password: 'kim has a new password', address: '10.7.0.2' })).statusCode, 303);
  });

  test('same password rejected', async () => {
    const { password } = await addUser(t.store, 'lena', 'analyst');
    const lena = await signIn(app, 'lena', password);
    const response = await postForm(app, '/account/password', lena.cookie, lena.csrfToken, {
      currentPassword: password,
      newPassword: password,
      confirmPassword: password,
    });
    assert.equal(response.statusCode, 400);
    assert.match(alertText(response.body) ?? '', /The new password is the same as the current one; choose a different password/);
    assert.equal((await app.inject({ method: 'GET', url: '/account', headers: { cookie: lena.cookie } })).statusCode, 200, 'the session goes on');
    const changes = (await auditEntries(t.store, 'user.password')).filter((entry) => entry.subject === 'user:lena');
    assert.equal(changes.length, 0);
  });

  test('last admin cannot be demoted', async () => {
    const root = await t.store.team.userByName('root');
    const response = await postForm(app, `/admin/users/${root?.id}/role`, admin.cookie, admin.csrfToken, { role: 'analyst' });
    assert.equal(response.statusCode, 409);
    assert.match(response.body, /last enabled admin/);
    assert.equal((await t.store.team.userByName('root'))?.role, 'admin');
  });
});

describe('API tokens', () => {
  let t: TestStore;
  let app: FastifyInstance;
  let admin: { cookie: string; csrfToken: string };

  before(async () => {
    t = createTestStore();
    app = await createTestServer(t);
    const { password } = await addUser(t.store, 'root', 'admin');
    admin = await signIn(app, 'root', password);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('revocation: works before, 401 after', async () => {
    await addUser(t.store, 'leo', 'reviewer');
    const token = await createToken(t.store, 'leo', 'analyst');
    assert.match(token, /^glx_[A-Za-z0-9_-]{43}$/);
    const bearer = { authorization: `Bearer ${token}` };

    const first = await app.inject({ method: 'GET', url: '/account', headers: bearer });
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /<dt>Role of this token<\/dt><dd>analyst<\/dd>/);
    await app.inject({ method: 'GET', url: '/account', headers: bearer });
    const [record] = (await t.store.team.listTokens()).filter((entry) => entry.label === 'test token (analyst)');
    assert.ok(record?.lastUsedAt, 'last-used time set');
    const uses = (await auditEntries(t.store, 'token.use')).filter((entry) => entry.subject === `token:${record.id}`);
    assert.equal(uses.length, 1, 'two uses within a minute write one entry');

    const revoke = await postForm(app, `/admin/tokens/${record.id}/revoke`, admin.cookie, admin.csrfToken);
    assert.equal(revoke.statusCode, 303);
    const afterRevoke = await app.inject({ method: 'GET', url: '/account', headers: bearer });
    assert.equal(afterRevoke.statusCode, 401);
    const api = await app.inject({ method: 'GET', url: '/api/v1/releases', headers: bearer });
    assert.equal(api.statusCode, 401);
    assert.equal(api.json().error.code, 'unauthorized');
  });

  test('token acts with the lower role', async () => {
    const { user } = await addUser(t.store, 'mia', 'admin');
    await addUser(t.store, 'second-admin', 'admin');
    const token = await createToken(t.store, 'mia', 'admin');
    const bearer = { authorization: `Bearer ${token}` };
    assert.equal((await app.inject({ method: 'GET', url: '/admin', headers: bearer })).statusCode, 200);

    await postForm(app, `/admin/users/${user.id}/role`, admin.cookie, admin.csrfToken, { role: 'analyst' });
    const lowered = await app.inject({ method: 'GET', url: '/admin', headers: bearer });
    assert.equal(lowered.statusCode, 403);
    assert.match(lowered.body, /needs the admin role/);
  });

  test('disabled user token gets 401', async () => {
    const { user } = await addUser(t.store, 'ned', 'analyst');
    const token = await createToken(t.store, 'ned', 'analyst');
    await postForm(app, `/admin/users/${user.id}/disable`, admin.cookie, admin.csrfToken);
    assert.equal((await app.inject({ method: 'GET', url: '/account', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
  });

  test('malformed or unknown bearer gets 401', async () => {
    for (const authorization of ['Bearer nonsense', `Bearer glx_${'A'.repeat(43)}`, 'Basic dXNlcjpwYXNz']) {
      const response = await app.inject({ method: 'GET', url: '/account', headers: { authorization } });
      assert.equal(response.statusCode, 401, authorization);
    }
  });

  test('token write needs no CSRF token', async () => {
    const token = await createToken(t.store, 'root', 'admin');
    const response = await app.inject({
      method: 'POST',
      url: '/admin/users',
      headers: { ...FORM, authorization: `Bearer ${token}` },
      payload: new URLSearchParams({ name: 'olga', role: 'analyst', password: 'olga has a long password' }).toString(),
    });
    assert.equal(response.statusCode, 303);
    const [created] = await auditEntries(t.store, 'user.create').then((entries) => entries.filter((entry) => entry.subject === 'user:olga'));
    assert.equal(created?.channel, 'token');
  });

  test('token lifetime parsing', () => {
    const hour = 60 * 60 * 1000;
    assert.equal(parseTokenLifetime(''), null);
    assert.equal(parseTokenLifetime('  '), null);
    assert.equal(parseTokenLifetime('90d'), 90 * 24 * hour);
    assert.equal(parseTokenLifetime('12h'), 12 * hour);
    assert.equal(parseTokenLifetime(' 3650D '), 3650 * 24 * hour);
    assert.equal(parseTokenLifetime('87600h'), 3650 * 24 * hour);
    for (const invalid of ['0d', '0h', '3651d', '87601h', '90', 'd', '1.5d', '90 d', '-1d', '2w', 'never']) {
      assert.throws(() => parseTokenLifetime(invalid), /Invalid token lifetime/, invalid);
    }
  });

  test('expired token gets 401 naming expiry', async () => {
    const { user } = await addUser(t.store, 'olive', 'analyst');
    const token = generateToken();
    const past = new Date(Date.now() - 60_000).toISOString();
    await t.store.team.createToken(
      { userId: user.id, role: 'analyst', label: 'expired token', tokenHash: tokenHash(token), createdAt: past, createdBy: null, expiresAt: past },
      { actorId: null, actorName: 'accounts-test', channel: 'cli', action: 'token.create', subject: '', before: null, after: {}, address: null },
    );
    const response = await app.inject({ method: 'GET', url: '/api/v1/releases', headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.statusCode, 401);
    assert.equal(response.json().error.message, `The API token expired at ${past}. Ask an admin for a new token.`);

    const list = await app.inject({ method: 'GET', url: '/admin/tokens', headers: { cookie: admin.cookie } });
    assert.match(list.body, /<th scope="col">Expires<\/th>/);
    assert.match(list.body, /<tr class="token-revoked">\s*<td>\d+<\/td>\s*<td>olive<\/td>[\s\S]*?<td>expired<\/td>/);
    const overview = await app.inject({ method: 'GET', url: '/admin', headers: { cookie: admin.cookie } });
    const active = (await t.store.team.listTokens()).filter((entry) => entry.revokedAt === null && entry.label !== 'expired token').length;
    assert.match(overview.body, new RegExp(`API tokens</a>: ${active} active`));
  });

  test('token form sets an expiry', async () => {
    const before = Date.now();
    const created = await postForm(app, '/admin/tokens', admin.cookie, admin.csrfToken, { user: 'root', role: 'analyst', label: 'twelve hours', expiresIn: '12h' });
    const afterCreate = Date.now();
    assert.equal(created.statusCode, 201);
    assert.match(created.body, /It expires at <time datetime="/);
    const record = (await t.store.team.listTokens()).find((entry) => entry.label === 'twelve hours');
    const expiresMs = Date.parse(record?.expiresAt ?? '');
    const twelveHours = 12 * 60 * 60 * 1000;
    assert.ok(expiresMs >= before + twelveHours, `expiresAt ${record?.expiresAt}`);
    assert.ok(expiresMs <= afterCreate + twelveHours, `expiresAt ${record?.expiresAt}`);
    const entry = (await auditEntries(t.store, 'token.create')).find((candidate) => candidate.subject === `token:${record?.id}`);
    assert.equal((entry?.after as { expiresAt: string }).expiresAt, record?.expiresAt);

    const never = await postForm(app, '/admin/tokens', admin.cookie, admin.csrfToken, { user: 'root', role: 'analyst', label: 'no expiry', expiresIn: '' });
    assert.equal(never.statusCode, 201);
    assert.match(never.body, /It never expires\./);
    assert.equal((await t.store.team.listTokens()).find((candidate) => candidate.label === 'no expiry')?.expiresAt, null);

    const invalid = await postForm(app, '/admin/tokens', admin.cookie, admin.csrfToken, { user: 'root', role: 'analyst', label: 'kept label', expiresIn: 'forever' });
    assert.equal(invalid.statusCode, 400);
    assert.match(alertText(invalid.body) ?? '', /^Invalid token lifetime "forever": use a whole number of days or hours/);
    assert.match(invalid.body, /id="token-label"[^>]*value="kept label"/);
    assert.match(invalid.body, /id="token-expires-in"[^>]*value="forever"/);
  });

  test('created token shown once on the page', async () => {
    const response = await postForm(app, '/admin/tokens', admin.cookie, admin.csrfToken, { user: 'root', role: 'reviewer', label: 'SIEM <export>' });
    assert.equal(response.statusCode, 201);
    assert.equal(response.headers['cache-control'], 'no-store');
    const token = /id="created-token"[^>]*value="(glx_[^"]+)"/.exec(response.body)?.[1];
    assert.ok(token);
    assert.match(response.body, /SIEM &lt;export&gt;/);
    const list = await app.inject({ method: 'GET', url: '/admin/tokens', headers: { cookie: admin.cookie } });
    assert.equal(list.statusCode, 200);
    assert.ok(!list.body.includes(token), 'the list never shows the token');
    assert.equal((await app.inject({ method: 'GET', url: '/account', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
  });
});

describe('admin pages', () => {
  let t: TestStore;
  let app: FastifyInstance;

  before(async () => {
    t = createTestStore();
    app = await createTestServer(t);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('403 for analysts and reviewers', async () => {
    for (const role of ['analyst', 'reviewer'] as const) {
      const { password } = await addUser(t.store, `${role}-user`, role);
      const session = await signIn(app, `${role}-user`, password);
      for (const url of ['/admin', '/admin/users', '/admin/tokens', '/admin/audit', '/admin/audit.jsonl']) {
        const response = await app.inject({ method: 'GET', url, headers: { cookie: session.cookie } });
        assert.equal(response.statusCode, 403, `${role} ${url}`);
        assert.match(response.body, /needs the admin role/, `${role} ${url}`);
      }
      const write = await postForm(app, '/admin/users', session.cookie, session.csrfToken, { name: 'x-user', role: 'admin', password: 'a long enough password' });
      assert.equal(write.statusCode, 403, `${role} POST /admin/users`);
    }
    assert.equal(await t.store.team.userByName('x-user'), undefined);
  });

  test('every change audited without secrets', async () => {
    const { password: adminPassword } = await addUser(t.store, 'boss', 'admin');
    const boss = await signIn(app, 'boss', adminPassword);
    const initial = 'initial password of pat';
    const reset = 'reset password of pat!';

    assert.equal((await postForm(app, '/admin/users', boss.cookie, boss.csrfToken, { name: 'pat', role: 'analyst', password: initial })).statusCode, 303);
    const pat = await t.store.team.userByName('pat');
    assert.ok(pat);
    const base = `/admin/users/${pat.id}`;
    assert.equal((await postForm(app, `${base}/role`, boss.cookie, boss.csrfToken, { role: 'reviewer' })).statusCode, 303);
    assert.equal((await postForm(app, `${base}/disable`, boss.cookie, boss.csrfToken)).statusCode, 303);
    assert.equal((await postForm(app, `${base}/enable`, boss.cookie, boss.csrfToken)).statusCode, 303);
    assert.equal((await postForm(app, `${base}/password`, boss.cookie, boss.csrfToken, { password: reset })).statusCode, 303);
    const created = await postForm(app, '/admin/tokens', boss.cookie, boss.csrfToken, { user: 'pat', role: 'analyst', label: 'audit test' });
    assert.equal(created.statusCode, 201);
    const token = /value="(glx_[^"]+)"/.exec(created.body)?.[1] ?? '';
    const record = (await t.store.team.listTokens()).find((entry) => entry.label === 'audit test');
    assert.ok(record);
    assert.equal((await postForm(app, `/admin/tokens/${record.id}/revoke`, boss.cookie, boss.csrfToken)).statusCode, 303);

    const entries = await auditEntries(t.store);
    const expected: [string, string][] = [
      ['user.create', 'user:pat'],
      ['user.role', 'user:pat'],
      ['user.disable', 'user:pat'],
      ['user.enable', 'user:pat'],
      ['user.password', 'user:pat'],
      ['token.create', `token:${record.id}`],
      ['token.revoke', `token:${record.id}`],
    ];
    for (const [action, subject] of expected) {
      const entry = entries.find((candidate) => candidate.action === action && candidate.subject === subject);
      assert.ok(entry, `${action} on ${subject}`);
      assert.equal(entry.actorName, 'boss', action);
      assert.equal(entry.channel, 'session', action);
      assert.equal(entry.address, '127.0.0.1', action);
    }
    const role = entries.find((entry) => entry.action === 'user.role');
    assert.deepEqual([(role?.before as { role: string }).role, (role?.after as { role: string }).role], ['analyst', 'reviewer']);

    const text = JSON.stringify(entries);
    const patNow = await t.store.team.userByName('pat');
    for (const secret of [initial, reset, adminPassword, token, record.tokenHash, patNow?.passwordHash ?? 'missing', 'scrypt$']) {
      assert.ok(!text.includes(secret), `the audit log contains ${secret.slice(0, 12)}...`);
    }
  });

  test('audit page filters and export', async () => {
    const { password } = await addUser(t.store, 'auditor', 'admin');
    const session = await signIn(app, 'auditor', password);
    const headers = { cookie: session.cookie };

    const page = await app.inject({ method: 'GET', url: '/admin/audit?action=user.create&subject=user%3Apat', headers });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<code>user\.create<\/code>/);
    assert.doesNotMatch(page.body, /<code>user\.role<\/code>/);
    assert.match(page.body, /&quot;name&quot;: &quot;pat&quot;/, 'after state shown as escaped JSON');

    const today = new Date().toISOString().slice(0, 10);
    const exported = await app.inject({ method: 'GET', url: `/admin/audit.jsonl?actor=boss&since=${today}&until=${today}`, headers });
    assert.equal(exported.statusCode, 200);
    assert.match(String(exported.headers['content-type']), /^application\/x-ndjson/);
    assert.match(String(exported.headers['content-disposition']), /^attachment; filename="glexia-audit-\d{4}-\d{2}-\d{2}\.jsonl"$/);
    const lines = exported.body.trim().split('\n').map((line) => JSON.parse(line) as ReturnType<typeof auditView>);
    assert.ok(lines.length >= 7);
    assert.ok(lines.every((entry) => entry.actor === 'boss'));
    assert.ok(lines.every((entry, index) => index === 0 || (lines[index - 1]?.id ?? 0) > entry.id), 'newest first');

    const none = await app.inject({ method: 'GET', url: '/admin/audit.jsonl?since=2000-01-01&until=2000-01-02', headers });
    assert.equal(none.body, '');
    const invalid = await app.inject({ method: 'GET', url: '/admin/audit?since=yesterday', headers });
    assert.equal(invalid.statusCode, 400);
  });

  test('audit export matches the API view', async () => {
    const { password } = await addUser(t.store, 'exporter', 'admin');
    const session = await signIn(app, 'exporter', password);
    const exported = await app.inject({ method: 'GET', url: '/admin/audit.jsonl?actor=boss', headers: { cookie: session.cookie } });
    const lines = exported.body.trim().split('\n').map((line) => JSON.parse(line) as unknown);
    const stored = await t.store.team.listAudit({ actorName: 'boss', limit: 10_000 });
    assert.deepEqual(lines, stored.map(auditView));
    assert.ok(lines.every((line) => !Object.hasOwn(line as object, 'actorName')));
  });

  test('audit filter errors name the field', async () => {
    const { password } = await addUser(t.store, 'checker', 'admin');
    const session = await signIn(app, 'checker', password);
    const headers = { cookie: session.cookie };
    const cases: [string, string][] = [
      ['since=2026-13-45', 'The From date (since) "2026-13-45" is invalid: expected an ISO 8601 date such as 2025-05-01 or a date-time such as 2025-05-01T12:00:00Z.'],
      ['until=2026-02-30', 'The To date (until) "2026-02-30" is invalid: expected an ISO 8601 date such as 2025-05-01 or a date-time such as 2025-05-01T12:00:00Z.'],
      ['since=2026-05-02&until=2026-05-01', 'The From date (since) 2026-05-02 is after the To date (until) 2026-05-01; swap them to see the entries between.'],
      ['before=abc', 'The "before" entry id "abc" is invalid: expected the id of an audit entry, as in the "Older entries" link.'],
      ['sinse=2026-01-01', 'Unknown audit filter "sinse": use actor, action, subject, since, until or before.'],
    ];
    for (const [query, message] of cases) {
      const page = await app.inject({ method: 'GET', url: `/admin/audit?${query}`, headers });
      assert.equal(page.statusCode, 400, query);
      assert.equal(alertText(page.body), message, query);
      assert.match(page.body, /id="audit-since"/, `${query}: the filter form is shown`);
      assert.doesNotMatch(page.body, /No audit entries match/, query);
    }
    const typed = await app.inject({ method: 'GET', url: '/admin/audit?since=2026-13-45&actor=boss', headers });
    assert.match(typed.body, /id="audit-actor" name="actor" type="text" value="boss"/, 'the typed filter stays in the form');

    const exported = await app.inject({ method: 'GET', url: '/admin/audit.jsonl?since=2026-13-45', headers });
    assert.equal(exported.statusCode, 400);
    assert.match(exported.body, /expected an ISO 8601 date/);
    const blank = await app.inject({ method: 'GET', url: '/admin/audit?actor=&action=&subject=&since=&until=', headers });
    assert.equal(blank.statusCode, 200, 'blank fields are no filter');
  });

  test('audit action list and prefix', async () => {
    const { password } = await addUser(t.store, 'lister', 'admin');
    const session = await signIn(app, 'lister', password);
    const headers = { cookie: session.cookie };
    const page = await app.inject({ method: 'GET', url: '/admin/audit', headers });
    assert.match(page.body, /<input id="audit-action" name="action" type="text" list="audit-actions"/);
    for (const action of [...KNOWN_AUDIT_ACTIONS, 'take.*', 'user.*', 'token.*', 'login.*']) {
      assert.ok(page.body.includes(`<option value="${action}">`), `datalist offers ${action}`);
    }
    const written = new Set((await auditEntries(t.store)).map((entry) => entry.action));
    for (const action of written) assert.ok((KNOWN_AUDIT_ACTIONS as readonly string[]).includes(action), `${action} is listed`);

    for (const prefix of ['user.*', 'user.']) {
      const filtered = await app.inject({ method: 'GET', url: `/admin/audit?action=${encodeURIComponent(prefix)}`, headers });
      assert.equal(filtered.statusCode, 200, prefix);
      assert.match(filtered.body, /<code>user\.create<\/code>/, prefix);
      assert.match(filtered.body, /<code>user\.role<\/code>/, prefix);
      assert.doesNotMatch(filtered.body, /<code>token\.create<\/code>/, prefix);
      assert.doesNotMatch(filtered.body, /<code>login\.success<\/code>/, prefix);
    }
    const exported = await app.inject({ method: 'GET', url: '/admin/audit.jsonl?action=token.*', headers });
    const actions = exported.body.trim().split('\n').map((line) => (JSON.parse(line) as { action: string }).action);
    assert.ok(actions.includes('token.create'));
    assert.ok(actions.every((action) => action.startsWith('token.')), actions.join(', '));
    const exact = await app.inject({ method: 'GET', url: '/admin/audit?action=user', headers });
    assert.match(exact.body, /No audit entries match/, 'text without * or a final dot matches whole names only');
  });

  test('audit page pages backwards', async () => {
    const { password } = await addUser(t.store, 'pager', 'admin');
    const session = await signIn(app, 'pager', password);
    for (let index = 0; index < 55; index++) {
      await t.store.team.appendAudit({
        actorId: null,
        actorName: 'system',
        channel: 'import',
        action: 'paging.test',
        subject: `item:${index}`,
        before: null,
        after: { index },
        address: null,
      });
    }
    const first = await app.inject({ method: 'GET', url: '/admin/audit?action=paging.test', headers: { cookie: session.cookie } });
    assert.match(first.body, /item:54/);
    assert.doesNotMatch(first.body, /item:4</);
    const older = /href="(\/admin\/audit\?[^"]*before=\d+)"/.exec(first.body)?.[1]?.replaceAll('&amp;', '&');
    assert.ok(older, 'an "Older entries" link');
    const second = await app.inject({ method: 'GET', url: older, headers: { cookie: session.cookie } });
    assert.match(second.body, /item:4</);
    assert.doesNotMatch(second.body, /item:54/);
  });
});

/** Runs the CLI as a user would, with `input` on standard input. */
function runCli(dataDir: string, args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = resolve(import.meta.dirname, '..');
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dataDir, ...args], {
      cwd: root,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GLEXIA_LOG_LEVEL: 'silent' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('CLI', () => {
  test('user add reads the password from stdin', async () => {
    const t = createTestStore();
    await t.store.close();
    try {
      const added = await runCli(t.dir, ['user', 'add', 'quinn', '--role', 'admin'], 'quinn has a long password\nsecond line ignored\n');
      assert.equal(added.code, 0, added.stderr);
      assert.match(added.stdout, /Added user quinn \(admin\)/);

      const short = await runCli(t.dir, ['user', 'add', 'rita', '--role', 'analyst'], 'short\n');
      assert.equal(short.code, 1);
      assert.match(short.stderr, /use at least 12/);

      const created = await runCli(t.dir, ['token', 'create', 'quinn', '--role', 'reviewer', '--label', 'cli test'], '');
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /^glx_[A-Za-z0-9_-]{43}\n$/);

      const listed = await runCli(t.dir, ['user', 'list'], '');
      assert.match(listed.stdout, /quinn\s+admin\s+active/);

      const store = new SqliteStore(t.file);
      try {
        const quinn = await store.team.userByName('quinn');
        assert.equal(await verifyPassword('quinn has a long password', quinn?.passwordHash ?? ''), true);
        assert.equal(await store.team.userByName('rita'), undefined);
        const entries = await store.team.listAudit({ limit: 100 });
        const create = entries.find((entry) => entry.action === 'user.create');
        assert.equal(create?.channel, 'cli');
        assert.equal(create?.actorId, null);
        assert.ok(entries.some((entry) => entry.action === 'token.create' && entry.channel === 'cli'));
        const text = JSON.stringify(entries);
        assert.ok(!text.includes('quinn has a long password'));
        assert.ok(!text.includes(created.stdout.trim()));
      } finally {
        await store.close();
      }
    } finally {
      await t.cleanup();
    }
  });
});

describe('CLI token expiry', () => {
  test('token create --expires-in', async () => {
    const t = createTestStore();
    await t.store.close();
    try {
      assert.equal((await runCli(t.dir, ['user', 'add', 'uma', '--role', 'admin'], 'uma has a long password\n')).code, 0);
      const created = await runCli(t.dir, ['token', 'create', 'uma', '--role', 'analyst', '--label', 'ci', '--expires-in', '90d'], '');
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stderr, /It expires at \d{4}-\d{2}-\d{2}T/);
      const forever = await runCli(t.dir, ['token', 'create', 'uma', '--role', 'analyst', '--label', 'forever'], '');
      assert.match(forever.stderr, /It never expires\./);
      const invalid = await runCli(t.dir, ['token', 'create', 'uma', '--role', 'analyst', '--label', 'bad', '--expires-in', '90'], '');
      assert.equal(invalid.code, 1);
      assert.match(invalid.stderr, /Invalid token lifetime "90"/);
      const help = await runCli(t.dir, ['token', 'create', '--help'], '');
      assert.match(help.stdout, /without it the token never\s+expires/);

      const listed = await runCli(t.dir, ['token', 'list'], '');
      assert.match(listed.stdout, /EXPIRES/);
      assert.match(listed.stdout, /\bci\s+\S+\s+\d{4}-\d{2}-\d{2}T\S+Z\s+never/, 'the expiry, then "never" used');

      const short = await runCli(t.dir, ['user', 'add', 'vic', '--role', 'analyst'], 'x\n');
      assert.match(short.stderr, /The password has 1 character; use at least 12/);

      const store = new SqliteStore(t.file);
      try {
        const tokens = await store.team.listTokens();
        const ci = tokens.find((token) => token.label === 'ci');
        assert.equal(Date.parse(ci?.expiresAt ?? '') - Date.parse(ci?.createdAt ?? ''), 90 * 24 * 60 * 60 * 1000);
        assert.equal(tokens.find((token) => token.label === 'forever')?.expiresAt, null);
        assert.equal(tokens.find((token) => token.label === 'bad'), undefined);
      } finally {
        await store.close();
      }
    } finally {
      await t.cleanup();
    }
  });
});
