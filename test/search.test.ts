import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { NewObject } from '../src/storage/store.js';
import { createTestStore, importRelease, createTestServer, type TestStore } from './support.js';
import { plainSnippet } from '../src/search/snippet-text.js';

/**
 * Values below were read by hand from enterprise-attack-18.1 in ../shared/attack-data:
 * T1114 is the technique Email Collection and the deprecated mitigation Email Collection Mitigation,
 * G0007 APT28 has the aliases Fancy Bear, Forest Blizzard and STRONTIUM, and "hacktivist" occurs in
 * the description of T1491.002 External Defacement and in no other object's text.
 */
const EMAIL_COLLECTION = 'attack-pattern--1608f3e1-598a-42f4-a01a-2e252e81728f';
const EMAIL_COLLECTION_MITIGATION = 'course-of-action--383caaa3-c46a-4f61-b2e3-653eb132f0e7';
const POWERSHELL = 'attack-pattern--970a3432-3237-47ad-bcca-7d8cbb217736';
const APT28 = 'intrusion-set--bef4c620-0787-42a8-a96d-b7eb6e85917c';
const MIMIKATZ = 'tool--afc079f3-c0ea-4096-b75d-3f05338b7f60';
const CORESHELL = 'malware--60c18d06-7b91-4742-bae3-647845cd9d81';

interface ApiResult {
  stixId: string;
  attackId: string | null;
  name: string | null;
  type: string;
  domains: string[];
  status: string;
  release: string;
  url: string;
}

interface ApiAnswer {
  query: string;
  results: ApiResult[];
  total: number;
  message?: string;
}

