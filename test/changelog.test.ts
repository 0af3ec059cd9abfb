import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Command } from 'commander';
import type { FastifyInstance } from 'fastify';
import { registerDiffCommand } from '../src/cli/diff-command.js';
import {
  buildChangelog,
  CATEGORIES,
  changelogSchema,
  classifyChange,
  renderChangelogMarkdown,
  renderNavigatorLayer,
  SECTIONS,
  versionStep,
  type Changelog,
  type ChangelogEntry,
  type ComparableObject,
} from '../src/history/changelog/index.js';
import { createTestStore, importRelease, createTestServer, type TestStore } from './support.js';

/**
 * Expected values were read by hand from the real release bundles that
 * test/support.ts imports, with zcat and small node scripts comparing the
 * objects of two releases by STIX ID.
 */
const ENTERPRISE = {
  systemInformationDiscovery: 'attack-pattern--354a7f88-63fb-41b5-a801-ce3b377b36f1', // T1082, 2.6 in 17.1, 3.0 in 18.1
  acquireInfrastructure: 'attack-pattern--0458aab9-ad42-4eac-9e22-706a95bafee2', // T1583, 1.4 in 17.1, 1.5 in 18.1
  socketFilters: 'attack-pattern--005cc321-08ce-4d17-b1ea-cb5275926520', // T1205.002, 1.0 in both, modified changed
  poisonedPipeline: 'attack-pattern--7655ac3b-dfde-49c5-a967-242856174434', // T1677, first in 18.0
  databases: 'attack-pattern--248d3fe1-7fe1-4d71-91c7-8bb7ef35cad3', // T1213.006, first in 18.0, sub-technique of T1213
  dllSideLoading: 'attack-pattern--e64c62cf-9cd7-4a14-94ec-cdaac43ab44b', // T1574.002, revoked in 17.1 by T1574.001
};
const MOBILE = {
  carbonSteal: 'malware--007ebf84-4e14-44c7-a5aa-151d5de85320', // S0529: differs only in spec_version, is_family and labels
  useRecentOsVersion: 'course-of-action--0beabf44-e8d8-4ae4-9122-ef56369a2564', // M1006: differs only in spec_version
  abuseAccessibility: 'attack-pattern--2204c371-6100-4ae0-82f3-25c07c29772a', // T1453, 2.0 to 3.0, loses impact and defense-evasion
};

function entryOf(changelog: Changelog, stixId: string): ChangelogEntry {
  const entry = changelog.entries.find((candidate) => candidate.stixId === stixId);
  assert.ok(entry, `changelog lists ${stixId}`);
  return entry;
}

function comparable(fields: Partial<ComparableObject>): ComparableObject {
  return { version: '1.0', modified: '2025-01-01T00:00:00.000Z', deprecated: false, revoked: false, contentHash: 'a', description: () => 'text', ...fields };
}

describe('classifyChange rules', () => {
  test('version steps', () => {
    assert.equal(versionStep('1.9', '1.10'), 'minor');
    assert.equal(versionStep('2.6', '3.0'), 'major');
    assert.equal(versionStep('2.6', '3.1'), 'other');
    assert.equal(versionStep('1.2', '1.1'), 'other');
    assert.equal(versionStep('1.0', '1'), 'same');
    assert.equal(versionStep(null, '1.0'), 'other');
  });

  test('newly deprecated mitigation', () => {
    // No mitigation becomes deprecated between any two of the test releases, so this case is built by hand.
    const category = classifyChange(comparable({}), comparable({ deprecated: true, version: '1.1', contentHash: 'b' }));
    assert.equal(category, 'deprecations');
  });

  test('revocation wins over deprecation', () => {
    assert.equal(classifyChange(comparable({}), comparable({ revoked: true, deprecated: true, contentHash: 'b' })), 'revocations');
  });

  test('same modified and description is unchanged', () => {
    assert.equal(classifyChange(comparable({}), comparable({ contentHash: 'b' })), 'unchanged');
    assert.equal(classifyChange(comparable({}), comparable({ contentHash: 'b', modified: '2025-01-01T00:00:00Z' })), 'unchanged');
    assert.equal(classifyChange(comparable({}), comparable({ contentHash: 'b', description: () => 'new text' })), 'patches');
  });
});

