/**
 * `glexia takes export` and `glexia takes import`, run as commands. Takes written in one library
 * on Enterprise 18.0 and 18.1 go to Markdown files and come back as drafts in a fresh library that
 * contains 18.1 only. Files that cannot be used are reported one by one.
 *
 * Enterprise 18.0 to 18.1, read by hand in the two bundles:
 * - T1564.006 Run Virtual Instance (attack-pattern--b5327dd1-6bf9-4785-a199-25bcbd1f4a9d) changes
 *   its description, external references and `modified`, so its 18.0 version is not in 18.1.
 * - T1059.001 PowerShell (attack-pattern--970a3432-3237-47ad-bcca-7d8cbb217736), T1003.001 LSASS
 *   Memory and T1047 Windows Management Instrumentation are the same object in both releases.
 * - The identity "The MITRE Corporation" (identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5) has no
 *   ATT&CK ID and is the same in both.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Principal } from '../src/accounts/permissions.js';
import type { TakeRecord } from '../src/storage/team-store.js';
import { TakeService, type ActionOrigin } from '../src/takes/take-service.js';
import { addUser } from './auth-support.js';
import { createTestStore, importRelease, type TestStore } from './store-support.js';

const ROOT = resolve(import.meta.dirname, '..');

const VIRTUAL_INSTANCE = 'attack-pattern--b5327dd1-6bf9-4785-a199-25bcbd1f4a9d';
const POWERSHELL = 'attack-pattern--970a3432-3237-47ad-bcca-7d8cbb217736';
const LSASS = 'attack-pattern--65f2d882-3f41-4d48-8a06-29af77ec9f90';
const WMI = 'attack-pattern--01a5a209-b94c-450b-b7f9-946497d91055';
const MITRE = 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5';

/** A body with the things a file format can break: a `---` line, a code block, non-ASCII text and trailing blank lines. */
const TRICKY_BODY = 'First paragraph, with “quotes” and ü.\n\n---\n\n```powershell\npowershell -enc SQBFAFgA\n```\n\nLast line.\n\n';