describe('search on real data', () => {
  let t: TestStore;
  let app: FastifyInstance;

  const api = async (parameters: Record<string, string>): Promise<ApiAnswer> => {
    const response = await app.inject({ method: 'GET', url: '/api/v1/search', query: parameters });
    assert.equal(response.statusCode, 200, `search ${JSON.stringify(parameters)} returns 200`);
    return response.json<ApiAnswer>();
  };

  before(async () => {
    t = createTestStore();
    await importRelease(t.store, 'enterprise-attack', '18.1');
    app = await createTestServer(t);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('T1114 finds technique and deprecated mitigation', async () => {
    const answer = await api({ q: 'T1114', status: 'active,deprecated' });
    const first = answer.results.slice(0, 2).map((result) => result.stixId);
    assert.deepEqual(first, [EMAIL_COLLECTION, EMAIL_COLLECTION_MITIGATION]);
    assert.equal(answer.results[1]?.status, 'deprecated');
    assert.equal(answer.results[1]?.name, 'Email Collection Mitigation');
    assert.equal(answer.results[1]?.url, '/mitigations/T1114');
  });

  test('results come in pages', async () => {
    const first = await api({ q: 'powershell' });
    assert.ok(first.total > 50, `powershell matches more than one page (${first.total})`);
    assert.equal(first.results.length, 50);
    const second = await api({ q: 'powershell', page: '2' });
    assert.equal(second.total, first.total);
    assert.equal(second.results.length, Math.min(50, first.total - 50));
    const firstIds = new Set(first.results.map((result) => result.stixId));
    assert.ok(second.results.every((result) => !firstIds.has(result.stixId)), 'page 2 repeats no result of page 1');

    const html = await app.inject({ method: 'GET', url: '/search?q=powershell' });
    assert.match(html.body, new RegExp(`${first.total} result\\(s\\), showing 1 to 50`));
    assert.match(html.body, /<a href="\/search\?q=powershell&amp;status=active&amp;page=2">More results<\/a>/);
    for (const page of ['0', '-1', 'x', '99999']) assert.equal((await api({ q: 'powershell', page })).results.length > 0, true, `page=${page}`);
  });

  test('ID query shows every status', async () => {
    const answer = await api({ q: 'T1114' });
    const ids = answer.results.map((result) => result.stixId);
    assert.ok(ids.includes(EMAIL_COLLECTION));
    assert.ok(ids.includes(EMAIL_COLLECTION_MITIGATION));
  });

  test('deprecated objects hidden by default', async () => {
    const answer = await api({ q: 'Email Collection' });
    const ids = answer.results.map((result) => result.stixId);
    assert.ok(ids.includes(EMAIL_COLLECTION));
    assert.ok(!ids.includes(EMAIL_COLLECTION_MITIGATION));
    assert.ok(answer.results.every((result) => result.status === 'active'));
  });

  test('exact ATT&CK ID ranks first', async () => {
    const answer = await api({ q: 'T1059' });
    assert.equal(answer.results[0]?.attackId, 'T1059');
    assert.equal(answer.results[0]?.name, 'Command and Scripting Interpreter');
    assert.ok(answer.results.some((result) => result.attackId === 'T1059.001'));
  });

  test('ID spellings find PowerShell', async () => {
    for (const q of ['t1059/001', 'T1059/001', 'T1059.001', 't1059.001']) {
      const answer = await api({ q });
      assert.equal(answer.results[0]?.stixId, POWERSHELL, q);
      assert.equal(answer.results[0]?.name, 'PowerShell', q);
      assert.equal(answer.results[0]?.url, '/techniques/T1059/001', q);
    }
  });

  test('exact STIX ID ranks first', async () => {
    const answer = await api({ q: APT28 });
    assert.equal(answer.results[0]?.stixId, APT28);
    assert.equal(answer.results[0]?.attackId, 'G0007');
  });

  test('alias finds its group', async () => {
    for (const q of ['fancy bear', 'Forest Blizzard', 'STRONTIUM']) {
      const answer = await api({ q });
      assert.equal(answer.results[0]?.stixId, APT28, q);
      assert.equal(answer.results[0]?.name, 'APT28', q);
      assert.equal(answer.results[0]?.type, 'intrusion-set', q);
    }
  });

  test('alias shared by two objects', async () => {
    // "Sofacy" is an alias of the group APT28 and an x_mitre_alias of the malware CORESHELL.
    const answer = await api({ q: 'Sofacy' });
    const first = answer.results.slice(0, 2).map((result) => result.stixId).sort();
    assert.deepEqual(first, [CORESHELL, APT28].sort());
  });

  test('description word finds its object', async () => {
    const answer = await api({ q: 'hacktivist' });
    assert.equal(answer.total, 1);
    assert.equal(answer.results[0]?.attackId, 'T1491.002');
    assert.equal(answer.results[0]?.name, 'External Defacement');
  });

  test('prefix of last word matches', async () => {
    const answer = await api({ q: 'Email Coll' });
    assert.equal(answer.results[0]?.stixId, EMAIL_COLLECTION);
    const powershell = await api({ q: 'Powersh' });
    assert.equal(powershell.results[0]?.stixId, POWERSHELL);
  });

  test('typo in a name still finds it', async () => {
    const mimikatz = await api({ q: 'Mimikatx' });
    assert.equal(mimikatz.results[0]?.stixId, MIMIKATZ);
    assert.match(mimikatz.message ?? '', /Showing results for "Mimikatz"/);

    const swapped = await api({ q: 'Powreshell' });
    assert.equal(swapped.results[0]?.stixId, POWERSHELL);
    assert.match(swapped.message ?? '', /Showing results for "PowerShell"/);

    const twoWords = await api({ q: 'Emial Collection' });
    assert.equal(twoWords.results[0]?.stixId, EMAIL_COLLECTION);
  });

  test('type, domain and release filters', async () => {
    const groups = await api({ q: 'APT28', type: 'groups' });
    assert.ok(groups.total > 0);
    assert.ok(groups.results.every((result) => result.type === 'intrusion-set'));

    const inRelease = await api({ q: 'PowerShell', release: 'enterprise-attack-18.1', domain: 'enterprise-attack' });
    assert.equal(inRelease.results[0]?.stixId, POWERSHELL);
    assert.equal(inRelease.results[0]?.release, 'enterprise-attack-18.1');

    const ics = await api({ q: 'PowerShell', domain: 'ics-attack', type: 'techniques' });
    assert.ok(ics.results.every((result) => result.domains.includes('ics-attack')));
    assert.ok(!ics.results.some((result) => result.stixId === POWERSHELL));
  });

  test('invalid filters give a message', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ q: 'PowerShell', release: 'enterprise-attack-99.9' }, /Release "enterprise-attack-99\.9" is not in this library/],
      [{ q: 'PowerShell', type: 'widgets' }, /Unknown type "widgets"/],
      [{ q: 'PowerShell', domain: 'moon-attack' }, /Unknown domain "moon-attack"/],
      [{ q: 'PowerShell', status: 'sleeping' }, /Invalid status "sleeping"/],
    ];
    for (const [parameters, message] of cases) {
      const answer = await api(parameters);
      assert.equal(answer.total, 0, JSON.stringify(parameters));
      assert.match(answer.message ?? '', message);
    }
  });

  test('at most 50 results', async () => {
    const answer = await api({ q: 'windows' });
    assert.ok(answer.total > 50);
    assert.equal(answer.results.length, 50);
  });

  test('hostile inputs return 200', async () => {
    const hostile = [
      '"',
      '""',
      "'",
      'AND',
      'OR NOT',
      'NEAR(a b, 2)',
      'power*',
      '^start',
      '(unclosed',
      'a) OR (b',
      '{name aliases}: x',
      'name:powershell',
      "'; DROP TABLE releases; --",
      "1' OR '1'='1",
      '%_\\',
      '<script>alert(1)</script>',
      'x'.repeat(5000),
      '\u{1F600}'.repeat(300),
      '\uD800',
      '파워쉘 공격',
      '\u200b\u200c\u200d',
      '\u0000\u0001',
      '\uE000marked\uE001',
      'T1059/',
      '-',
    ];
    for (const q of hostile) {
      const answer = await api({ q });
      assert.ok(Array.isArray(answer.results), q);
      assert.ok([...answer.query].length <= 200, q);
      if (answer.total === 0) assert.ok((answer.message ?? '').length > 0, `${q} explains the empty result`);

      const page = await app.inject({ method: 'GET', url: '/search', query: { q } });
      assert.equal(page.statusCode, 200, q);
      assert.doesNotMatch(page.body, /<script>alert/, q);
    }
    assert.ok(await t.store.findRelease('enterprise-attack', '18.1'));
  });

  test('zero-width joiner inside a word', async () => {
    const answer = await api({ q: 'Power\u200dShell' });
    assert.equal(answer.results[0]?.stixId, POWERSHELL);
  });

  test('search page shows filters and results', async () => {
    const response = await app.inject({ method: 'GET', url: '/search?q=Fancy%20Bear&type=groups&status=active&status=deprecated' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<form class="search-filters" action="\/search" method="get">/);
    assert.match(response.body, /<option value="groups" selected>/);
    assert.match(response.body, /name="status" value="deprecated" checked/);
    assert.doesNotMatch(response.body, /name="status" value="revoked" checked/);
    assert.match(response.body, /<a href="\/groups\/G0007">G0007<\/a>/);
  });

  test('search page marks matched words', async () => {
    const response = await app.inject({ method: 'GET', url: '/search?q=hacktivist' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<a href="\/techniques\/T1491\/002">External Defacement<\/a>/);
    assert.match(response.body, /adversary and <mark>hacktivist<\/mark> groups/);
  });

  test('search page jumps to an exact ID', async () => {
    const response = await app.inject({ method: 'GET', url: '/search?q=t1059/001' });
    assert.equal(response.statusCode, 302);
    assert.equal(response.headers.location, '/techniques/T1059/001');
  });
});

