import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import {
  compareObjects,
  compareRelationships,
  defaultPair,
  diffText,
  findSnapshot,
  type FieldChange,
  type RelationshipEnd,
} from '../src/history/compare/index.js';
import { createTestStore, importRelease, createTestServer, type TestStore } from './support.js';

function change(changes: readonly FieldChange[], field: string): FieldChange {
  const found = changes.find((candidate) => candidate.field === field);
  assert.ok(found, `a change to ${field}`);
  return found;
}

describe('compareObjects', () => {
  test('key order and spec_version are not changes', () => {
    const from = { type: 'attack-pattern', spec_version: '2.1', name: 'A', x_mitre_platforms: ['Linux'], nested: { b: 1, a: 2 } };
    const to = { nested: { a: 2, b: 1 }, x_mitre_platforms: ['Linux'], name: 'A', type: 'attack-pattern' };
    const comparison = compareObjects(from, to);
    assert.equal(comparison.unchanged, true);
    assert.deepEqual(comparison.changes, []);
  });

  test('scalar fields added, removed, changed', () => {
    const comparison = compareObjects({ name: 'Old', x_mitre_deprecated: false }, { name: 'New', x_mitre_version: '1.1' });
    assert.deepEqual(change(comparison.changes, 'name'), { kind: 'scalar', field: 'name', status: 'changed', from: 'Old', to: 'New' });
    assert.deepEqual(change(comparison.changes, 'x_mitre_version'), {
      kind: 'scalar',
      field: 'x_mitre_version',
      status: 'added',
      from: undefined,
      to: '1.1',
    });
    assert.equal(change(comparison.changes, 'x_mitre_deprecated').status, 'removed');
  });

  test('string lists as items added and removed', () => {
    const comparison = compareObjects(
      { x_mitre_platforms: ['Windows', 'Network'], aliases: ['A', 'B'] },
      { x_mitre_platforms: ['Windows', 'Network Devices', 'ESXi'], aliases: ['B', 'A'], x_mitre_contributors: ['Jane'] },
    );
    const platforms = change(comparison.changes, 'x_mitre_platforms');
    assert.equal(platforms.kind, 'list');
    assert.ok(platforms.kind === 'list');
    assert.deepEqual(platforms.added, ['Network Devices', 'ESXi']);
    assert.deepEqual(platforms.removed, ['Network']);
    assert.equal(platforms.reordered, false);

    const aliases = change(comparison.changes, 'aliases');
    assert.ok(aliases.kind === 'list');
    assert.equal(aliases.reordered, true);
    assert.deepEqual(aliases.added, []);

    const contributors = change(comparison.changes, 'x_mitre_contributors');
    assert.ok(contributors.kind === 'list');
    assert.equal(contributors.status, 'added');
    assert.deepEqual(contributors.added, ['Jane']);
  });

  test('kill chain phases as tactic items', () => {
    const comparison = compareObjects(
      { kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }] },
      { kill_chain_phases: [{ phase_name: 'persistence', kill_chain_name: 'mitre-attack' }] },
    );
    const phases = change(comparison.changes, 'kill_chain_phases');
    assert.ok(phases.kind === 'list');
    assert.deepEqual(phases.added, ['mitre-attack:persistence']);
    assert.deepEqual(phases.removed, ['mitre-attack:execution']);
  });

  test('description as a word diff', () => {
    const comparison = compareObjects({ description: 'Adversaries may run code.' }, { description: 'Adversaries may execute code.' });
    const description = change(comparison.changes, 'description');
    assert.ok(description.kind === 'text');
    assert.deepEqual(description.parts, [
      { change: 'unchanged', text: 'Adversaries may ' },
      { change: 'removed', text: 'run' },
      { change: 'added', text: 'execute' },
      { change: 'unchanged', text: ' code.' },
    ]);
  });

  test('short strings stay scalar, x_mitre_detection is text', () => {
    const comparison = compareObjects({ name: 'A', x_mitre_detection: 'Watch.' }, { name: 'B', x_mitre_detection: 'Monitor.' });
    assert.equal(change(comparison.changes, 'name').kind, 'scalar');
    assert.equal(change(comparison.changes, 'x_mitre_detection').kind, 'text');
  });

  test('external references matched by source, URL, description', () => {
    const kept = { source_name: 'mitre-attack', url: 'https://attack.mitre.org/techniques/T1', external_id: 'T1' };
    const renumbered = { ...kept, external_id: 'T2' };
    const dropped = { source_name: 'Old Blog', url: 'https://old.example/post' };
    const fresh = { source_name: 'New Blog', url: 'https://new.example/post', description: 'A post.' };
    const comparison = compareObjects({ external_references: [kept, dropped] }, { external_references: [fresh, renumbered] });
    const references = change(comparison.changes, 'external_references');
    assert.ok(references.kind === 'references');
    assert.deepEqual(references.added, [fresh]);
    assert.deepEqual(references.removed, [dropped]);
    assert.deepEqual(references.changed, [{ from: kept, to: renumbered }]);
  });

  test('other nested values as canonical JSON', () => {
    const comparison = compareObjects({ x_mitre_log_sources: [{ name: 'a', channel: '1' }] }, { x_mitre_log_sources: [{ channel: '2', name: 'a' }] });
    const logSources = change(comparison.changes, 'x_mitre_log_sources');
    assert.ok(logSources.kind === 'json');
    assert.equal(logSources.from, '[{"channel":"1","name":"a"}]');
    assert.equal(logSources.to, '[{"channel":"2","name":"a"}]');
  });
});

