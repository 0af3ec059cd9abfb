/**
 * The analyst take lifecycle through the web pages, on real Enterprise releases. An analyst
 * writes and submits takes, a reviewer publishes them, and readers see them. An import of the
 * next release then turns the take on a changed object stale, and the reviewer compares,
 * re-pins and publishes it again.
 *
 * Enterprise 18.0 to 18.1, read by hand in the two bundles:
 * - T1564.006 Run Virtual Instance (attack-pattern--b5327dd1-6bf9-4785-a199-25bcbd1f4a9d) changes:
 *   `modified` goes from 2025-10-24T17:49:15.607Z to 2025-11-05T15:22:05.269Z, the description
 *   gains "(Citation: ITOCHU Hack the Sandbox)(Citation: ITOCHU Sandbox PPT)", and
 *   `external_references` gains those two entries and loses "Shadowbunny VM Defense Evasion".
 * - T1199 Trusted Relationship (attack-pattern--9fa07bef-9c81-421e-a8e5-ad4366c5a925) changes
 *   `modified` (2025-10-24T17:49:09.835Z to 2025-11-12T15:42:52.705Z) and
 *   `x_mitre_attack_spec_version` (3.2.0 to 3.3.0) only.
 * - T1047 Windows Management Instrumentation (attack-pattern--01a5a209-b94c-450b-b7f9-946497d91055)
 *   is the same object in both.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { ReleaseInfo } from '../src/storage/store.js';
import { TakeService } from '../src/takes/take-service.js';
import { addUser, signIn } from './auth-support.js';
import { createTestServer, createTestStore, importRelease, type TestStore } from './support.js';

const CHANGED = { attackId: 'T1564.006', path: '/techniques/T1564/006', stixId: 'attack-pattern--b5327dd1-6bf9-4785-a199-25bcbd1f4a9d' };
const SUBMITTED_ONLY = { attackId: 'T1199', path: '/techniques/T1199', stixId: 'attack-pattern--9fa07bef-9c81-421e-a8e5-ad4366c5a925' };
const UNCHANGED = { attackId: 'T1047', path: '/techniques/T1047', stixId: 'attack-pattern--01a5a209-b94c-450b-b7f9-946497d91055' };

const CHANGED_TEXT = 'Virtual instances hide payloads from host EDR; hunt for unexpected hypervisor installs.';
const SUBMITTED_TEXT = 'Trusted third parties are the usual way in for managed service providers.';
const UNCHANGED_TEXT = 'WMI remains the quiet lateral movement choice; log WMI-Activity event 5861.';

interface Session {
  cookie: string;
  csrfToken: string;
}

let t: TestStore;
let app: FastifyInstance;
let analyst: Session;
let reviewer: Session;
let release180: ReleaseInfo;
let release181: ReleaseInfo;
const takeIds = new Map<string, number>();

function get(url: string, session?: Session): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: session ? { cookie: session.cookie } : {} });
}

function post(url: string, session: Session, fields: Record<string, string>): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: session.csrfToken, ...fields }).toString(),
  });
}

/** Returns the revision in the first hidden `revision` field of a take page. */
function revisionOf(page: string): string {
  const revision = /name="revision" value="(\d+)"/.exec(page)?.[1];
  assert.ok(revision, 'the page has a revision field');
  return revision;
}

/** Returns the HTML of the object page's analyst take section. */
function takeSection(page: string): string {
  const match = /<section id="analyst-take"[\s\S]*?<\/section>/.exec(page);
  assert.ok(match, 'the page has an analyst take section');
  return match[0];
}

function takeIdOf(key: string): number {
  const id = takeIds.get(key);
  assert.ok(id !== undefined, `a take on ${key} was created`);
  return id;
}

