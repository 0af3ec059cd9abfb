import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../src/config.js';
import { AppError } from '../src/errors.js';
import type { ObjectSnapshot } from '../src/storage/store.js';
import { renderMatrixPage } from '../src/web/pages/matrix/matrix-page.js';
import { bundlePath, createTestStore, importFiles, importRelease, createTestServer, type TestStore } from './support.js';

/** Values below were read by hand from the enterprise-attack-18.1 and ics-attack-18.1 bundles. */

/** Tactic IDs of the headers, in page order. */
function headerTactics(page: string): string[] {
  const head = /<thead>([\s\S]*?)<\/thead>/.exec(page.slice(page.indexOf('class="matrix"')))?.[1] ?? '';
  return [...head.matchAll(/href="\/tactics\/(TA\d+)"/g)].map((match) => match[1] as string);
}

describe('matrix pages', () => {
  let t: TestStore;
  let app: FastifyInstance;
  let config: Config;

  const page = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 200, `${url} returns 200`);
    return response.body;
  };

  const enterpriseMatrix = async (): Promise<ObjectSnapshot> => {
    const release = (await t.store.listReleases()).find((candidate) => candidate.domain === 'enterprise-attack');
    assert.ok(release);
    const [matrix] = await t.store.objectsOfType(release.id, ['x-mitre-matrix']);
    assert.ok(matrix);
    return matrix;
  };

  before(async () => {
    t = createTestStore();
    await importFiles(t.store, bundlePath('ics-attack', '18.1'));
    await importRelease(t.store, 'enterprise-attack', '18.1');
    config = loadConfig({ dataDir: t.dir }, {});
    app = await createTestServer(t, config);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('ICS tactics in tactic_refs order', async () => {
    const body = await page('/matrices/ics-attack');
    assert.deepEqual(headerTactics(body), [
      'TA0108', 'TA0104', 'TA0110', 'TA0111', 'TA0103', 'TA0102',
      'TA0109', 'TA0100', 'TA0101', 'TA0107', 'TA0106', 'TA0105',
    ]);
  });

  test('ICS matrix leaves out deprecated techniques', async () => {
    const body = await page('/matrices/ics-attack');
    assert.match(body, /href="\/techniques\/T0817"/, 'active T0817 Drive-by Compromise is shown');
    assert.doesNotMatch(body, /href="\/techniques\/T0850"/, 'deprecated T0850 Role Identification is absent');
    assert.doesNotMatch(body, /href="\/techniques\/T0833"/, 'deprecated T0833 Modify Control Logic is absent');
  });

  test('Enterprise tactic headers count techniques', async () => {
    const body = await page('/matrices/enterprise-attack');
    assert.equal(headerTactics(body).length, 14);
    assert.match(body, /href="\/tactics\/TA0002">Execution<\/a><br><span class="sub-count">\d+ techniques<\/span>/);
  });

  test('sub-techniques in a details element', async () => {
    const body = await page('/matrices/enterprise-attack');
    const cell = /<td><a href="\/techniques\/T1059">Command and Scripting Interpreter<\/a><details class="matrix-subs">([\s\S]*?)<\/details><\/td>/.exec(body)?.[1];
    assert.ok(cell, 'T1059 has a details element');
    assert.match(cell, /<summary>13 sub-techniques<\/summary>/);
    assert.match(cell, /<a href="\/techniques\/T1059\/001">PowerShell<\/a>/);
    assert.match(cell, /<a href="\/techniques\/T1059\/002">AppleScript<\/a>/);
    assert.ok(cell.indexOf('AppleScript') < cell.indexOf('PowerShell'), 'sub-techniques are sorted by name');
  });

  test('Enterprise matrix leaves out revoked and deprecated', async () => {
    const body = await page('/matrices/enterprise-attack');
    assert.doesNotMatch(body, /href="\/techniques\/T1066"/, 'revoked T1066 is absent');
    assert.doesNotMatch(body, /href="\/techniques\/T1064"/, 'deprecated T1064 Scripting is absent');
  });

  test('techniques sorted by name in a column', async () => {
    const body = await page('/matrices/ics-attack');
    // ICS Initial Access: Drive-by Compromise (T0817) sorts before Exploit Public-Facing Application (T0819).
    const driveBy = body.indexOf('href="/techniques/T0817"');
    const exploit = body.indexOf('href="/techniques/T0819"');
    assert.ok(driveBy > 0, 'T0817 is in the matrix');
    assert.ok(exploit > 0, 'T0819 is in the matrix');
    assert.ok(driveBy < exploit);
  });

  test('platform filter removes techniques', async () => {
    const matrix = await enterpriseMatrix();
    const all = await renderMatrixPage(t.store, config, matrix, {});
    const windows = await renderMatrixPage(t.store, config, matrix, { platform: 'Windows' });

    // T1583 Acquire Infrastructure names only PRE, and so do its sub-techniques.
    assert.match(all, /href="\/techniques\/T1583"/);
    assert.doesNotMatch(windows, /href="\/techniques\/T1583"/);
    // T1059.002 AppleScript names only macOS; T1059.001 PowerShell names Windows.
    assert.doesNotMatch(windows, /href="\/techniques\/T1059\/002"/);
    assert.match(windows, /href="\/techniques\/T1059\/001"/);
    assert.match(windows, /Filtered by platform <strong>Windows<\/strong>/);
    assert.match(windows, /<option value="Windows" selected>Windows<\/option>/);
    assert.doesNotMatch(all, /Filtered by platform/);
    // 216 active techniques and 475 active sub-techniques in the Enterprise bundle.
    assert.match(all, /Showing 216 techniques and 475 sub-techniques for all platforms\./);
  });

  test('platform form lists matrix platforms', async () => {
    const all = await renderMatrixPage(t.store, config, await enterpriseMatrix(), {});
    const options = [...all.matchAll(/<option value="([^"]+)"/g)].map((match) => match[1]);
    assert.deepEqual(options, [
      'Containers', 'ESXi', 'IaaS', 'Identity Provider', 'Linux', 'macOS',
      'Network Devices', 'Office Suite', 'PRE', 'SaaS', 'Windows',
    ]);
  });

  test('unknown platform is rejected', async () => {
    const matrix = await enterpriseMatrix();
    await assert.rejects(renderMatrixPage(t.store, config, matrix, { platform: 'Amiga' }), (error: unknown) => {
      assert.ok(error instanceof AppError);
      assert.equal(error.status, 400);
      assert.match(error.message, /"Amiga"/);
      assert.match(error.message, /"Windows"/);
      return true;
    });
  });
});