describe('diffText', () => {
  test('citations are added whole', () => {
    const parts = diffText('Done.(Citation: A)(Citation: B)', 'Done.(Citation: A)(Citation: C)(Citation: B)');
    assert.deepEqual(parts, [
      { change: 'unchanged', text: 'Done.(Citation: A)' },
      { change: 'added', text: '(Citation: C)' },
      { change: 'unchanged', text: '(Citation: B)' },
    ]);
  });

  test('renamed citation is replaced whole', () => {
    const parts = diffText('x (Citation: CISA Alert (TA17-293A))', 'x (Citation: CISA Alert (TA18-074A))');
    assert.deepEqual(parts, [
      { change: 'unchanged', text: 'x ' },
      { change: 'removed', text: '(Citation: CISA Alert (TA17-293A))' },
      { change: 'added', text: '(Citation: CISA Alert (TA18-074A))' },
    ]);
  });

  test('private use characters in text are kept', () => {
    const parts = diffText('a \uE000 (Citation: A)', 'a \uE000 (Citation: B)');
    const joined = parts.filter((part) => part.change !== 'removed').map((part) => part.text).join('');
    assert.equal(joined, 'a \uE000 (Citation: B)');
  });
});

describe('compareRelationships', () => {
  const end = (relationshipId: string, otherId: string, relationshipType = 'uses', direction: RelationshipEnd['direction'] = 'incoming'): RelationshipEnd => ({
    relationshipId,
    relationshipType,
    direction,
    otherId,
  });
  const resolve = (otherId: string) => ({ stixId: otherId, type: 'intrusion-set', attackId: otherId.toUpperCase(), name: `Name of ${otherId}` });

  test('re-created relationship is neither gained nor lost', () => {
    const comparison = compareRelationships([end('r1', 'g1'), end('r2', 'g2')], [end('r1', 'g1'), end('r3', 'g2')], resolve);
    assert.deepEqual(comparison.gained, []);
    assert.deepEqual(comparison.lost, []);
    assert.equal(comparison.recreated.length, 1);
    assert.equal(comparison.recreated[0]?.previousRelationshipId, 'r2');
    assert.equal(comparison.matchedById, 1);
  });

  test('gained and lost with the other end resolved', () => {
    const comparison = compareRelationships([end('r1', 'g1'), end('r2', 'm1', 'mitigates')], [end('r3', 'g2'), end('r4', 'g1', 'uses', 'outgoing')], resolve);
    assert.deepEqual(
      comparison.gained.map((delta) => [delta.relationshipType, delta.direction, delta.other?.attackId]),
      [
        ['uses', 'outgoing', 'G1'],
        ['uses', 'incoming', 'G2'],
      ],
    );
    assert.deepEqual(
      comparison.lost.map((delta) => [delta.relationshipType, delta.other?.name]),
      [
        ['mitigates', 'Name of m1'],
        ['uses', 'Name of g1'],
      ],
    );
  });
});