describe('search index and failed imports', () => {
  let t: TestStore;

  before(async () => {
    t = createTestStore();
    await importRelease(t.store, 'ics-attack', '18.1');
  });
  after(async () => t.cleanup());

  /** An ICS object under a new name, so that its version and index row are new. */
  async function renamedObject(name: string): Promise<NewObject> {
    const release = await t.store.findRelease('ics-attack', '18.1');
    assert.ok(release);
    const [technique] = await t.store.findByAttackId('T0800', ['attack-pattern']);
    assert.ok(technique);
    const raw = Buffer.from(JSON.stringify({ ...JSON.parse(technique.raw.toString('utf8')), name }));
    return {
      ...technique,
      domains: technique.domains,
      name,
      contentHash: `${name}-content`,
      raw,
      rawHash: `${name}-raw`,
      warnings: [],
      inDomain: true,
      relationship: null,
      embeddedRefs: [],
      killChainPhases: [],
    };
  }

  test('rolled back import leaves index unchanged', async () => {
    const queries = ['Zanzibarquux', 'T0800', 'firmware', 'Activate Firmware Update Mode'];
    const before = [];
    for (const q of queries) before.push(await t.store.searchText({ words: q.split(' '), prefixLast: true }, { statuses: ['active'] }));

    const object = await renamedObject('Zanzibarquux');
    // The second copy of the same STIX ID breaks the release_objects primary key after the first
    // copy's version and index row were written, so the transaction must roll both back.
    await assert.rejects(
      t.store.importRelease({
        domain: 'ics-attack',
        version: '19.0',
        bundleSha256: 'not-a-real-bundle',
        specVersion: null,
        source: 'test',
        bundleBytes: 0,
        objects: [object, object],
      }),
      /UNIQUE constraint failed/,
    );

    for (const [index, q] of queries.entries()) {
      const after = await t.store.searchText({ words: q.split(' '), prefixLast: true }, { statuses: ['active'] });
      assert.deepEqual(
        after.map((hit) => [hit.object.stixId, hit.object.contentHash, hit.score]),
        before[index]?.map((hit) => [hit.object.stixId, hit.object.contentHash, hit.score]),
        q,
      );
    }
    const renamed = await t.store.searchText({ words: ['Zanzibarquux'], prefixLast: false }, { statuses: ['active', 'deprecated', 'revoked'] });
    assert.equal(renamed.length, 0);
    assert.equal(await t.store.findRelease('ics-attack', '19.0'), undefined);
  });
});

test('snippet markup becomes plain text', () => {
  const cases: [string, string][] = [
    ['### Windows\nMonitor \uE000hardening\uE001 settings', 'Windows Monitor \uE000hardening\uE001 settings'],
    ['read <code>/etc/passwd</code> and <code>/etc/p', 'read /etc/passwd and /etc/p'],
    ['such as [OS Credential Dumping](https://attack.mitre.org/techniques/T1003) and [Br', 'such as OS Credential Dumping and Br'],
    ['cut [OS Credential Dumping](https://attac', 'cut OS Credential Dumping'],
    ['**bold** and `code`<br>next', 'bold and code next'],
    ['a password dumping tool. (Citation: Amplia WCE)', 'a password dumping tool.'],
    ['alert (Citation: CISA Alert (TA17-293A)) and (Citation: CG', 'alert and'],
    ['…mitre.org/software/S0357) contains several tools', '… contains several tools'],
    ['…mitre.org/techniques/T1083), Data from Local System', '…, Data from Local System'],
    ['files and/or directories (such as logs)', 'files and/or directories (such as logs)'],
  ];
  for (const [input, expected] of cases) assert.equal(plainSnippet(input), expected, input);
});
