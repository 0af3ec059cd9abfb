/** Accounts and access: passwords, sign-in, rate limits, CSRF, API tokens, admin pages, audit entries and the CLI. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { DEFAULT_LOGIN_LIMITS } from '../src/accounts/login-limiter.js';
import { MIN_PASSWORD_LENGTH, hashPassword, verifyPassword } from '../src/accounts/passwords.js';
import { SESSION_COOKIE } from '../src/accounts/sessions.js';
import { loadConfig, type Config } from '../src/config.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import type { AuditRecord } from '../src/storage/team-store.js';
import { addUser, cookieFrom, createToken, csrfFieldOf, signIn } from './auth-support.js';
import { createTestServer, createTestStore, type TestStore } from './support.js';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

interface LoginAttempt {
  name: string;
  password: string;
  address?: string;
  next?: string;
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
    headers: { ...FORM, cookie: `glexia_login_csrf=${loginCookie}` },
    payload: new URLSearchParams(fields).toString(),
  });
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
    assert.equal(account.headers.location, '/login?next=%2Faccount');
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
      const ghost = failures.find((entry) => entry.actorName === 'ghost');
      assert.equal(ghost?.actorId, null);
      assert.deepEqual(ghost?.after, { reason: 'unknown-user' });
      assert.equal(ghost?.address, '10.5.0.2');
      const [success] = await auditEntries(t.store, 'login.success');
      assert.equal(success?.actorName, 'frank');
      assert.equal(success?.address, '10.5.0.3');
      const text = JSON.stringify(await auditEntries(t.store));
      assert.ok(!text.includes('not the password'), 'no attempted password in the audit log');
      assert.ok(!text.includes(password), 'no password in the audit log');
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
    assert.equal((await app.inject({ method: 'GET', url: '/account', headers: { cookie: kim.cookie } })).statusCode, 303, 'the old session ended');
    assert.equal((await app.inject({ method: 'GET', url: '/account', headers: { cookie: `${SESSION_COOKIE}=${renewed}` } })).statusCode, 200);
    assert.equal((await attemptLogin(app, { name: 'kim', password, address: '10.7.0.1' })).statusCode, 401);
    assert.equal((await attemptLogin(app, { name: 'kim', password: 'kim has a new password', address: '10.7.0.2' })).statusCode, 303);
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
    const lines = exported.body.trim().split('\n').map((line) => JSON.parse(line) as AuditRecord);
    assert.ok(lines.length >= 7);
    assert.ok(lines.every((entry) => entry.actorName === 'boss'));
    assert.ok(lines.every((entry, index) => index === 0 || (lines[index - 1]?.id ?? 0) > entry.id), 'newest first');

    const none = await app.inject({ method: 'GET', url: '/admin/audit.jsonl?since=2000-01-01&until=2000-01-02', headers });
    assert.equal(none.body, '');
    const invalid = await app.inject({ method: 'GET', url: '/admin/audit?since=yesterday', headers });
    assert.equal(invalid.statusCode, 400);
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
