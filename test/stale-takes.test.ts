/**
 * Takes in storage and in the take service, on real ICS releases: an import that changes an
 * object turns its published take stale inside the import, and the publication rule holds.
 * ICS 17.1 to 18.0 changes T0850 Role Identification (its `modified` goes from
 * 2025-04-25T15:16:45.157Z to 2025-10-24T17:48:31.492Z) and leaves T0829 Loss of View byte
 * for byte the same, as the two bundles show.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import type { Principal } from '../src/accounts/permissions.js';
import { ForbiddenError } from '../src/errors.js';
import { formatReport } from '../src/import/report.js';
import { SqliteStore } from '../src/storage/sqlite/sqlite-store.js';
import type { TakeRecord } from '../src/storage/team-store.js';
import { NotPublishableError, TakeService, type ActionOrigin } from '../src/takes/take-service.js';
import { createTestStore, importRelease, type TestStore } from './store-support.js';

let t: TestStore;
let service: TakeService;
let reviewer: ActionOrigin;
let analyst: ActionOrigin;
let changedTake: TakeRecord;
let unchangedTake: TakeRecord;

async function stixIdOf(attackId: string): Promise<string> {
  const [object] = await t.store.findByAttackId(attackId, ['attack-pattern']);
  assert.ok(object, `${attackId} is in the library`);
  return object.stixId;
}

async function origin(name: string, role: Principal['role']): Promise<ActionOrigin> {
  const user = await t.store.team.createUser(
    { name, role, passwordHash: 'not-a-real-hash' },
    { actorId: null, actorName: 'test', channel: 'cli', action: 'user.create', subject: `user:${name}`, before: null, after: { name, role }, address: null },
  );
  return { principal: { userId: user.id, name, role, channel: 'cli' }, address: null };
}

async function writeAndPublish(attackId: string, body: string): Promise<TakeRecord> {
  const draft = await service.create(analyst, await stixIdOf(attackId), body);
  const submitted = await service.submit(analyst, draft.id, draft.revision);
  return service.publish(reviewer, submitted.id, submitted.revision);
}

before(async () => {
  t = createTestStore();
  service = new TakeService(t.store);
  await importRelease(t.store, 'ics-attack', '17.1');
  analyst = await origin('ana', 'analyst');
  reviewer = await origin('rey', 'reviewer');
  changedTake = await writeAndPublish('T0850', 'Role identification precedes targeted manipulation.');
  unchangedTake = await writeAndPublish('T0829', 'Loss of view hides the process from operators.');
});

after(async () => {
  await t.cleanup();
});

test('published takes carry reviewer and pin', async () => {
  assert.equal(changedTake.state, 'published');
  assert.equal(changedTake.authorName, 'ana');
  assert.equal(changedTake.reviewerName, 'rey');
  assert.ok(changedTake.validatedAt);
  const object = await t.store.currentSnapshot(changedTake.stixId);
  assert.equal(changedTake.pinnedContentHash, object?.contentHash);
});

test('analyst cannot publish and nothing changes', async () => {
  const stixId = await stixIdOf('T0800');
  const draft = await service.create(analyst, stixId, 'Draft text.');
  const submitted = await service.submit(analyst, draft.id, draft.revision);
  const auditBefore = (await t.store.team.listAudit({ limit: 1000 })).length;

  await assert.rejects(service.publish(analyst, submitted.id, submitted.revision), ForbiddenError);

  const afterRefusal = await t.store.team.takeById(submitted.id);
  assert.equal(afterRefusal?.state, 'submitted');
  assert.equal(afterRefusal?.revision, submitted.revision);
  const entries = await t.store.team.listAudit({ limit: 1000 });
  assert.equal(entries.length, auditBefore + 1, 'only the refusal is recorded');
  assert.equal(entries[0]?.action, 'take.denied');
  await service.withdraw(analyst, submitted.id, submitted.revision);
});

test('import turns the changed take stale', async () => {
  const report = await importRelease(t.store, 'ics-attack', '18.0');
  const [bundle] = report.bundles;
  assert.equal(bundle?.status, 'imported');
  assert.equal(bundle?.staleTakes, 1);
  assert.match(formatReport(report), /analyst takes made stale: 1/);

  assert.equal((await t.store.team.takeById(changedTake.id))?.state, 'stale');
  assert.equal((await t.store.team.takeById(unchangedTake.id))?.state, 'published');
  assert.equal(await service.published(changedTake.stixId), undefined);

  const [entry] = await t.store.team.listAudit({ action: 'take.stale', limit: 10 });
  assert.equal(entry?.subject, `take:${changedTake.id}`);
  assert.equal(entry?.actorName, 'system');
  assert.equal(entry?.channel, 'import');
});

test('stale take needs re-pin to publish', async () => {
  const stale = await service.load(changedTake.id);
  const submitted = await service.submit(analyst, stale.id, stale.revision);

  const error = await service.publish(reviewer, submitted.id, submitted.revision).catch((caught: unknown) => caught);
  assert.ok(error instanceof NotPublishableError);
  assert.equal(error.check.publishable, false);
  const fields = error.check.comparison?.changes.map((change) => change.field) ?? [];
  assert.ok(fields.includes('modified'), `comparison lists modified, got ${fields.join(', ')}`);
  assert.equal(error.check.pinnedRelease?.version, '17.1');
  assert.equal(error.check.currentRelease?.version, '18.0');

  const repinned = await service.repin(reviewer, submitted.id, submitted.revision);
  assert.equal(repinned.pinnedReleaseId, error.check.currentRelease?.id);
  const published = await service.publish(reviewer, repinned.id, repinned.revision);
  assert.equal(published.state, 'published');
});

test('publish rejects a write after an import', async () => {
  const draft = await service.create(analyst, await stixIdOf('T0801'), 'Monitoring process state.');
  const submitted = await service.submit(analyst, draft.id, draft.revision);
  const libraryVersion = await t.store.libraryVersion();
  const audit = { actorId: null, actorName: 'test', channel: 'cli' as const, action: 'take.publish', subject: `take:${draft.id}`, before: null, after: null, address: null };

  const raced = await t.store.team.updateTake(submitted.id, submitted.revision, { state: 'published' }, audit, libraryVersion - 1);
  assert.equal(raced, undefined);
  assert.equal((await t.store.team.takeById(submitted.id))?.state, 'submitted');
});

test('reviewer cannot publish own take', async () => {
  const draft = await service.create(reviewer, await stixIdOf('T0802'), 'Automated collection of process data.');
  const submitted = await service.submit(reviewer, draft.id, draft.revision);

  await assert.rejects(service.publish(reviewer, submitted.id, submitted.revision), /another reviewer must publish it/);
  assert.equal((await t.store.team.takeById(submitted.id))?.state, 'submitted');
  const [denial] = await t.store.team.listAudit({ action: 'take.denied', subject: `take:${submitted.id}`, limit: 1 });
  assert.equal(denial?.actorName, 'rey');

  const solo = new TakeService(t.store, { allowSelfPublish: true });
  const published = await solo.publish(reviewer, submitted.id, submitted.revision);
  assert.equal(published.reviewerName, 'rey');
  const [entry] = await t.store.team.listAudit({ action: 'take.publish', subject: `take:${submitted.id}`, limit: 1 });
  assert.equal((entry?.after as { reviewer?: string }).reviewer, 'rey');
});

test('reviewer cannot publish text they edited', async () => {
  const draft = await service.create(analyst, await stixIdOf('T0804'), 'Brute force of I/O.');
  const rewritten = await service.edit(reviewer, draft.id, draft.revision, 'Rewritten by the reviewer.');
  assert.equal(rewritten.editorName, 'rey');
  assert.equal(rewritten.authorName, 'ana');
  const submitted = await service.submit(analyst, rewritten.id, rewritten.revision);

  await assert.rejects(service.publish(reviewer, submitted.id, submitted.revision), /was last edited by rey, so another reviewer must publish it/);
  assert.equal((await t.store.team.takeById(submitted.id))?.state, 'submitted');
});

test('edit repeating saved text is no conflict', async () => {
  const draft = await service.create(analyst, await stixIdOf('T0803'), 'First wording.');
  const saved = await service.edit(analyst, draft.id, draft.revision, 'Second wording.');
  const again = await service.edit(analyst, draft.id, draft.revision, 'Second wording.');
  assert.equal(again.revision, saved.revision);

  await assert.rejects(service.edit(analyst, draft.id, draft.revision, 'Third wording.'), /at revision 2, but the request was based on revision 1/);
});

test('second open take is a conflict', async () => {
  await assert.rejects(service.create(analyst, unchangedTake.stixId, 'Another view.'), /already has a take/);
});

test('audit log is append-only', () => {
  const db = new Database(t.file);
  try {
    assert.throws(() => db.prepare("UPDATE audit_log SET action = 'edited'").run(), /append-only/);
    assert.throws(() => db.prepare('DELETE FROM audit_log').run(), /append-only/);
  } finally {
    db.close();
  }
});

test('version 3 database is upgraded', async () => {
  // A version 3 copy of this library: the same rows, with the STIX ID in each release_objects row.
  const file = `${t.dir}/old.db`;
  const db = new Database(file);
  db.pragma('page_size = 16384');
  db.exec(readFileSync(join(import.meta.dirname, 'fixtures', 'schema-v3.sql'), 'utf8'));
  db.prepare('ATTACH DATABASE ? AS source').run(t.file);
  for (const table of ['releases', 'object_versions', 'raw_packs', 'raw_objects', 'warning_sets', 'embedded_refs', 'kill_chain_phases']) {
    db.exec(`INSERT INTO main.${table} SELECT * FROM source.${table}`);
  }
  db.exec(`INSERT INTO main.release_objects
    SELECT ro.release_id, ov.stix_id, ro.version_id, ro.raw_id, ro.in_domain, ro.warning_set_id
    FROM source.release_objects ro JOIN source.object_versions ov ON ov.id = ro.version_id`);
  db.exec(`INSERT INTO main.search_index (rowid, attack_id, name, aliases, stix_id, description)
    SELECT rowid, attack_id, name, aliases, stix_id, description FROM source.search_index`);
  db.exec('DETACH DATABASE source');
  db.pragma('user_version = 3');
  db.close();

  const upgraded = new SqliteStore(file);
  try {
    const stixId = await stixIdOf('T0850');
    const expected = await t.store.history(stixId);
    const actual = await upgraded.history(stixId);
    assert.deepEqual(
      actual.map((snapshot) => [snapshot.release.version, snapshot.contentHash, snapshot.raw.toString('utf8')]),
      expected.map((snapshot) => [snapshot.release.version, snapshot.contentHash, snapshot.raw.toString('utf8')]),
    );
    assert.equal(actual.length, 2, 'T0850 is in ICS 17.1 and 18.0');
    assert.equal((await upgraded.currentSnapshot(stixId))?.release.version, '18.0');
    assert.equal(await upgraded.team.countUsers(), 0);
  } finally {
    await upgraded.close();
  }
  const reopened = new Database(file);
  assert.equal(reopened.pragma('user_version', { simple: true }), 4);
  reopened.close();
});