async function writeTake(session: Session, object: { stixId: string; path: string }, body: string): Promise<number> {
  const objectPage = await get(object.path, session);
  assert.equal(objectPage.statusCode, 200);
  const newPath = `/takes/new?object=${encodeURIComponent(object.stixId)}`;
  assert.ok(takeSection(objectPage.body).includes(`href="${newPath.replace('&', '&amp;')}"`), 'the object page links "Write a take"');

  const form = await get(newPath, session);
  assert.equal(form.statusCode, 200);
  assert.match(form.body, /<textarea id="take-body" name="body"/);

  const created = await post('/takes', session, { object: object.stixId, body, intent: 'save' });
  assert.equal(created.statusCode, 303, created.body.slice(0, 500));
  const id = /^\/takes\/(\d+)\?done=created$/.exec(String(created.headers.location))?.[1];
  assert.ok(id, `redirects to the new take, not ${created.headers.location}`);
  return Number(id);
}

async function submitTake(session: Session, id: number): Promise<void> {
  const page = await get(`/takes/${id}`, session);
  assert.equal(page.statusCode, 200);
  const submitted = await post(`/takes/${id}/submit`, session, { revision: revisionOf(page.body) });
  assert.equal(submitted.statusCode, 303, submitted.body.slice(0, 500));
  assert.equal(submitted.headers.location, `/takes/${id}?done=submitted`);
}

async function publishTake(session: Session, id: number): Promise<LightMyRequestResponse> {
  const review = await get(`/takes/${id}/review`, session);
  assert.equal(review.statusCode, 200);
  return post(`/takes/${id}/publish`, session, { revision: revisionOf(review.body) });
}

async function contentHash(stixId: string, release: ReleaseInfo): Promise<string> {
  const snapshot = await t.store.snapshot(stixId, release.id);
  assert.ok(snapshot, `${stixId} is in ${release.domain} ${release.version}`);
  return snapshot.contentHash;
}

before(async () => {
  t = createTestStore();
  await importRelease(t.store, 'enterprise-attack', '18.0');
  const found = await t.store.findRelease('enterprise-attack', '18.0');
  assert.ok(found);
  release180 = found;
  app = await createTestServer(t);
  const ana = await addUser(t.store, 'ana', 'analyst');
  const rey = await addUser(t.store, 'rey', 'reviewer');
  analyst = await signIn(app, 'ana', ana.password);
  reviewer = await signIn(app, 'rey', rey.password);
});

after(async () => {
  await app.close();
  await t.cleanup();
});

test('take pages redirect anonymous readers to login', async () => {
  const queue = await get('/takes?state=stale');
  assert.equal(queue.statusCode, 303);
  assert.equal(queue.headers.location, `/login?next=${encodeURIComponent('/takes?state=stale')}`);

  const preview = await app.inject({
    method: 'POST',
    url: '/takes/preview',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'body=hello',
  });
  assert.equal(preview.statusCode, 401);
});

test('object page without take shows no-take notice', async () => {
  const section = takeSection((await get(UNCHANGED.path)).body);
  assert.match(section, /No validated analyst summary exists for this object yet/);
  assert.doesNotMatch(section, /take-team-panel/);
});

