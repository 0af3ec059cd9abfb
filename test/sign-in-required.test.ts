/** Forms sent without a valid session get a sign-in page that keeps the typed text. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { SESSION_COOKIE } from '../src/accounts/sessions.js';
import { createTestServer, createTestStore, type TestStore } from './support.js';

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

test('expired session keeps take text', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/takes/7',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${SESSION_COOKIE}=ended-session-value` },
    payload: new URLSearchParams({ body: 'Hunt for <b>encoded</b> PowerShell.', revision: '3', _csrf: 'x' }).toString(),
  });
  assert.equal(response.statusCode, 401);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.match(response.body, /<h1>Sign in again<\/h1>/);
  assert.match(response.body, /href="\/login\?next=%2Ftakes%2F7&amp;notice=session-ended"/);
  assert.match(response.body, /<textarea id="unsaved-text" rows="14" readonly>Hunt for &lt;b&gt;encoded&lt;\/b&gt; PowerShell\.<\/textarea>/);
});

test('take action returns to the take', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/takes/7/submit',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'revision=3',
  });
  assert.equal(response.statusCode, 401);
  assert.match(response.body, /href="\/login\?next=%2Ftakes%2F7"/);
  assert.doesNotMatch(response.body, /unsaved-text/);
});

test('API keeps JSON 401', async () => {
  const response = await app.inject({ method: 'POST', url: '/api/v1/takes', payload: { object: 'T1059', body: 'x' } });
  assert.equal(response.statusCode, 401);
  assert.equal(response.json().error.code, 'unauthorized');
});
