/**
 * Objects in several domains: Dark Caracal (G0070) is in Enterprise 18.1 and Mobile 18.1. In the
 * Mobile 18.1 bundle it uses the mobile technique T1437.001 Web Protocols, which no Enterprise
 * bundle contains, and the malware Pallas (S0399) and FinFisher (S0182). In Enterprise 18.1 it uses
 * T1566.003 Spearphishing via Service.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestServer, createTestStore, importRelease, type TestStore } from './support.js';

let t: TestStore;
let app: FastifyInstance;

before(async () => {
  t = createTestStore();
  await importRelease(t.store, 'enterprise-attack', '18.1');
  await importRelease(t.store, 'mobile-attack', '18.1');
  app = await createTestServer(t);
});

after(async () => {
  await app.close();
  await t.cleanup();
});

test('group page lists both domains', async () => {
  const response = await app.inject({ method: 'GET', url: '/groups/G0070' });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /<th>Domain<\/th>/);
  const mobileRow = /<tr>\s*<td>Mobile<\/td>\s*<td>T1437\.001<\/td>/.exec(response.body);
  assert.ok(mobileRow, 'the mobile technique T1437.001 is listed with its domain');
  assert.match(response.body, /<td>Enterprise<\/td>\s*<td>T1566\.003<\/td>/);
  // Both bundles contain relationship--312950f2-80d2-4941-bfce-b97b2cb7a1ff, G0070 uses FinFisher.
  assert.match(response.body, /<td>Enterprise, Mobile<\/td>\s*<td>S0182<\/td>/);
  assert.match(response.body, /17 relationships in enterprise-attack 18\.1 and mobile-attack 18\.1\./);
});

test('pinned release page stays single-domain', async () => {
  const response = await app.inject({ method: 'GET', url: '/releases/enterprise-attack/18.1/groups/G0070' });
  assert.equal(response.statusCode, 200);
  assert.doesNotMatch(response.body, /T1437\.001/);
  assert.doesNotMatch(response.body, /<th>Domain<\/th>/);
});

test('single-domain page has no domain column', async () => {
  const response = await app.inject({ method: 'GET', url: '/groups/G0016' });
  assert.equal(response.statusCode, 200);
  assert.doesNotMatch(response.body, /<th>Domain<\/th>/);
});