test('analyst writes, previews and submits takes', async () => {
  const preview = await post('/takes', analyst, { object: CHANGED.stixId, body: '**Bold preview** text', intent: 'preview' });
  assert.equal(preview.statusCode, 200);
  assert.match(preview.body, /<div id="take-preview-output"><div class="take-body"><p><strong>Bold preview<\/strong> text<\/p>/);
  assert.equal(await t.store.team.takesRevision(), 0, 'a preview stores nothing');

  for (const [key, object, body] of [
    ['changed', CHANGED, CHANGED_TEXT],
    ['submitted-only', SUBMITTED_ONLY, SUBMITTED_TEXT],
    ['unchanged', UNCHANGED, UNCHANGED_TEXT],
  ] as const) {
    const id = await writeTake(analyst, object, body);
    takeIds.set(key, id);
    const page = await get(`/takes/${id}?done=created`, analyst);
    assert.match(page.body, /The draft is saved and pinned to the current version of the object/);
    assert.match(page.body, /take-state-draft">draft</);
    await submitTake(analyst, id);
  }

  const take = await new TakeService(t.store).load(takeIdOf('changed'));
  assert.equal(take.state, 'submitted');
  assert.equal(take.authorName, 'ana');
  assert.equal(take.pinnedReleaseId, release180.id);
  assert.equal(take.pinnedContentHash, await contentHash(CHANGED.stixId, release180));
});

test('second take on one object is rejected', async () => {
  const again = await post('/takes', analyst, { object: CHANGED.stixId, body: 'Another take', intent: 'save' });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, new RegExp(`already has a take \\(take ${takeIdOf('changed')}, submitted\\)`));
  assert.match(again.body, /<textarea id="take-body" name="body"[^>]*>Another take<\/textarea>/, 'the form keeps the text');

  const form = await get(`/takes/new?object=${CHANGED.stixId}`, analyst);
  assert.equal(form.statusCode, 303);
  assert.equal(form.headers.location, `/takes/${takeIdOf('changed')}`);
});

test('submitted take stays hidden from readers', async () => {
  const page = await get(CHANGED.path);
  assert.equal(page.statusCode, 200);
  const section = takeSection(page.body);
  assert.match(section, /Pending validation\./);
  assert.match(section, /has not been validated by a reviewer yet/);
  assert.ok(!page.body.includes('hunt for unexpected hypervisor'), 'the unpublished text is not on the page');
  assert.doesNotMatch(section, /take-team-panel/);

  const signedIn = takeSection((await get(CHANGED.path, analyst)).body);
  assert.match(signedIn, /take \d+ by ana is\s+<strong class="take-state take-state-submitted">submitted for review<\/strong>/);
  assert.match(signedIn, new RegExp(`href="/takes/${takeIdOf('changed')}">Edit take`));
  assert.doesNotMatch(signedIn, /Review take/, 'analysts get no review link');
});

test('analyst cannot publish or open review', async () => {
  const id = takeIdOf('changed');
  const review = await get(`/takes/${id}/review`, analyst);
  assert.equal(review.statusCode, 403);
  const page = await get(`/takes/${id}`, analyst);
  const publish = await post(`/takes/${id}/publish`, analyst, { revision: revisionOf(page.body) });
  assert.equal(publish.statusCode, 403);
  assert.match(publish.body, /The analyst role cannot publish takes/);
});

test('reviewer publishes two takes', async () => {
  for (const key of ['changed', 'unchanged']) {
    const id = takeIdOf(key);
    const review = await get(`/takes/${id}/review`, reviewer);
    assert.match(review.body, /<strong>Publishable\.<\/strong>/);
    assert.doesNotMatch(review.body, /id="pinned-vs-current"/, 'no comparison while the pinned version is current');

    const published = await publishTake(reviewer, id);
    assert.equal(published.statusCode, 303, published.body.slice(0, 500));
    assert.equal(published.headers.location, `/takes/${id}/review?done=published`);
  }
});

test('readers see published takes with provenance', async () => {
  for (const [object, text] of [
    [CHANGED, CHANGED_TEXT],
    [UNCHANGED, UNCHANGED_TEXT],
  ] as const) {
    const hash = await contentHash(object.stixId, release180);
    const section = takeSection((await get(object.path)).body);
    assert.ok(section.includes(`<p>${text}</p>`), `${object.attackId} shows its take`);
    assert.match(section, /Written by <strong>ana<\/strong>\./);
    assert.match(section, /Validated by <strong>rey<\/strong> on <time datetime="\d{4}-\d\d-\d\dT[^"]+">/);
    assert.ok(section.includes(`href="/releases/enterprise-attack/18.0${object.path}">enterprise-attack 18.0, content hash <code class="hash" title="${hash}">${hash.slice(0, 12)}<`));
    assert.doesNotMatch(section, /Pending validation/);
  }
  // The take on T1199 was submitted but not published.
  assert.match(takeSection((await get(SUBMITTED_ONLY.path)).body), /Pending validation\./);
});

