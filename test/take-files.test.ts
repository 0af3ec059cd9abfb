/**
 * `glexia takes export` and `glexia takes import`, run as commands. Takes written in one library
 * on Enterprise 18.0 and 18.1 go to Markdown files and come back as drafts in a fresh library that
 * contains 18.1 only, and back into the library that wrote them, unchanged or as edits. Files that
 * cannot be used are reported one by one.
 *
 * Enterprise 18.0 to 18.1, read by hand in the two bundles:
 * - T1564.006 Run Virtual Instance (attack-pattern--b5327dd1-6bf9-4785-a199-25bcbd1f4a9d) changes
 *   its description, external references and `modified`, so its 18.0 version is not in 18.1.
 * - T1059.001 PowerShell (attack-pattern--970a3432-3237-47ad-bcca-7d8cbb217736), T1003.001 LSASS
 *   Memory and T1047 Windows Management Instrumentation are the same object in both releases.
 * - The identity "The MITRE Corporation" (identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5) has no
 *   ATT&CK ID and is the same in both.
 * - T1003 names the technique OS Credential Dumping (attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22)
 *   and a deprecated mitigation; T1066 names a revoked technique and a deprecated mitigation.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import type { Principal } from '../src/accounts/permissions.js';
import type { TakeRecord } from '../src/storage/team-store.js';
import { takeFileNames } from '../src/takes/take-files.js';
import { TakeService, type ActionOrigin } from '../src/takes/take-service.js';
import { addUser } from './auth-support.js';
import { createTestStore, importRelease, type TestStore } from './store-support.js';

const ROOT = resolve(import.meta.dirname, '..');

const VIRTUAL_INSTANCE = 'attack-pattern--b5327dd1-6bf9-4785-a199-25bcbd1f4a9d';
const POWERSHELL = 'attack-pattern--970a3432-3237-47ad-bcca-7d8cbb217736';
const LSASS = 'attack-pattern--65f2d882-3f41-4d48-8a06-29af77ec9f90';
const WMI = 'attack-pattern--01a5a209-b94c-450b-b7f9-946497d91055';
const CREDENTIAL_DUMPING = 'attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22';
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
  let sourceOrigins: { alice: ActionOrigin; rita: ActionOrigin };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'glexia-take-files-'));

    source = createTestStore();
    await importRelease(source.store, 'enterprise-attack', '18.0');
    const alice = cliOrigin((await addUser(source.store, 'alice', 'analyst')).user);
    const rita = cliOrigin((await addUser(source.store, 'rita', 'reviewer')).user);
    sourceOrigins = { alice, rita };
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
    assert.deepEqual(readdirSync(dir).sort(), ['T1059.001.md', 'T1564.006.md', `${MITRE}.md`]);
    assert.match(result.stdout, /Wrote 3 take file\(s\)/);
    assert.equal(result.stderr, '', 'a fresh directory has no leftover files to warn about');

    const published = written.get('T1059.001');
    assert.ok(published);
    const text = readFileSync(join(dir, 'T1059.001.md'), 'utf8');
    assert.deepEqual(frontMatterOf(text), {
      attack_id: 'T1059.001',
      stix_id: POWERSHELL,
      take_id: published.id,
      revision: published.revision,
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
    assert.ok(readdirSync(all).includes(`T1003.001.withdrawn-${idOf('T1003.001')}.md`), '--all includes the withdrawn take');
  });

  test('file names by object', () => {
    const take = (id: number, attackId: string | null, stixId: string, state: TakeRecord['state'] = 'draft') => ({ id, attackId, stixId, state });
    const names = takeFileNames([
      take(1, 'T1059.001', POWERSHELL),
      take(2, 'T1003.001', LSASS, 'withdrawn'),
      take(3, null, MITRE),
      take(4, 'T1003', CREDENTIAL_DUMPING),
      take(5, 'T1003', 'course-of-action--aeff5887-8f9e-48d5-a523-9b395e2ce80a'),
      take(6, 'T1059.001', POWERSHELL, 'withdrawn'),
    ]);
    assert.equal(names.get(1), 'T1059.001.md');
    assert.equal(names.get(2), 'T1003.001.withdrawn-2.md');
    assert.equal(names.get(3), `${MITRE}.md`);
    // Two objects share T1003, so each file names its object by STIX ID.
    assert.equal(names.get(4), `${CREDENTIAL_DUMPING}.md`);
    assert.equal(names.get(5), 'course-of-action--aeff5887-8f9e-48d5-a523-9b395e2ce80a.md');
    assert.equal(names.get(6), 'T1059.001.withdrawn-6.md', 'takes on one object share its ATT&CK ID');
  });

  test('import into fresh library', async () => {
    const result = runCli(target.dir, 'takes', 'import', join(work, 'export'), '--as', 'rita');
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, /3 take file\(s\) in .*: 3 imported, 0 updated, 0 unchanged, 0 skipped, 0 not imported\./);

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
    assert.match(result.stdout, /T1059\.001\.md: imported as take \d+ \(draft by alice, pinned to enterprise-attack 18\.1\)/);
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
    const identityLine = lines.findIndex((line) => line.startsWith(`${MITRE}.md:`));
    assert.ok(identityLine >= 0, 'the identity file is reported');
    assert.doesNotMatch(lines[identityLine + 1] ?? '', /note:/);

    const audit = (await target.store.team.listAudit({ action: 'take.create', limit: 10 })).reverse();
    assert.equal(audit.length, 3);
    for (const entry of audit) {
      assert.equal(entry.channel, 'cli');
      assert.equal(entry.actorName, 'rita');
      assert.match(String((entry.after as { importedFrom?: string }).importedFrom), /^(T1059\.001|T1564\.006|identity--[0-9a-f-]+)\.md$/);
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
    file('i-shared-id.md', `${front('attack_id: T1003')}\nCredential dumping, named by an ID that a deprecated mitigation shares.\n`);
    file('j-ambiguous-id.md', `${front('attack_id: T1066')}\nNeither object of this ID is active.\n`);
    file('notes.txt', 'not a take file');
    const before = await target.store.team.listTakes({});

    const result = runCli(target.dir, 'takes', 'import', dir, '--as', 'alice');
    assert.equal(result.status, 1, result.stdout);
    const lineOf = (name: string) => result.stdout.split('\n').find((line) => line.startsWith(`${name}:`)) ?? '';
    assert.match(lineOf('a-good.md'), /imported as take \d+ \(draft by alice/);
    assert.match(lineOf('b-open-take.md'), /not imported: text differs from the open take: T1047 already has take \d+ \(draft\) with other text; import with --update/);
    assert.match(lineOf('c-unknown-object.md'), /not imported: unknown object: no imported release contains attack-pattern--00000000/);
    assert.match(lineOf('d-bad-front-matter.md'), /not imported: invalid front matter: the YAML cannot be parsed/);
    assert.match(lineOf('e-no-front-matter.md'), /not imported: missing front matter/);
    assert.match(lineOf('f-empty-body.md'), /not imported: empty body/);
    assert.match(lineOf('g-unknown-release.md'), /not imported: unknown release: "foo-attack 1\.0"/);
    assert.match(lineOf('h-other-author.md'), /not imported: not allowed: The analyst role cannot write takes in another user's name/);
    assert.match(lineOf('i-shared-id.md'), /imported as take \d+/);
    assert.match(lineOf('j-ambiguous-id.md'), /not imported: unknown object: ATT&CK ID T1066 names several objects/);
    assert.match(lineOf('j-ambiguous-id.md'), /attack-pattern attack-pattern--00d0b012-8a03-410e-95de-5826bf542de6 \(revoked\)/);
    assert.match(lineOf('j-ambiguous-id.md'), /course-of-action course-of-action--4b998a71-7b8f-4dcc-8f3f-277f2e740271 \(deprecated\)\); add stix_id to pick one\./);
    assert.equal(lineOf('notes.txt'), '', 'other files are ignored');
    assert.match(result.stdout, /10 take file\(s\) in .*: 2 imported, 0 updated, 0 unchanged, 0 skipped, 8 not imported\./);
    assert.match(result.stdout, /note: The file has no pinned_content_hash, so the take is pinned to the current version in enterprise-attack 18\.1/);

    const afterImport = await target.store.team.listTakes({});
    assert.equal(afterImport.length, before.length + 2);
    const added = afterImport.filter((take) => !before.some((known) => known.id === take.id)).sort((a, b) => a.id - b.id);
    assert.equal(added[0]?.stixId, WMI);
    assert.equal(added[0]?.body, 'WMI remains the quiet choice for lateral movement.');
    assert.equal(added[1]?.stixId, CREDENTIAL_DUMPING, 'T1003 is the technique, the only active object of that ID');
  });

  test('round trip into the same library', async () => {
    const dir = join(work, 'round-trip');
    assert.equal(runCli(source.dir, 'takes', 'export', dir, '--all').status, 0);
    const before = await source.store.team.listTakes({});

    const unchanged = runCli(source.dir, 'takes', 'import', dir, '--as', 'alice');
    assert.equal(unchanged.status, 0, `${unchanged.stdout}${unchanged.stderr}`);
    const published = written.get('T1059.001');
    const withdrawn = written.get('T1003.001');
    assert.match(unchanged.stdout, new RegExp(`^T1059\\.001\\.md: unchanged: take ${published?.id} \\(published\\) has the same text$`, 'm'));
    assert.match(unchanged.stdout, new RegExp(`^T1003\\.001\\.withdrawn-${withdrawn?.id}\\.md: skipped: the take is withdrawn`, 'm'));
    assert.match(unchanged.stdout, /4 take file\(s\) in .*: 0 imported, 0 updated, 3 unchanged, 1 skipped, 0 not imported\./);
    assert.deepEqual(await source.store.team.listTakes({}), before, 'importing an unchanged export changes nothing');

    const path = join(dir, 'T1059.001.md');
    writeFileSync(path, readFileSync(path, 'utf8').replace('Last line.', 'Last line, edited in git.'), 'utf8');
    const conflict = runCli(source.dir, 'takes', 'import', dir, '--as', 'rita');
    assert.equal(conflict.status, 1);
    assert.match(
      conflict.stdout,
      new RegExp(`^T1059\\.001\\.md: not imported: text differs from the open take: T1059\\.001 already has take ${published?.id} \\(published\\) with other text; import with --update`, 'm'),
    );
    assert.deepEqual(await source.store.team.listTakes({}), before, 'a conflict changes nothing');

    const notAllowed = runCli(source.dir, 'takes', 'import', dir, '--as', 'alice', '--update');
    assert.equal(notAllowed.status, 1);
    assert.match(notAllowed.stdout, /^T1059\.001\.md: not imported: not allowed: Take \d+ is published; only a reviewer can edit it/m);

    const updated = runCli(source.dir, 'takes', 'import', dir, '--as', 'rita', '--update');
    assert.equal(updated.status, 0, `${updated.stdout}${updated.stderr}`);
    assert.match(updated.stdout, new RegExp(`^T1059\\.001\\.md: updated take ${published?.id}, now a draft`, 'm'));
    assert.match(updated.stdout, /note: Take \d+ was published; as a draft again, readers see the pending notice/);
    assert.match(updated.stdout, /0 imported, 1 updated, 2 unchanged, 1 skipped, 0 not imported\./);
    const edited = await source.store.team.takeById(published?.id ?? 0);
    assert.equal(edited?.state, 'draft');
    assert.equal(edited?.body, TRICKY_BODY.replace('Last line.', 'Last line, edited in git.').trimEnd());
    assert.equal(edited?.authorName, 'alice', 'the edit keeps the author');
    const [entry] = await source.store.team.listAudit({ action: 'take.edit', subject: `take:${published?.id}`, limit: 1 });
    assert.equal(entry?.actorName, 'rita');
    assert.equal(entry?.channel, 'cli');
    assert.equal((await source.store.team.listTakes({})).length, before.length, 'no take was added');

    // The file still names the revision it was exported at, so a second --update must not replace the newer text.
    writeFileSync(path, readFileSync(path, 'utf8').replace('edited in git', 'edited in git again'), 'utf8');
    const stale = runCli(source.dir, 'takes', 'import', dir, '--as', 'rita', '--update');
    assert.equal(stale.status, 1);
    assert.match(stale.stdout, new RegExp(`^T1059\\.001\\.md: not imported: take ${published?.id} changed since this file was exported \\(file at revision \\d+, take now at \\d+, last edited by rita\\); export again`, 'm'));
    assert.equal((await source.store.team.takeById(published?.id ?? 0))?.body, edited?.body, 'the newer text is kept');

    const forced = runCli(source.dir, 'takes', 'import', dir, '--as', 'rita', '--update', '--force');
    assert.equal(forced.status, 0, `${forced.stdout}${forced.stderr}`);
    assert.match((await source.store.team.takeById(published?.id ?? 0))?.body ?? '', /edited in git again/);
  });

  test('export warns about leftovers, --prune deletes them', async () => {
    const dir = join(work, 'prune');
    const takes = new TakeService(source.store);
    const wmi = await takes.create(sourceOrigins.alice, WMI, 'WMI take, withdrawn after the first export.');
    assert.equal(runCli(source.dir, 'takes', 'export', dir).status, 0);
    assert.ok(existsSync(join(dir, 'T1047.md')));
    await takes.withdraw(sourceOrigins.alice, wmi.id, wmi.revision);
    // A file named as an older export named it, and files that are not take files.
    copyFileSync(join(dir, 'T1564.006.md'), join(dir, 'T1564.006-take-7.md'));
    writeFileSync(join(dir, 'README.md'), '# Our takes\n', 'utf8');
    writeFileSync(join(dir, 'post.md'), '---\ntitle: A blog post\nstate: draft\n---\n\nText.\n', 'utf8');

    const warned = runCli(source.dir, 'takes', 'export', dir);
    assert.equal(warned.status, 0, warned.stderr);
    assert.match(warned.stderr, /^warning: .* contains 2 take file\(s\) that this export did not write .*: T1047\.md, T1564\.006-take-7\.md\. Pass --prune to delete them\./m);
    assert.ok(existsSync(join(dir, 'T1047.md')), 'without --prune the file stays');

    const pruned = runCli(source.dir, 'takes', 'export', dir, '--prune');
    assert.equal(pruned.status, 0, pruned.stderr);
    assert.match(pruned.stdout, /^Deleted T1047\.md: a take file that is not part of this export\.$/m);
    assert.match(pruned.stdout, /^Deleted T1564\.006-take-7\.md: /m);
    assert.equal(pruned.stderr, '');
    assert.deepEqual(readdirSync(dir).sort(), ['README.md', 'T1059.001.md', 'T1564.006.md', `${MITRE}.md`, 'post.md']);
  });

  test('file system errors name the path', () => {
    const missing = join(work, 'nonexistent');
    const importMissing = runCli(target.dir, 'takes', 'import', missing, '--as', 'alice');
    assert.equal(importMissing.status, 1);
    assert.equal(importMissing.stderr, `glexia: cannot import takes from ${missing}: it does not exist; name the directory that glexia takes export wrote\n`);

    const file = join(work, 'a-file.md');
    writeFileSync(file, 'not a directory\n', 'utf8');
    const importFile = runCli(target.dir, 'takes', 'import', file, '--as', 'alice');
    assert.match(importFile.stderr, /cannot import takes from .*a-file\.md: it is not a directory/);

    const belowFile = runCli(source.dir, 'takes', 'export', join(file, 'takes'));
    assert.equal(belowFile.status, 1);
    assert.equal(belowFile.stderr, `glexia: cannot export takes to ${join(file, 'takes')}: ${file} is a file, not a directory; name a directory\n`);
    const trailingSlash = runCli(source.dir, 'takes', 'export', `${file}/`);
    assert.equal(trailingSlash.stderr, `glexia: cannot export takes to ${file}: it exists and is not a directory; name a directory\n`);

    const blocked = join(work, 'blocked');
    mkdirSync(join(blocked, 'T1059.001.md'), { recursive: true });
    const directoryInTheWay = runCli(source.dir, 'takes', 'export', blocked);
    assert.equal(directoryInTheWay.status, 1);
    assert.match(directoryInTheWay.stderr, /cannot write .*blocked\/T1059\.001\.md \(EISDIR\)/);
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