describe('release selection', () => {
  const snapshot = (domain: string, version: string, inDomain: boolean) => ({ release: { domain, version }, inDomain });
  const history = [
    snapshot('enterprise-attack', '17.1', true),
    snapshot('ics-attack', '17.1', false),
    snapshot('mobile-attack', '18.1', true),
    snapshot('enterprise-attack', '18.1', false),
    snapshot('ics-attack', '18.1', true),
  ];

  test('bare version prefers own domain, then Enterprise', () => {
    assert.equal(findSnapshot(history, '17.1')?.release.domain, 'enterprise-attack');
    assert.equal(findSnapshot(history, '18.1')?.release.domain, 'mobile-attack');
    assert.equal(findSnapshot(history, 'ics-attack-18.1')?.release.domain, 'ics-attack');
    assert.equal(findSnapshot(history, '16.1'), undefined);
  });

  test('default pair without older same-domain release', () => {
    const pair = defaultPair(history);
    assert.equal(pair?.to.release.version, '18.1');
    assert.equal(pair?.to.release.domain, 'mobile-attack');
    assert.equal(pair?.from.release.version, '17.1');
    assert.equal(pair?.from.release.domain, 'enterprise-attack');
  });

  test('default pair stays in one domain', () => {
    const pair = defaultPair([
      snapshot('mobile-attack', '14.1', true),
      snapshot('enterprise-attack', '17.1', true),
      snapshot('mobile-attack', '18.1', true),
    ]);
    assert.equal(pair?.from.release.domain, 'mobile-attack');
    assert.equal(pair?.from.release.version, '14.1');
  });

  test('default pair of one release', () => {
    const pair = defaultPair([snapshot('ics-attack', '18.1', true)]);
    assert.equal(pair?.from, pair?.to);
    assert.equal(defaultPair([]), undefined);
  });
});

/**
 * Values below were read by hand from the real bundles that test/support.ts
 * imports: enterprise-attack 15.1 and 17.1, mobile-attack 17.1 (STIX 2.1) and
 * mobile-attack 18.1 (STIX 2.0).
 */