test('import of next release turns changed take stale', async () => {
  const report = await importRelease(t.store, 'enterprise-attack', '18.1');
  assert.equal(report.bundles[0]?.status, 'imported');
  assert.equal(report.bundles[0]?.staleTakes, 1, 'only the published take on a changed object turns stale');
  const found = await t.store.findRelease('enterprise-attack', '18.1');
  assert.ok(found);
  release181 = found;

  // The objects are the ones the header describes: two changed, one not.
  assert.notEqual(await contentHash(CHANGED.stixId, release180), await contentHash(CHANGED.stixId, release181));
  assert.notEqual(await contentHash(SUBMITTED_ONLY.stixId, release180), await contentHash(SUBMITTED_ONLY.stixId, release181));
  assert.equal(await contentHash(UNCHANGED.stixId, release180), await contentHash(UNCHANGED.stixId, release181));

  const service = new TakeService(t.store);
  assert.equal((await service.load(takeIdOf('changed'))).state, 'stale');
  assert.equal((await service.load(takeIdOf('submitted-only'))).state, 'submitted');
  assert.equal((await service.load(takeIdOf('unchanged'))).state, 'published');

  const changed = await get(CHANGED.path);
  assert.equal(changed.headers['x-cache'], undefined, 'the page cache emptied on import');
  const section = takeSection(changed.body);
  assert.match(section, /Pending validation\./);
  assert.match(section, /validated against\s+the version in enterprise-attack 18\.0, and the object has changed since/);
  assert.ok(!changed.body.includes(CHANGED_TEXT), 'the stale text is not on the page');

  const unchanged = takeSection((await get(UNCHANGED.path)).body);
  assert.ok(unchanged.includes(`<p>${UNCHANGED_TEXT}</p>`));
  assert.match(unchanged, /enterprise-attack 18\.0, content hash/);

  const queue = await get('/takes?state=stale', reviewer);
  assert.equal(queue.statusCode, 200);
  assert.match(queue.body, new RegExp(`<a href="/takes/${takeIdOf('changed')}">Take ${takeIdOf('changed')}</a>`));
  assert.doesNotMatch(queue.body, new RegExp(`>Take ${takeIdOf('unchanged')}<`));
});

test('publishing a take pinned to an old version is rejected', async () => {
  const id = takeIdOf('submitted-only');
  const published = await publishTake(reviewer, id);
  assert.equal(published.statusCode, 409);
  assert.match(published.body, /<strong>Not done:<\/strong> Take \d+ cannot be published: The take is pinned to the version in enterprise-attack 18\.0/);
  assert.match(published.body, /<strong>Not publishable\.<\/strong>/);
  assert.match(published.body, /<td><code>x_mitre_attack_spec_version<\/code><\/td><td>3\.2\.0<\/td><td>3\.3\.0<\/td>/);
  assert.equal((await new TakeService(t.store).load(id)).state, 'submitted');
});

test('review of stale take shows comparison', async () => {
  const review = await get(`/takes/${takeIdOf('changed')}/review`, reviewer);
  assert.equal(review.statusCode, 200);
  const page = review.body;
  assert.match(page, /<strong>Not publishable\.<\/strong>/);
  assert.match(page, /The take is pinned to the version in enterprise-attack 18\.0/);
  assert.match(page, /Only a submitted take can be published; this take is stale\./);
  assert.match(page, /<h2>What changed from the pinned version to the current one<\/h2>/);
  assert.match(page, /<td><code>modified<\/code><\/td><td>2025-10-24T17:49:15\.607Z<\/td><td>2025-11-05T15:22:05\.269Z<\/td>/);
  assert.match(page, /<ins>\(Citation: ITOCHU Hack the Sandbox\)\(Citation: ITOCHU Sandbox PPT\)/);
  assert.match(page, /<li class="compare-item-added"><strong>ITOCHU Hack the Sandbox<\/strong>/);
  assert.match(page, /<li class="compare-item-removed"><strong>Shadowbunny VM Defense Evasion<\/strong>/);
  assert.match(page, /href="\/techniques\/T1564\/006\/compare\?from=enterprise-attack-18\.0&amp;to=enterprise-attack-18\.1"/);
  assert.match(page, /name="confirm" value="yes" required/);
  // MITRE's definition on the review page is the pinned 18.0 version, without the citations 18.1 added.
  const definition = /<section id="definition"[\s\S]*?<\/section>/.exec(page)?.[0];
  assert.ok(definition, 'the review page shows the definition');
  assert.match(definition, /Adversaries may carry out malicious operations using a virtual instance/);
  assert.doesNotMatch(definition, /ITOCHU/);
});

