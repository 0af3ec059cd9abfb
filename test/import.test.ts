import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { contentHash } from '../src/import/hashing.js';
import { bundleBytes, bundlePath, createTestStore, importFiles, importRelease, type TestStore } from './support.js';

const TABLES = ['releases', 'object_versions', 'raw_objects', 'release_objects', 'embedded_refs', 'kill_chain_phases'];

/** Row counts of every table, read through a second connection, as another process would see them. */
function tableCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      TABLES.map((table) => [table, (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n]),
    );
  } finally {
    db.close();
  }
}

function countByType(objects: readonly { type: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const object of objects) counts[object.type] = (counts[object.type] ?? 0) + 1;
  return counts;
}

describe('import of ICS and Enterprise 18.1', () => {
  let t: TestStore;

  before(async () => {
    t = createTestStore();
    // ICS bundles name their release in an x-mitre-collection object; Enterprise bundles from cti do not.
    const ics = await importFiles(t.store, bundlePath('ics-attack', '18.1'));
    const enterprise = await importRelease(t.store, 'enterprise-attack', '18.1');
    const bundles = [...ics.bundles, ...enterprise.bundles];
    assert.deepEqual(
      bundles.map((bundle) => [bundle.status, bundle.domain, bundle.version]),
      [
        ['imported', 'ics-attack', '18.1'],
        ['imported', 'enterprise-attack', '18.1'],
      ],
      bundles.map((bundle) => bundle.error ?? '').join('\n'),
    );
  });
  after(async () => t.cleanup());

  test('object counts per type equal the bundle', async () => {
    for (const domain of ['ics-attack', 'enterprise-attack']) {
      const bundle = JSON.parse(bundleBytes(domain, '18.1').toString('utf8')) as { objects: { type: string }[] };
      const release = await t.store.findRelease(domain, '18.1');
      assert.ok(release, `${domain} 18.1 is listed`);
      assert.deepEqual(await t.store.countObjectsByType(release.id), countByType(bundle.objects));
      assert.equal(release.objectCount, bundle.objects.length);
    }
  });

  test('object counts match hand-checked figures', async () => {
    // Counted by hand from the bundles: Enterprise 18.1 has 24,771 objects (835 techniques,
    // 14 tactics, 20,048 relationships); ICS 18.1 has 1,826 objects (18 assets, 95 techniques).
    const enterprise = await t.store.findRelease('enterprise-attack', '18.1');
    const ics = await t.store.findRelease('ics-attack', '18.1');
    assert.equal(enterprise?.objectCount, 24771);
    assert.equal(ics?.objectCount, 1826);
    const enterpriseCounts = await t.store.countObjectsByType(enterprise?.id ?? -1);
    assert.equal(enterpriseCounts['attack-pattern'], 835);
    assert.equal(enterpriseCounts['x-mitre-tactic'], 14);
    assert.equal(enterpriseCounts.relationship, 20048);
    const icsCounts = await t.store.countObjectsByType(ics?.id ?? -1);
    assert.equal(icsCounts['x-mitre-asset'], 18);
    assert.equal(icsCounts['attack-pattern'], 95);
  });

  test('raw bytes are exact slices of the bundle', async () => {
    for (const domain of ['ics-attack', 'enterprise-attack']) {
      const bytes = bundleBytes(domain, '18.1');
      const bundle = JSON.parse(bytes.toString('utf8')) as { objects: { id: string }[] };
      const release = await t.store.findRelease(domain, '18.1');
      assert.ok(release);
      let cursor = bytes.indexOf('"objects"');
      for (const [index, object] of bundle.objects.entries()) {
        const snapshot = await t.store.snapshot(object.id, release.id);
        assert.ok(snapshot, `${domain} objects[${index}] ${object.id} is stored`);
        assert.deepEqual(JSON.parse(snapshot.raw.toString('utf8')), object, `${object.id} parses to the bundle's object`);
        // Objects appear in bundle order, so each raw slice must be found after the previous one.
        const position = bytes.indexOf(snapshot.raw, cursor);
        assert.ok(position >= cursor, `${object.id} raw bytes occur in the bundle after byte ${cursor}`);
        assert.ok(position - cursor < 64, `${object.id} raw bytes follow the previous object`);
        cursor = position + snapshot.raw.length;
      }
    }
  });

  test('re-import is a no-op', async () => {
    const before = tableCounts(t.file);
    const report = await importRelease(t.store, 'enterprise-attack', '18.1');
    assert.equal(report.bundles[0]?.status, 'already-imported');
    assert.equal(report.bundles[0]?.version, '18.1');
    assert.deepEqual(tableCounts(t.file), before);
  });

  test('STIX 2.0 objects are warned for missing spec_version', async () => {
    const release = await t.store.findRelease('enterprise-attack', '18.1');
    const technique = await t.store.snapshot('attack-pattern--1608f3e1-598a-42f4-a01a-2e252e81728f', release?.id ?? -1);
    assert.ok(technique);
    assert.ok(technique.warnings.some((warning) => warning.kind === 'missing-spec-version'));
  });
});

