import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { bundlePath, createTestStore, importFiles, createTestServer, type TestStore } from './support.js';

let t: TestStore;
let app: FastifyInstance;

before(async () => {
  t = createTestStore();
  await importFiles(t.store, bundlePath('ics-attack', '17.1'));
  app = await createTestServer(t);
});
after(async () => {
  await app.close();
  await t.cleanup();
});

test('page cache serves and invalidates pages', async () => {
  const first = await app.inject({ method: 'GET', url: '/assets/A0001' });
  const second = await app.inject({ method: 'GET', url: '/assets/A0001' });
  assert.equal(first.headers['x-cache'], undefined);
  assert.equal(second.headers['x-cache'], 'hit');
  assert.equal(second.body, first.body);
  assert.match(String(second.headers['content-security-policy']), /default-src 'none'/);
  assert.match(first.body, /Showing <strong>ics-attack 17\.1<\/strong>/);

  // A new release changes the page (its history and the release shown), so the cache must not respond.
  await importFiles(t.store, bundlePath('ics-attack', '18.1'));
  const third = await app.inject({ method: 'GET', url: '/assets/A0001' });
  assert.equal(third.headers['x-cache'], undefined);
  assert.match(third.body, /Showing <strong>ics-attack 18\.1<\/strong>/);
});