test('re-pin needs the confirmation', async () => {
  const id = takeIdOf('changed');
  const review = await get(`/takes/${id}/review`, reviewer);
  const rejected = await post(`/takes/${id}/repin`, reviewer, { revision: revisionOf(review.body) });
  assert.equal(rejected.statusCode, 400);
  assert.match(rejected.body, /Tick &quot;I have read what changed&quot; before re-pinning/);
  assert.equal((await new TakeService(t.store).load(id)).state, 'stale');
});

test('reviewer re-pins and publishes again', async () => {
  const id = takeIdOf('changed');
  const review = await get(`/takes/${id}/review`, reviewer);
  const repinned = await post(`/takes/${id}/repin`, reviewer, { revision: revisionOf(review.body), confirm: 'yes' });
  assert.equal(repinned.statusCode, 303, repinned.body.slice(0, 500));
  assert.equal(repinned.headers.location, `/takes/${id}/review?done=repinned`);

  const after = await get(`/takes/${id}/review?done=repinned`, reviewer);
  assert.match(after.body, /The take is pinned to the current version of the object\./);
  assert.match(after.body, /<strong>Publishable\.<\/strong>/);
  assert.match(after.body, /take-state-submitted/);

  const published = await publishTake(reviewer, id);
  assert.equal(published.statusCode, 303, published.body.slice(0, 500));

  const hash = await contentHash(CHANGED.stixId, release181);
  const section = takeSection((await get(CHANGED.path)).body);
  assert.ok(section.includes(`<p>${CHANGED_TEXT}</p>`));
  assert.ok(section.includes(`href="/releases/enterprise-attack/18.1${CHANGED.path}">enterprise-attack 18.1, content hash <code class="hash" title="${hash}">`));

  // The release page of 18.0 shows the older version, which the take is no longer validated against.
  const old = takeSection((await get(`/releases/enterprise-attack/18.0${CHANGED.path}`)).body);
  assert.match(old, /validated against <a href="\/releases\/enterprise-attack\/18\.1\/techniques\/T1564\/006">the version in enterprise-attack 18\.1<\/a>/);
  assert.ok(!old.includes(CHANGED_TEXT));
});

test('stale edit conflict keeps author text', async () => {
  const id = takeIdOf('unchanged');
  const page = await get(`/takes/${id}`, analyst);
  const staleRevision = String(Number(revisionOf(page.body)) - 1);
  const response = await post(`/takes/${id}`, analyst, { revision: staleRevision, body: 'My unsaved words', intent: 'save' });
  // A published take can only be edited by a reviewer, and the service checks that before the revision.
  assert.equal(response.statusCode, 403);
  assert.match(response.body, />My unsaved words<\/textarea>/);

  const conflict = await post(`/takes/${id}`, reviewer, { revision: staleRevision, body: 'Reviewer words', intent: 'save' });
  assert.equal(conflict.statusCode, 409);
  assert.match(conflict.body, /changed since it was read/);
  assert.match(conflict.body, />Reviewer words<\/textarea>/);
  assert.equal((await new TakeService(t.store).load(id)).state, 'published');
});