describe('rejected bundles', () => {
  let t: TestStore;

  before(async () => {
    t = createTestStore();
    const report = await importFiles(t.store, bundlePath('ics-attack', '17.1'));
    assert.equal(report.bundles[0]?.status, 'imported');
  });
  after(async () => t.cleanup());

  test('truncated bundle changes nothing', async () => {
    const bytes = bundleBytes('ics-attack', '18.1');
    const file = join(t.dir, 'ics-attack-18.1-truncated.json');
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const before = tableCounts(t.file);

    const report = await importFiles(t.store, file);

    assert.equal(report.bundles[0]?.status, 'failed');
    assert.match(report.bundles[0]?.error ?? '', /ics-attack-18\.1-truncated\.json/);
    assert.match(report.bundles[0]?.error ?? '', /not valid JSON/);
    assert.match(report.bundles[0]?.error ?? '', /truncated/);
    assert.deepEqual(tableCounts(t.file), before);
  });

  test('object without id changes nothing', async () => {
    const bundle = JSON.parse(bundleBytes('ics-attack', '18.1').toString('utf8')) as { objects: Record<string, unknown>[] };
    const victim = bundle.objects[5];
    assert.ok(victim);
    const victimName = victim.name as string;
    delete victim.id;
    const file = join(t.dir, 'ics-attack-18.1-no-id.json');
    writeFileSync(file, JSON.stringify(bundle, null, 2));
    const before = tableCounts(t.file);

    const report = await importFiles(t.store, file);

    const error = report.bundles[0]?.error ?? '';
    assert.equal(report.bundles[0]?.status, 'failed');
    assert.match(error, /ics-attack-18\.1-no-id\.json/);
    assert.match(error, /objects\[5\]/);
    assert.match(error, /field "id"/);
    assert.match(error, /nothing was imported/);
    assert.ok(victimName.length > 0);
    assert.deepEqual(tableCounts(t.file), before);
    assert.equal(await t.store.findRelease('ics-attack', '18.1'), undefined);
  });

  test('bundle without release identity names the flags', async () => {
    const bytes = bundleBytes('enterprise-attack', '12.1');
    const file = join(t.dir, 'no-collection.json');
    writeFileSync(file, bytes);
    const report = await importFiles(t.store, file);
    assert.equal(report.bundles[0]?.status, 'failed');
    assert.match(report.bundles[0]?.error ?? '', /--domain/);
  });

  test('file that is not a bundle is rejected', async () => {
    const file = join(t.dir, 'not-a-bundle.json');
    writeFileSync(file, JSON.stringify({ type: 'report', objects: [] }));
    const report = await importFiles(t.store, file);
    assert.equal(report.bundles[0]?.status, 'failed');
    assert.match(report.bundles[0]?.error ?? '', /not-a-bundle\.json: is not a STIX bundle/);
  });

  test('duplicate id with different content is rejected', async () => {
    const bundle = JSON.parse(bundleBytes('ics-attack', '18.1').toString('utf8')) as { objects: Record<string, unknown>[] };
    const copy = { ...bundle.objects[3], name: 'Changed copy' };
    bundle.objects.push(copy);
    const file = join(t.dir, 'duplicate.json');
    writeFileSync(file, JSON.stringify(bundle));
    const before = tableCounts(t.file);
    const report = await importFiles(t.store, file);
    assert.equal(report.bundles[0]?.status, 'failed');
    assert.match(report.bundles[0]?.error ?? '', /duplicates the id of objects\[3\]/);
    assert.deepEqual(tableCounts(t.file), before);
  });
});

describe('content hashes reused across releases', () => {
  let t: TestStore;

  before(() => {
    t = createTestStore();
  });
  after(async () => t.cleanup());

  test('reused hashes equal recomputed ones', async () => {
    await importRelease(t.store, 'ics-attack', '17.1');
    // 18.1 reuses the content hashes of objects whose bytes 17.1 already had.
    const report = await importRelease(t.store, 'ics-attack', '18.1');
    assert.equal(report.bundles[0]?.status, 'imported');
    const release = await t.store.findRelease('ics-attack', '18.1');
    assert.ok(release);
    const bundle = JSON.parse(bundleBytes('ics-attack', '18.1').toString('utf8')) as { objects: Record<string, unknown>[] };
    for (const object of bundle.objects) {
      const snapshot = await t.store.snapshot(object.id as string, release.id);
      assert.equal(snapshot?.contentHash, contentHash(object), `${String(object.id)} content hash`);
    }
  });
});

describe('release named by the file name', () => {
  // Mobile 18.1 in ../shared/attack-data is a STIX 2.0 bundle without an x-mitre-collection object.
  test('MITRE file name gives domain and release', async () => {
    const t = createTestStore();
    try {
      const report = await importFiles(t.store, bundlePath('mobile-attack', '18.1'));
      const [bundle] = report.bundles;
      assert.equal(bundle?.status, 'imported', bundle?.error);
      assert.equal(bundle?.domain, 'mobile-attack');
      assert.equal(bundle?.version, '18.1');
    } finally {
      await t.cleanup();
    }
  });

  test('other file name asks for both flags', async () => {
    const t = createTestStore();
    try {
      const renamed = join(t.dir, 'mobile.json');
      writeFileSync(renamed, bundleBytes('mobile-attack', '18.1'));
      const [bundle] = (await importFiles(t.store, renamed)).bundles;
      assert.equal(bundle?.status, 'failed');
      assert.match(bundle?.error ?? '', /mobile\.json: neither the bundle .* nor its file name says which ATT&CK domain and release it is; add --domain .* and --release/);
    } finally {
      await t.cleanup();
    }
  });
});