describe('compare pages on real data', () => {
  let t: TestStore;
  let app: FastifyInstance;

  const get = async (url: string) => app.inject({ method: 'GET', url });
  const page = async (url: string) => {
    const response = await get(url);
    assert.equal(response.statusCode, 200, `${url} returns 200`);
    return response.body;
  };
  const releaseRow = (body: string, label: string) => new RegExp(`<th>${label}</th><td>([^<]*)</td><td>([^<]*)</td>`).exec(body)?.slice(1);

  before(async () => {
    t = createTestStore();
    await importRelease(t.store, 'enterprise-attack', '15.1');
    await importRelease(t.store, 'enterprise-attack', '17.1');
    await importRelease(t.store, 'mobile-attack', '17.1');
    await importRelease(t.store, 'mobile-attack', '18.1');
    app = await createTestServer(t);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('T1037 versions and platforms', async () => {
    const body = await page('/techniques/T1037/compare?from=15.1&to=17.1');
    assert.match(body, /<h1>Compare T1037: Boot or Logon Initialization Scripts<\/h1>/);
    assert.deepEqual(releaseRow(body, 'Release'), ['enterprise-attack 15.1', 'enterprise-attack 17.1']);
    assert.deepEqual(releaseRow(body, 'Object version'), ['2.3', '2.4']);
    assert.deepEqual(releaseRow(body, 'Modified'), ['2024-04-16T12:23:13.621Z', '2025-04-15T19:58:02.121Z']);
    assert.match(body, /<td><code>x_mitre_version<\/code><\/td><td>2\.3<\/td><td>2\.4<\/td>/);
    const platforms = /<div class="compare-list" data-field="x_mitre_platforms">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
    assert.match(platforms, /<ins>ESXi<\/ins>/);
    assert.match(platforms, /<ins>Network Devices<\/ins>/);
    assert.match(platforms, /<del>Network<\/del>/);
    assert.doesNotMatch(platforms, /<ins>Windows<\/ins>/);
  });

  test('default compares two newest releases', async () => {
    const body = await page('/techniques/T1037/compare');
    assert.deepEqual(releaseRow(body, 'Release'), ['enterprise-attack 15.1', 'enterprise-attack 17.1']);
  });

  test('T1112 gains BlackByte, keeps Ember Bear', async () => {
    const body = await page('/techniques/T1112/compare?from=enterprise-attack-15.1&to=enterprise-attack-17.1');
    const gained = /<h3>Gained \(\d+\)<\/h3>([\s\S]*?)<h3>Lost/.exec(body)?.[1] ?? '';
    assert.match(gained, /<td>uses this<\/td>\s*<td>G1043<\/td>\s*<td><a href="\/groups\/G1043">BlackByte<\/a><\/td>/);
    // MITRE re-created Ember Bear's "uses" relationship under a new STIX ID in 17.1.
    assert.doesNotMatch(body, /<td>G1003<\/td>/);
    assert.match(body, /re-created under a new STIX ID/);
  });

  test('T1140 description diff is escaped', async () => {
    const body = await page('/techniques/T1140/compare?from=15.1&to=17.1');
    const description = /<div class="compare-text" data-field="description">[\s\S]*?<div class="text-diff">([\s\S]*?)<\/div>/.exec(body)?.[1] ?? '';
    assert.match(description, /<ins>[^<]*&lt;code&gt;type&lt;\/code&gt;[^<]*<\/ins>/);
    assert.match(description, /<ins>\(Citation: Sentinel One Tainted Love 2023\)<\/ins>/);
    assert.doesNotMatch(description, /<code>/);
    assert.match(body, /<li class="compare-item-added"><strong>Sentinel One Tainted Love 2023<\/strong>/);
  });

  test('Mobile T1663 unchanged across formats', async () => {
    const body = await page('/techniques/T1663/compare?from=17.1&to=18.1');
    assert.deepEqual(releaseRow(body, 'Release'), ['mobile-attack 17.1', 'mobile-attack 18.1']);
    assert.match(body, /<strong>No change:<\/strong>/);
    assert.doesNotMatch(body, /id="fields"/);
    const fromRaw = /<code class="hash raw-hash-from">([0-9a-f]{64})<\/code>/.exec(body)?.[1];
    const toRaw = /<code class="hash raw-hash-to">([0-9a-f]{64})<\/code>/.exec(body)?.[1];
    assert.ok(fromRaw, 'raw hash of 17.1 shown');
    assert.ok(toRaw, 'raw hash of 18.1 shown');
    assert.notEqual(fromRaw, toRaw);
  });

  test('unknown from gives 400 with releases', async () => {
    const response = await get('/techniques/T1037/compare?from=99.9&to=17.1');
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /No release named &quot;99\.9&quot; contains T1037/);
    assert.match(response.body, /<a href="\/techniques\/T1037\/compare\?from=enterprise-attack-15\.1&amp;to=enterprise-attack-17\.1">enterprise-attack 15\.1<\/a>/);
    assert.match(response.body, />enterprise-attack 17\.1<\/a>/);
  });

  test('missing to gives 400', async () => {
    const response = await get('/techniques/T1037/compare?from=15.1');
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /The &quot;to&quot; parameter is missing/);
  });

  test('hostile from value is escaped', async () => {
    const response = await get(`/techniques/T1037/compare?from=${encodeURIComponent('<script>x</script>')}&to=17.1`);
    assert.equal(response.statusCode, 400);
    assert.doesNotMatch(response.body, /<script>/);
    assert.match(response.body, /&lt;script&gt;x&lt;\/script&gt;/);
  });

  test('dotted sub-technique ID redirects', async () => {
    const response = await get('/techniques/T1552.003/compare?from=15.1&to=17.1');
    assert.equal(response.statusCode, 301);
    assert.equal(response.headers.location, '/techniques/T1552/003/compare?from=15.1&to=17.1');
    const body = await page('/techniques/T1552/003/compare?from=15.1&to=17.1');
    assert.match(body, /<h1>Compare T1552\.003: Bash History<\/h1>/);
  });

  test('comparison by STIX ID', async () => {
    const body = await page('/objects/attack-pattern--3ccef7ae-cb5e-48f6-8302-897105fbf55c/compare?from=15.1&to=17.1');
    assert.match(body, /<h1>Compare T1140: Deobfuscate\/Decode Files or Information<\/h1>/);
    assert.deepEqual(releaseRow(body, 'Object version'), ['1.3', '1.4']);
  });

  test('unknown object gives 404', async () => {
    const response = await get('/techniques/T9999/compare');
    assert.equal(response.statusCode, 404);
  });
});
