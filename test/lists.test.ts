import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { bundlePath, createTestStore, importFiles, importRelease, createTestServer, type TestStore } from './support.js';

/**
 * Counts were taken by a small script that read the enterprise-attack-18.1
 * and ics-attack-18.1 bundles. Of Enterprise's 187 intrusion-sets 172 are
 * neither revoked nor deprecated, and so are 14 of ICS's 16. The two bundles
 * together contain 189 distinct intrusion-sets: 174 active, 9 deprecated and
 * 6 revoked.
 */

/** ATT&CK IDs of the list table's rows, in page order. */
function rowIds(page: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>\s*<td><a href="[^"]*">([^<]*)<\/a><\/td>/g)].map((match) => match[1] as string);
}

/** Names of the list table's rows, in page order. */
function rowNames(page: string): string[] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(page)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>\s*<td><a [^>]*>[^<]*<\/a><\/td>\s*<td><a href="[^"]*">([^<]*)<\/a><\/td>/g)].map((match) => match[1] as string);
}

describe('list pages', () => {
  let t: TestStore;
  let app: FastifyInstance;

  const get = async (url: string) => app.inject({ method: 'GET', url });
  const page = async (url: string) => {
    const response = await get(url);
    assert.equal(response.statusCode, 200, `${url} returns 200`);
    return response.body;
  };

  before(async () => {
    t = createTestStore();
    await importFiles(t.store, bundlePath('ics-attack', '18.1'));
    await importRelease(t.store, 'enterprise-attack', '18.1');
    app = await createTestServer(t);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('groups list counts active intrusion-sets', async () => {
    const body = await page('/groups');
    assert.equal(rowIds(body).length, 174);
    assert.match(body, /Showing <strong>174<\/strong> active groups\./);
    assert.equal(new Set(rowIds(body)).size, 174, 'an object in two domains is listed once');
  });

  test('groups list filtered by domain', async () => {
    const body = await page('/groups?domain=ics-attack');
    assert.equal(rowIds(body).length, 14);
    assert.match(body, /Showing <strong>14<\/strong> active groups in ICS\./);
    assert.equal(rowIds(await page('/groups?domain=enterprise-attack')).length, 172);
  });

  test('groups list filtered by status', async () => {
    assert.equal(rowIds(await page('/groups?status=all')).length, 189);
    assert.equal(rowIds(await page('/groups?status=deprecated')).length, 9);
    assert.equal(rowIds(await page('/groups?status=revoked')).length, 6);
  });

  test('status filter links show counts', async () => {
    const body = await page('/groups');
    assert.match(body, /<strong aria-current="true">Active \(174\)<\/strong>/);
    assert.match(body, /<a href="\/groups\?status=all">All \(189\)<\/a>/);
    assert.match(body, /<a href="\/groups\?domain=ics-attack">ICS \(14\)<\/a>/);
  });

  test('groups sorted by ID', async () => {
    const ascending = rowIds(await page('/groups'));
    assert.deepEqual(ascending.slice(0, 5), ['G0001', 'G0002', 'G0003', 'G0004', 'G0005']);
    assert.deepEqual(ascending.slice(-3), ['G1051', 'G1052', 'G1053']);
    const descending = rowIds(await page('/groups?sort=id&order=desc'));
    assert.deepEqual(descending.slice(0, 3), ['G1053', 'G1052', 'G1051']);
  });

  test('groups sorted by name', async () => {
    const ascending = rowNames(await page('/groups?sort=name'));
    assert.deepEqual(ascending.slice(0, 5), ['admin@338', 'Agrius', 'Ajax Security Team', 'Akira', 'ALLANITE']);
    assert.deepEqual(ascending.slice(-3), ['WIRTE', 'Wizard Spider', 'ZIRCONIUM']);
    const descending = rowNames(await page('/groups?sort=name&order=desc'));
    assert.deepEqual(descending.slice(0, 3), ['ZIRCONIUM', 'Wizard Spider', 'WIRTE']);
  });

  test('sort links in column headers', async () => {
    const body = await page('/groups?sort=name');
    assert.match(body, /<th scope="col" aria-sort="ascending"><a href="\/groups\?sort=name&amp;order=desc">Name \u25b2<\/a><\/th>/);
    assert.match(body, /<th scope="col" aria-sort="none"><a href="\/groups">ID<\/a><\/th>/);
  });

  test('technique IDs in numeric order', async () => {
    const ids = rowIds(await page('/techniques'));
    const position = (id: string) => {
      const index = ids.indexOf(id);
      assert.ok(index >= 0, `${id} is listed`);
      return index;
    };
    assert.ok(position('T1059') < position('T1059.001'));
    assert.ok(position('T1059.002') < position('T1059.010'));
    assert.ok(position('T1059.009') < position('T1059.010'));
    assert.ok(position('T1059.013') < position('T1068'));
  });

  test('sub-technique names carry the parent', async () => {
    const body = await page('/techniques');
    assert.match(body, /<a href="\/techniques\/T1059\/001">Command and Scripting Interpreter: PowerShell<\/a>/);
  });

  test('unknown status gives 400', async () => {
    const response = await get('/groups?status=retired');
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Invalid value &quot;retired&quot; for the query parameter &quot;status&quot;/);
    assert.match(response.body, /&quot;active&quot;, &quot;deprecated&quot;, &quot;revoked&quot;, &quot;all&quot;/);
  });

  test('unknown domain and sort give 400', async () => {
    const domain = await get('/groups?domain=pre-attack');
    assert.equal(domain.statusCode, 400);
    assert.match(domain.body, /&quot;pre-attack&quot;/);
    assert.match(domain.body, /&quot;enterprise-attack&quot;, &quot;mobile-attack&quot;, &quot;ics-attack&quot;/);
    assert.equal((await get('/groups?sort=modified')).statusCode, 400);
    assert.equal((await get('/groups?order=up')).statusCode, 400);
  });

  test('every page kind has a list', async () => {
    for (const segment of ['techniques', 'tactics', 'mitigations', 'groups', 'software', 'campaigns', 'datasources', 'datacomponents', 'detectionstrategies', 'analytics', 'assets']) {
      const body = await page(`/${segment}`);
      assert.match(body, /<h1>/, `${segment} has a heading`);
    }
    assert.equal(rowIds(await page('/tactics?domain=ics-attack')).length, 12);
  });

  test('object routes still answer', async () => {
    const body = await page('/groups/G0007');
    assert.match(body, /APT28/);
  });

  test('browse links every list', async () => {
    const body = await page('/browse');
    for (const segment of ['techniques', 'tactics', 'mitigations', 'groups', 'software', 'campaigns', 'datasources', 'datacomponents', 'detectionstrategies', 'analytics', 'assets']) {
      assert.match(body, new RegExp(`href="/${segment}"`));
    }
    assert.match(body, /href="\/matrices\/ics-attack"/);
  });
});
