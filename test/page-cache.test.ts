import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { acceptsGzip } from '../src/web/page-cache.js';
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

test('cache hit sent gzip when accepted', async () => {
  const plain = await app.inject({ method: 'GET', url: '/assets/A0002' });
  const compressed = await app.inject({ method: 'GET', url: '/assets/A0002', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  assert.equal(compressed.headers['x-cache'], 'hit');
  assert.equal(compressed.headers['content-encoding'], 'gzip');
  assert.equal(compressed.headers.vary, 'Accept-Encoding');
  assert.equal(gunzipSync(compressed.rawPayload).toString('utf8'), plain.body);
  assert.ok(compressed.rawPayload.length < plain.rawPayload.length / 3, 'the gzip body is much smaller');

  const identity = await app.inject({ method: 'GET', url: '/assets/A0002', headers: { 'accept-encoding': 'gzip;q=0, identity' } });
  assert.equal(identity.headers['content-encoding'], undefined);
  assert.equal(identity.body, plain.body);
});

test('accept-encoding parsing', () => {
  const cases: [string | undefined, boolean][] = [
    [undefined, false],
    ['', false],
    ['gzip', true],
    ['deflate, gzip;q=0.5', true],
    ['GZIP', true],
    ['gzip;q=0', false],
    ['gzip;q=0.000', false],
    ['br', false],
    ['*', true],
    ['*;q=0', false],
    ['gzip;q=0, *', false],
    ['identity', false],
  ];
  for (const [header, expected] of cases) assert.equal(acceptsGzip(header), expected, `Accept-Encoding: ${header}`);
});
