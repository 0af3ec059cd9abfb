import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { bundleBytes, bundlePath, createTestStore, importFiles, importRelease, createTestServer, type TestStore } from './support.js';

/** Values below were read by hand from enterprise-attack-18.1 and ics-attack-18.1 in ../shared/attack-data. */

function badge(page: string, label: string): string | undefined {
  const escaped = label.replace(/[&]/g, '&amp;');
  const match = new RegExp(`<span class="badge-label">${escaped}</span>([^<]*)</li>`).exec(page);
  return match?.[1];
}

function title(page: string): string | undefined {
  return /<h1>([^<]*)<\/h1>/.exec(page)?.[1];
}

describe('object pages on real data', () => {
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

  test('deprecated mitigation T1114', async () => {
    const body = await page('/mitigations/T1114');
    assert.equal(title(body), 'T1114: Email Collection Mitigation');
    assert.equal(badge(body, 'Type'), 'course-of-action');
    assert.equal(badge(body, 'Version'), '1.0');
    assert.equal(badge(body, 'Created'), '2018-10-17T00:14:20.652Z');
    assert.equal(badge(body, 'Modified'), '2025-04-18T17:59:49.466Z');
    assert.equal(badge(body, 'Domains'), 'Enterprise');
    assert.match(body, /<strong>Deprecated\.<\/strong>/);
    assert.doesNotMatch(body, /<strong>Revoked\.<\/strong>/);
    assert.match(body, /Use of encryption provides an added layer of security to sensitive information sent over email/);
  });

  test('technique T1114 beside the mitigation', async () => {
    const body = await page('/techniques/T1114');
    assert.equal(title(body), 'T1114: Email Collection');
    assert.equal(badge(body, 'Type'), 'attack-pattern');
    assert.equal(badge(body, 'Version'), '2.6');
    assert.equal(badge(body, 'Created'), '2017-05-31T21:31:25.454Z');
    assert.equal(badge(body, 'Modified'), '2025-10-24T17:48:26.463Z');
    assert.doesNotMatch(body, /<strong>Deprecated\.<\/strong>/);
    assert.match(body, /href="https:\/\/attack\.mitre\.org\/techniques\/T1114"/);
  });

  test('revoked technique names its replacement', async () => {
    const body = await page('/techniques/T1066');
    assert.equal(title(body), 'T1066: Indicator Removal from Tools');
    assert.equal(badge(body, 'Version'), '1.1');
    assert.match(body, /<strong>Revoked\.<\/strong>\s*MITRE replaced this object with <a href="\/techniques\/T1027\/005">T1027\.005: Indicator Removal from Tools<\/a>/);
  });

  test('sub-technique T1059.001', async () => {
    const body = await page('/techniques/T1059/001');
    assert.equal(title(body), 'T1059.001: PowerShell');
    assert.match(body, /<p class="type-label">Sub-technique<\/p>/);
    assert.equal(badge(body, 'Version'), '1.5');
    assert.equal(badge(body, 'Created'), '2020-03-09T13:48:55.078Z');
    assert.equal(badge(body, 'Modified'), '2025-10-24T17:49:07.660Z');
    assert.match(body, /href="\/techniques\/T1059">T1059: Command and Scripting Interpreter</);
    assert.match(body, /href="\/tactics\/TA0002">/);
  });

  test('dotted and lower-case IDs redirect', async () => {
    const dotted = await get('/techniques/T1059.001');
    assert.equal(dotted.statusCode, 301);
    assert.equal(dotted.headers.location, '/techniques/T1059/001');
    const lower = await get('/groups/g0007');
    assert.equal(lower.headers.location, '/groups/G0007');
  });

  test('group G0007', async () => {
    const body = await page('/groups/G0007');
    assert.equal(title(body), 'G0007: APT28');
    assert.equal(badge(body, 'Version'), '5.2');
    assert.equal(badge(body, 'Domains'), 'Enterprise, Mobile');
    assert.equal(badge(body, 'Created'), '2017-05-31T21:31:48.664Z');
    for (const alias of ['Fancy Bear', 'Sofacy', 'Forest Blizzard', 'GruesomeLarch']) assert.ok(body.includes(alias), alias);
    assert.match(body, /href="\/techniques\/T1114\/002"/);
  });

  test('tactic TA0002', async () => {
    const body = await page('/tactics/TA0002');
    assert.equal(title(body), 'TA0002: Execution');
    assert.equal(badge(body, 'Version'), '1.0');
    assert.equal(badge(body, 'Modified'), '2025-04-25T14:45:32.769Z');
    assert.match(body, /href="\/techniques\/T1059">T1059: Command and Scripting Interpreter</);
  });

  test('ICS asset A0001', async () => {
    const body = await page('/assets/A0001');
    assert.equal(title(body), 'A0001: Workstation');
    assert.equal(badge(body, 'Version'), '2.0');
    assert.equal(badge(body, 'Domains'), 'ICS');
    assert.equal(badge(body, 'Created'), '2023-09-28T14:22:49.837Z');
    assert.equal(badge(body, 'Modified'), '2025-10-21T19:58:23.607Z');
    assert.ok(body.includes('Engineering Workstation (EWS)'));
    assert.ok(body.includes('Transient Cyber Asset (TCA)'));
    // 43 techniques target the Workstation asset in ICS 18.1, among them T0805 and T0895.
    assert.match(body, /href="\/techniques\/T0805"/);
    assert.match(body, /href="\/techniques\/T0895"/);
  });

  test('sections appear in page order', async () => {
    const body = await page('/techniques/T1114');
    const markers = [
      'class="incident-banner"',
      'class="type-label"',
      'class="badges"',
      'id="analyst-take"',
      'id="definition"',
      'class="attack-link"',
      'id="guidance"',
      'id="relationships"',
      'id="history"',
      'id="raw-source"',
      'id="references"',
      'id="attribution"',
    ];
    let previous = -1;
    for (const marker of markers) {
      const position = body.indexOf(marker);
      assert.ok(position > previous, `${marker} comes after the previous section`);
      previous = position;
    }
    assert.match(body, /No validated analyst summary exists for this object/);
  });

  test('citations link to numbered references', async () => {
    const body = await page('/techniques/T1114');
    assert.match(body, /href="#ref-1"/);
    assert.match(body, /<li id="ref-1" value="1">/);
    const cited = new Set([...body.matchAll(/href="#ref-(\d+)"/g)].map((match) => match[1]));
    const listed = new Set([...body.matchAll(/<li id="ref-(\d+)"/g)].map((match) => match[1]));
    assert.deepEqual(listed, cited);
  });

  test('history lists the release and content hash', async () => {
    const body = await page('/techniques/T1114');
    assert.match(body, /<td><a href="\/releases\/enterprise-attack\/18\.1\/techniques\/T1114">enterprise-attack 18\.1<\/a> \(shown\)<\/td>/);
    assert.match(body, /<td>2\.6<\/td>/);
  });

  test('raw endpoint returns the bundle bytes', async () => {
    const id = 'x-mitre-asset--f1315d02-9118-4e3b-8cdf-4c2d3f77ce41';
    const response = await get(`/raw/${id}?release=ics-attack-18.1`);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const bundle = bundleBytes('ics-attack', '18.1');
    assert.ok(bundle.includes(response.rawPayload), 'raw bytes are a slice of the bundle');
    assert.equal(JSON.parse(response.body).name, 'Workstation');
    const etag = String(response.headers.etag);
    assert.match(etag, /^W\/"[0-9a-f]{64}"$/);
    const cached = await app.inject({ method: 'GET', url: `/raw/${id}`, headers: { 'if-none-match': etag } });
    assert.equal(cached.statusCode, 304);
  });

  test('object page by STIX ID', async () => {
    const body = await page('/objects/course-of-action--383caaa3-c46a-4f61-b2e3-653eb132f0e7');
    assert.equal(title(body), 'T1114: Email Collection Mitigation');
  });

  test('unknown ID gets 404 with search', async () => {
    const response = await get('/techniques/T9999');
    assert.equal(response.statusCode, 404);
    assert.match(response.body, /href="\/search\?q=T9999"/);
  });

  test('home lists releases with counts', async () => {
    const body = await page('/');
    assert.match(body, /<td>18\.1<\/td><td>24771<\/td>/);
    assert.match(body, /<td>18\.1<\/td><td>1826<\/td>/);
  });

  test('matrix page lists tactics in order', async () => {
    const body = await page('/matrices/ics-attack');
    assert.match(body, /href="\/tactics\/TA0108"/);
  });
});