function runCli(dataDir: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dataDir, '--log-level', 'silent', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function cliOrigin(user: { id: number; name: string; role: Principal['role'] }): ActionOrigin {
  return { principal: { userId: user.id, name: user.name, role: user.role, channel: 'cli' }, address: null };
}

function frontMatterOf(text: string): Record<string, unknown> {
  const match = /^---\n([\s\S]*?)\n---\n/.exec(text);
  assert.ok(match, 'the file starts with front matter');
  return parseYaml(match[1] ?? '') as Record<string, unknown>;
}

describe('take files', () => {
  let source: TestStore;
  let target: TestStore;
  let work: string;
  const written = new Map<string, TakeRecord>();

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'glexia-take-files-'));

    source = createTestStore();
    await importRelease(source.store, 'enterprise-attack', '18.0');
    const alice = cliOrigin((await addUser(source.store, 'alice', 'analyst')).user);
    const rita = cliOrigin((await addUser(source.store, 'rita', 'reviewer')).user);
    const takes = new TakeService(source.store);

    const changed = await takes.create(alice, VIRTUAL_INSTANCE, 'Virtual instances hide payloads from host EDR.');
    written.set('T1564.006', await takes.submit(alice, changed.id, changed.revision));
    const unchanged = await takes.create(alice, POWERSHELL, TRICKY_BODY);
    const submitted = await takes.submit(alice, unchanged.id, unchanged.revision);
    written.set('T1059.001', await takes.publish(rita, submitted.id, submitted.revision));
    const withdrawn = await takes.create(alice, LSASS, 'Dumping LSASS memory needs SeDebugPrivilege.');
    written.set('T1003.001', await takes.withdraw(alice, withdrawn.id, withdrawn.revision));

    await importRelease(source.store, 'enterprise-attack', '18.1');
    written.set(MITRE, await takes.create(rita, MITRE, 'MITRE maintains ATT&CK.'));

    target = createTestStore();
    await importRelease(target.store, 'enterprise-attack', '18.1');
    await addUser(target.store, 'alice', 'analyst');
    await addUser(target.store, 'rita', 'reviewer');
  });
  after(async () => {
    await source.cleanup();
    await target.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  test('export writes open takes', () => {
    const dir = join(work, 'export');
    const result = runCli(source.dir, 'takes', 'export', dir);
    assert.equal(result.status, 0, result.stderr);
    const idOf = (key: string) => written.get(key)?.id;
    assert.deepEqual(readdirSync(dir).sort(), [
      `T1059.001-take-${idOf('T1059.001')}.md`,
      `T1564.006-take-${idOf('T1564.006')}.md`,
      `${MITRE}-take-${idOf(MITRE)}.md`,
    ]);
    assert.match(result.stdout, /Wrote 3 take file\(s\)/);

    const published = written.get('T1059.001');
    assert.ok(published);
    const text = readFileSync(join(dir, `T1059.001-take-${published.id}.md`), 'utf8');
    assert.deepEqual(frontMatterOf(text), {
      attack_id: 'T1059.001',
      stix_id: POWERSHELL,
      pinned_content_hash: published.pinnedContentHash,
      release: { domain: 'enterprise-attack', version: '18.0' },
      state: 'published',
      author: 'alice',
      reviewer: 'rita',
      validated_at: published.validatedAt,
    });
    assert.ok(text.endsWith(`---\n\n${TRICKY_BODY}`), 'the body follows the front matter unchanged');

    const all = join(work, 'export-all');
    assert.equal(runCli(source.dir, 'takes', 'export', all, '--all').status, 0);
    assert.ok(readdirSync(all).includes(`T1003.001-take-${idOf('T1003.001')}.md`), '--all includes the withdrawn take');
  });

  test('import into fresh library', async () => {
    const result = runCli(target.dir, 'takes', 'import', join(work, 'export'), '--as', 'rita');
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /Imported 3 of 3 take file\(s\)/);

    const imported = await target.store.team.listTakes({});
    const releases = new Map((await target.store.listReleases()).map((release) => [release.id, release]));
    const byObject = new Map(imported.map((take) => [take.stixId, take]));
    assert.equal(imported.length, 3);
    for (const take of imported) {
      assert.equal(take.state, 'draft');
      assert.equal(releases.get(take.pinnedReleaseId)?.version, '18.1', `${take.stixId} is pinned to the only release`);
    }

    const powershell = byObject.get(POWERSHELL);
    assert.equal(powershell?.body, TRICKY_BODY.trimEnd());
    assert.equal(powershell?.authorName, 'alice');
    // Its 18.0 version is the same object as in 18.1, so the pin keeps the content hash.
    assert.equal(powershell?.pinnedContentHash, written.get('T1059.001')?.pinnedContentHash);
    assert.match(result.stdout, /T1059\.001-take-\d+\.md: imported as take \d+ \(draft by alice, pinned to enterprise-attack 18\.1\)/);
    assert.match(result.stdout, /does not hold release enterprise-attack 18\.0, so the take is pinned to the same version/);
    assert.match(result.stdout, /The take was published and is imported as a draft/);

    // The 18.0 version of T1564.006 is not in 18.1: the take is pinned to the current version instead.
    const changed = byObject.get(VIRTUAL_INSTANCE);
    assert.equal(changed?.authorName, 'alice');
    assert.notEqual(changed?.pinnedContentHash, written.get('T1564.006')?.pinnedContentHash);
    assert.equal(changed?.pinnedContentHash, (await target.store.currentSnapshot(VIRTUAL_INSTANCE))?.contentHash);
    assert.match(result.stdout, /does not hold the version with content hash [0-9a-f]{12} \(from enterprise-attack 18\.0\), so the take is pinned to the current version/);

    // The identity's take was pinned to 18.1, which this library contains, so no note is printed.
    assert.equal(byObject.get(MITRE)?.authorName, 'rita');
    assert.equal(byObject.get(MITRE)?.attackId, null);
    assert.equal(byObject.get(MITRE)?.pinnedContentHash, written.get(MITRE)?.pinnedContentHash);
    const lines = result.stdout.split('\n');
    const identityLine = lines.findIndex((line) => line.startsWith(`${MITRE}-take-`));
    assert.ok(identityLine >= 0, 'the identity file is reported');
    assert.doesNotMatch(lines[identityLine + 1] ?? '', /note:/);

    const audit = (await target.store.team.listAudit({ action: 'take.create', limit: 10 })).reverse();
    assert.equal(audit.length, 3);
    for (const entry of audit) {
      assert.equal(entry.channel, 'cli');
      assert.equal(entry.actorName, 'rita');
      assert.match(String((entry.after as { importedFrom?: string }).importedFrom), /-take-\d+\.md$/);
    }
  });

  test('import reports each bad file', async () => {
    const dir = join(work, 'mixed');
    mkdirSync(dir);
    const file = (name: string, text: string) => writeFileSync(join(dir, name), text, 'utf8');
    const front = (fields: string) => `---\n${fields}\n---\n`;
    file('a-good.md', `${front('attack_id: T1047\nauthor: alice\nstate: draft')}\nWMI remains the quiet choice for lateral movement.\n`);
    file('b-open-take.md', `${front(`stix_id: ${WMI}`)}\nA second take on the same object.\n`);
    file('c-unknown-object.md', `${front('stix_id: attack-pattern--00000000-0000-4000-8000-000000000000')}\nText.\n`);
    file('d-bad-front-matter.md', `${front(`stix_id: [${LSASS}`)}\nText.\n`);
    file('e-no-front-matter.md', 'Just a note without front matter.\n');
    file('f-empty-body.md', `${front(`stix_id: ${LSASS}`)}\n\n  \n`);
    file('g-unknown-release.md', `${front(`stix_id: ${LSASS}\nrelease:\n  domain: foo-attack\n  version: "1.0"`)}\nText.\n`);
    file('h-other-author.md', `${front(`stix_id: ${LSASS}\nauthor: rita`)}\nWritten by the reviewer.\n`);
    file('notes.txt', 'not a take file');
    const before = await target.store.team.listTakes({});

    const result = runCli(target.dir, 'takes', 'import', dir, '--as', 'alice');
    assert.equal(result.status, 1, result.stdout);
    const lineOf = (name: string) => result.stdout.split('\n').find((line) => line.startsWith(`${name}:`)) ?? '';
    assert.match(lineOf('a-good.md'), /imported as take \d+ \(draft by alice/);
    assert.match(lineOf('b-open-take.md'), /not imported: object already has an open take: T1047 already has a take \(take \d+, draft\)/);
    assert.match(lineOf('c-unknown-object.md'), /not imported: unknown object: no imported release contains attack-pattern--00000000/);
    assert.match(lineOf('d-bad-front-matter.md'), /not imported: invalid front matter: the YAML cannot be parsed/);
    assert.match(lineOf('e-no-front-matter.md'), /not imported: missing front matter/);
    assert.match(lineOf('f-empty-body.md'), /not imported: empty body/);
    assert.match(lineOf('g-unknown-release.md'), /not imported: unknown release: "foo-attack 1\.0"/);
    assert.match(lineOf('h-other-author.md'), /not imported: not allowed: The analyst role cannot write takes in another user's name/);
    assert.equal(lineOf('notes.txt'), '', 'other files are ignored');
    assert.match(result.stdout, /Imported 1 of 8 take file\(s\)/);
    assert.match(result.stdout, /note: The file has no pinned_content_hash, so the take is pinned to the current version in enterprise-attack 18\.1/);

    const afterImport = await target.store.team.listTakes({});
    assert.equal(afterImport.length, before.length + 1);
    const added = afterImport.find((take) => !before.some((known) => known.id === take.id));
    assert.equal(added?.stixId, WMI);
    assert.equal(added?.body, 'WMI remains the quiet choice for lateral movement.');
  });

  test('import needs an existing user', () => {
    const result = runCli(target.dir, 'takes', 'import', join(work, 'export'), '--as', 'nobody');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /there is no user named "nobody"/);
  });

  test('export to uncreatable directory fails', () => {
    // Node 20's recursive mkdir never returns for such a path, so a regression would hang without the timeout.
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', source.dir, '--log-level', 'silent', 'takes', 'export', '/proc/glexia-missing/takes'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(result.signal, null, 'the export ends by itself');
    assert.equal(result.status, 1);
    assert.match(result.stderr, /cannot create the directory \/proc\/glexia-missing \(ENOENT\)/);
  });
});
