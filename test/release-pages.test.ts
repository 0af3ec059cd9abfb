import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestStore, importRelease, createTestServer, type TestStore } from './support.js';

/** Values below were read by hand from enterprise-attack 17.1 and 18.1 in ../shared/attack-data. */
describe('release-pinned pages and history', () => {
  let t: TestStore;
  let app: FastifyInstance;

  before(async () => {
    t = createTestStore();
    // 18.1 is imported first on purpose: a release imported out of order must land in its place.
    await importRelease(t.store, 'enterprise-attack', '18.1');
    await importRelease(t.store, 'enterprise-attack', '17.1');
    app = await createTestServer(t);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('pinned page shows the older release', async () => {
    const response = await app.inject({ method: 'GET', url: '/releases/enterprise-attack/17.1/techniques/T1114' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<span class="badge-label">Modified<\/span>2025-04-15T22:26:37\.477Z<\/li>/);
    assert.match(response.body, /Showing <strong>enterprise-attack 17\.1<\/strong>/);
    assert.match(response.body, /the newest release that contains it is <a href="\/techniques\/T1114">enterprise-attack 18\.1<\/a>/);
  });

  test('current page links both releases', async () => {
    const response = await app.inject({ method: 'GET', url: '/techniques/T1114' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<span class="badge-label">Modified<\/span>2025-10-24T17:48:26\.463Z<\/li>/);
    assert.match(response.body, /href="\/releases\/enterprise-attack\/17\.1\/techniques\/T1114"/);
    const first = response.body.indexOf('>enterprise-attack 17.1</a>');
    const second = response.body.indexOf('>enterprise-attack 18.1</a> (shown)');
    assert.ok(first > 0, 'history lists 17.1');
    assert.ok(second > first, 'history lists 17.1 before 18.1');
    assert.match(response.body, /href="\/techniques\/T1114\/compare\?from=enterprise-attack-17\.1&amp;to=enterprise-attack-18\.1"/);
  });

  test('history says when an object was added', async () => {
    // T1681 Search Threat Vendor Data is new in 18.0, so 17.1 does not contain it.
    const response = await app.inject({ method: 'GET', url: '/techniques/T1681' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<td colspan="5">not in this release: added later, in 18\.1<\/td>/);
  });

  test('pinned page of a missing object is 404', async () => {
    const response = await app.inject({ method: 'GET', url: '/releases/enterprise-attack/17.1/techniques/T1681' });
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /enterprise-attack 17\.1 contains no technique with ATT&amp;CK ID T1681/);
  });

  test('unknown release lists imported ones', async () => {
    const response = await app.inject({ method: 'GET', url: '/releases/enterprise-attack/9.9/techniques/T1114' });
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /enterprise-attack 17\.1, enterprise-attack 18\.1/);
  });
});