describe('changelog on real releases', () => {
  let t: TestStore;
  let enterprise: Changelog;
  let enterpriseWithUnchanged: Changelog;
  let revocation: Changelog;
  let mobile: Changelog;
  let app: FastifyInstance;

  before(async () => {
    t = createTestStore();
    for (const version of ['16.1', '17.1', '18.1']) await importRelease(t.store, 'enterprise-attack', version);
    for (const version of ['17.1', '18.1']) await importRelease(t.store, 'mobile-attack', version);

    const started = performance.now();
    enterprise = await buildChangelog(t.store, 'enterprise-attack', '17.1', '18.1');
    const elapsed = performance.now() - started;
    process.stderr.write(`# enterprise-attack 17.1 to 18.1 changelog: ${Math.round(elapsed)} ms\n`);

    enterpriseWithUnchanged = await buildChangelog(t.store, 'enterprise-attack', '17.1', '18.1', { includeUnchanged: true });
    revocation = await buildChangelog(t.store, 'enterprise-attack', '16.1', '17.1');
    mobile = await buildChangelog(t.store, 'mobile-attack', '17.1', '18.1', { includeUnchanged: true });

    app = await createTestServer(t);
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  test('major version change T1082', () => {
    const entry = entryOf(enterprise, ENTERPRISE.systemInformationDiscovery);
    assert.equal(entry.category, 'major');
    assert.equal(entry.attackId, 'T1082');
    assert.equal(entry.oldVersion, '2.6');
    assert.equal(entry.newVersion, '3.0');
    assert.equal(entry.comparePath, '/techniques/T1082/compare?from=17.1&to=18.1');
  });

  test('minor version change T1583', () => {
    const entry = entryOf(enterprise, ENTERPRISE.acquireInfrastructure);
    assert.equal(entry.category, 'minor');
    assert.equal(entry.oldVersion, '1.4');
    assert.equal(entry.newVersion, '1.5');
  });

  test('patch T1205.002 under its parent', () => {
    const entry = entryOf(enterprise, ENTERPRISE.socketFilters);
    assert.equal(entry.category, 'patches');
    assert.equal(entry.oldVersion, '1.0');
    assert.equal(entry.newVersion, '1.0');
    assert.equal(entry.parent?.attackId, 'T1205');
    assert.equal(entry.parent?.name, 'Traffic Signaling');
  });

  test('techniques added in 18.0', () => {
    const technique = entryOf(enterprise, ENTERPRISE.poisonedPipeline);
    assert.equal(technique.category, 'additions');
    assert.equal(technique.attackId, 'T1677');
    assert.equal(technique.oldVersion, null);
    const subtechnique = entryOf(enterprise, ENTERPRISE.databases);
    assert.equal(subtechnique.category, 'additions');
    assert.equal(subtechnique.parent?.attackId, 'T1213');
  });

  test('newly deprecated data source', () => {
    const firmware = enterprise.entries.find((entry) => entry.attackId === 'DS0001');
    assert.equal(firmware?.category, 'deprecations');
    assert.equal(firmware?.section, 'datasources');
  });

  test('revoked technique names replacement', () => {
    const entry = entryOf(revocation, ENTERPRISE.dllSideLoading);
    assert.equal(entry.category, 'revocations');
    assert.equal(entry.attackId, 'T1574.002');
    assert.equal(entry.replacement?.attackId, 'T1574.001');
    assert.equal(entry.replacement?.path, '/techniques/T1574/001');
  });

  test('category counts of 17.1 to 18.1 techniques', () => {
    // Counted by hand over attack-pattern objects of both bundles.
    const counts = enterprise.summary.bySection.techniques;
    assert.equal(counts.additions, 12);
    assert.equal(counts.major, 4);
    assert.equal(counts.minor, 58);
    assert.equal(counts.patches, 677);
  });

  test('summary counts equal entries', () => {
    for (const changelog of [enterprise, enterpriseWithUnchanged, revocation, mobile]) {
      assert.equal(changelog.summary.total, changelog.entries.length);
      for (const category of CATEGORIES) {
        const listed = changelog.entries.filter((entry) => entry.category === category).length;
        assert.equal(changelog.summary.byCategory[category], listed, `${category} count`);
        for (const section of SECTIONS) {
          const inSection = changelog.entries.filter((entry) => entry.category === category && entry.section === section).length;
          assert.equal(changelog.summary.bySection[section][category], inSection, `${section} ${category} count`);
        }
      }
    }
    assert.equal(enterprise.summary.byCategory.unchanged, 0);
    assert.equal(enterprise.summary.unchangedOmitted, enterpriseWithUnchanged.summary.byCategory.unchanged);
  });

  test('JSON matches its schema', () => {
    assert.doesNotThrow(() => changelogSchema.parse(JSON.parse(JSON.stringify(enterprise))));
  });

  test('STIX 2.1 to 2.0 serialization is unchanged', () => {
    assert.equal(entryOf(mobile, MOBILE.carbonSteal).category, 'unchanged');
    assert.equal(entryOf(mobile, MOBILE.useRecentOsVersion).category, 'unchanged');
  });

  test('technique moved between tactics', () => {
    const entry = entryOf(mobile, MOBILE.abuseAccessibility);
    assert.equal(entry.category, 'major');
    assert.deepEqual(entry.tactics?.old.map((tactic) => tactic.shortname), ['collection', 'credential-access', 'defense-evasion', 'impact']);
    assert.deepEqual(entry.tactics?.new.map((tactic) => tactic.tactic?.attackId), ['TA0035', 'TA0031']);
    assert.ok(mobile.tacticMoves.some((move) => move.stixId === MOBILE.abuseAccessibility));
  });

  test('Markdown lists sub-techniques under parent', () => {
    const markdown = renderChangelogMarkdown(enterprise);
    assert.match(markdown, /^# Changes to Enterprise ATT&CK from 17\.1 to 18\.1$/m);
    assert.match(markdown, /^## Major version changes$/m);
    assert.match(markdown, /^\* \[T1082: System Information Discovery\]\(\/techniques\/T1082\) \(v2\.6 → v3\.0\)/m);
    assert.match(markdown, /^\* \*T1213: Data from Information Repositories\* \(parent technique\)\n {2}\* \[T1213\.006: Databases\]/m);
  });

  test('diff prints valid Navigator layer', async () => {
    const output = await runDiff(t.dir, ['enterprise-attack', '17.1', '18.1', '--format', 'layer']);
    const layer = JSON.parse(output) as ReturnType<typeof renderNavigatorLayer>;
    assert.equal(typeof layer.name, 'string');
    assert.ok(layer.name.length > 0);
    assert.equal(layer.domain, 'enterprise-attack');
    assert.equal(layer.versions.layer, '4.5');
    assert.equal(layer.versions.attack, '18');
    assert.ok(Array.isArray(layer.techniques));
    assert.ok(layer.techniques.length > 0);
    for (const technique of layer.techniques) assert.match(technique.techniqueID, /^T\d{4}(\.\d{3})?$/);
    assert.ok(layer.legendItems.length > 0);
    for (const item of layer.legendItems) assert.match(item.color, /^#[0-9a-f]{6}$/);
    const t1082 = layer.techniques.find((technique) => technique.techniqueID === 'T1082');
    assert.equal(t1082?.color, layer.legendItems.find((item) => item.label === 'Major version changes')?.color);
  });

  test('diff names missing release', async () => {
    await assert.rejects(runDiff(t.dir, ['enterprise-attack', '17.1', '18.0']), /Release 18\.0 of enterprise-attack is not imported\. Imported enterprise-attack releases: 16\.1, 17\.1, 18\.1\./);
  });

  test('HTML changelog page', async () => {
    const response = await app.inject({ method: 'GET', url: '/changes/enterprise-attack/17.1...18.1' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /<svg[^>]*role="img"/);
    assert.match(response.body, /16\.1\u219217\.1/);
    assert.match(response.body, /href="\/techniques\/T1082\/compare\?from=17\.1&amp;to=18\.1"/);
  });

  test('JSON, Markdown and layer formats', async () => {
    const json = await app.inject({ method: 'GET', url: '/changes/mobile-attack/17.1...18.1?format=json&unchanged=1' });
    assert.equal(json.statusCode, 200);
    assert.equal((json.json() as Changelog).summary.total, mobile.summary.total);
    const markdown = await app.inject({ method: 'GET', url: '/changes/mobile-attack/17.1...18.1?format=md' });
    assert.match(markdown.headers['content-type'] as string, /^text\/markdown/);
    const layer = await app.inject({ method: 'GET', url: '/changes/mobile-attack/17.1...18.1?format=layer' });
    assert.equal((layer.json() as { domain: string }).domain, 'mobile-attack');
    const bad = await app.inject({ method: 'GET', url: '/changes/mobile-attack/17.1...18.1?format=pdf' });
    assert.equal(bad.statusCode, 400);
  });

  test('unknown release and domain are 404', async () => {
    const release = await app.inject({ method: 'GET', url: '/changes/enterprise-attack/17.1...19.0' });
    assert.equal(release.statusCode, 404);
    assert.match(release.body, /Release 19\.0 of enterprise-attack is not imported/);
    assert.match(release.body, /<li>16\.1<\/li>/);
    const domain = await app.inject({ method: 'GET', url: '/changes/%3Cscript%3Ealert(1)%3C%2Fscript%3E/17.1...18.1' });
    assert.equal(domain.statusCode, 404);
    assert.doesNotMatch(domain.body, /<script>/);
    assert.match(domain.body, /&lt;script&gt;/);
    assert.match(domain.body, /href="\/changes\/mobile-attack"/);
  });

  test('release index links adjacent pairs', async () => {
    const response = await app.inject({ method: 'GET', url: '/changes/enterprise-attack' });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /href="\/changes\/enterprise-attack\/16\.1\.\.\.17\.1"/);
    assert.match(response.body, /href="\/changes\/enterprise-attack\/17\.1\.\.\.18\.1"/);
  });

  test('Atom feed newest first', async () => {
    const response = await app.inject({ method: 'GET', url: '/changes/enterprise-attack/feed.atom', headers: { host: '127.0.0.1:8080' } });
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/atom\+xml/);
    const titles = [...response.body.matchAll(/<entry>\s*<title type="html"><!\[CDATA\[([^\]]*)\]\]><\/title>/g)].map((match) => match[1]);
    assert.deepEqual(titles, ['Enterprise ATT&CK 18.1', 'Enterprise ATT&CK 17.1', 'Enterprise ATT&CK 16.1']);
    assert.match(response.body, /http:\/\/127\.0\.0\.1:8080\/changes\/enterprise-attack\/17\.1\.\.\.18\.1/);
    assert.match(response.body, /Major version changes: /);
  });
});

/** Runs `glexia diff` against the test store's data directory and returns its standard output. */
async function runDiff(dataDir: string, args: readonly string[]): Promise<string> {
  const program = new Command().option('--data-dir <dir>').exitOverride();
  registerDiffCommand(program);
  const chunks: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stdout.write;
  try {
    await program.parseAsync(['node', 'glexia', '--data-dir', dataDir, 'diff', ...args]);
  } finally {
    process.stdout.write = write;
  }
  return chunks.join('');
}
