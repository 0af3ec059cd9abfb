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
 *
 * ATT&CK IDs that name several objects, the same in 18.0 and 18.1:
 * - T1003 is the technique OS Credential Dumping (attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22)
 *   and the deprecated Credential Dumping Mitigation (course-of-action--aeff5887-8f9e-48d5-a523-9b395e2ce80a).
 *   The technique is the same object in both releases; its references include "Powersploit" and
 *   "Brining MimiKatz to Unix", and its `mitre-attack` entry carries the external_id T1003.
 * - T1105 is the technique Ingress Tool Transfer (attack-pattern--e6919abc-99f9-4c6c-95a5-14761e7b2add)
 *   and the deprecated Remote File Copy Mitigation.
 * - T1086 is the revoked technique PowerShell (attack-pattern--f4882e23-8aa7-4b12-b28a-b349c12ee9e0)
 *   and the deprecated PowerShell Mitigation (course-of-action--d0415180-51e9-40ce-b57c-c332b0b441f2):
 *   neither is active.
 * - No object has the ATT&CK ID T9999.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ReleaseInfo } from '../src/storage/store.js';
import { TakeService } from '../src/takes/take-service.js';
import { addUser, signIn } from './auth-support.js';
import { createTestServer, createTestStore, importRelease, type TestStore } from './support.js';

const CHANGED = { attackId: 'T1564.006', path: '/techniques/T1564/006', stixId: 'attack-pattern--b5327dd1-6bf9-4785-a199-25bcbd1f4a9d' };
const SUBMITTED_ONLY = { attackId: 'T1199', path: '/techniques/T1199', stixId: 'attack-pattern--9fa07bef-9c81-421e-a8e5-ad4366c5a925' };
const UNCHANGED = { attackId: 'T1047', path: '/techniques/T1047', stixId: 'attack-pattern--01a5a209-b94c-450b-b7f9-946497d91055' };
const CREDENTIAL_DUMPING = { attackId: 'T1003', path: '/techniques/T1003', stixId: 'attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22' };
const CREDENTIAL_MITIGATION = 'course-of-action--aeff5887-8f9e-48d5-a523-9b395e2ce80a';
const INGRESS_TOOL_TRANSFER = 'attack-pattern--e6919abc-99f9-4c6c-95a5-14761e7b2add';
const POWERSHELL_TECHNIQUE = 'attack-pattern--f4882e23-8aa7-4b12-b28a-b349c12ee9e0';
const POWERSHELL_MITIGATION = 'course-of-action--d0415180-51e9-40ce-b57c-c332b0b441f2';

const CHANGED_TEXT = 'Virtual instances hide payloads from host EDR; hunt for unexpected hypervisor installs.';
const SUBMITTED_TEXT = 'Trusted third parties are the usual way in for managed service providers.';
const UNCHANGED_TEXT = 'WMI remains the quiet lateral movement choice; log WMI-Activity event 5861.';
const CREDENTIAL_TEXT = 'LSASS access is the signal (Citation: Powersploit). See also (Citation: NoSuchRef).';
const AUTHOR_TEXT = 'Author rewrite: watch **LSASS** handles (Citation: NoSuchRef).';
const REVIEWER_TEXT = 'Reviewer rewrite: **DCSync** from non-DC hosts (Citation: AdSecurity DCSync Sept 2015).';

interface Session {
  cookie: string;
  csrfToken: string;
}

let t: TestStore;
let app: FastifyInstance;
let analyst: Session;
let reviewer: Session;
/** A second analyst, who did not write the takes of this file. */
let otherAnalyst: Session;
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

/** Returns the revision in the editor form of a take page. */
function editorRevisionOf(page: string): string {
  const form = /<form id="take-editor-form"[\s\S]*?<\/form>/.exec(page)?.[0];
  assert.ok(form, 'the page has the editor form');
  return revisionOf(form);
}

/** Returns the HTML of the page section with this id. */
function sectionOf(page: string, id: string): string {
  const match = new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(page);
  assert.ok(match, `the page has section ${id}`);
  return match[0];
}

/** Returns the text of the page's text box `id`, as the HTML contains it. */
function textBoxOf(page: string, id: string): string {
  const text = new RegExp(`<textarea id="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(page)?.[1];
  assert.ok(text !== undefined, `the page has text box ${id}`);
  return text;
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
  const nia = await addUser(t.store, 'nia', 'analyst');
  analyst = await signIn(app, 'ana', ana.password);
  reviewer = await signIn(app, 'rey', rey.password);
  otherAnalyst = await signIn(app, 'nia', nia.password);
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
  const id = takeIdOf('changed');
  const again = await post('/takes', analyst, { object: CHANGED.stixId, body: 'Another take', intent: 'save' });
  assert.equal(again.statusCode, 409);
  assert.match(again.body, new RegExp(`T1564\\.006 already has a take: <a href="/takes/${id}">take ${id}</a> by ana,\\s+submitted for review\\.`));
  assert.match(again.body, /<textarea id="take-body" name="body"[^>]*>Another take<\/textarea>/, 'the form keeps the text');

  const form = await get(`/takes/new?object=${CHANGED.stixId}`, analyst);
  assert.equal(form.statusCode, 303);
  assert.equal(form.headers.location, `/takes/${takeIdOf('changed')}?done=exists`);
});

test('new take accepts ATT&CK IDs', async () => {
  // T1003 names the technique and a deprecated mitigation. The editor takes the technique, however the ID is typed.
  for (const typed of ['T1003', 't1003', ' T1003 ']) {
    const form = await get(`/takes/new?object=${encodeURIComponent(typed)}`, analyst);
    assert.equal(form.statusCode, 200, `${typed}: ${form.body.slice(0, 300)}`);
    assert.match(form.body, /<h1>Write a take on T1003: OS Credential Dumping<\/h1>/);
    assert.ok(form.body.includes(`<input type="hidden" name="object" value="${CREDENTIAL_DUMPING.stixId}">`), `${typed} resolves to the technique`);
  }
  const subTechnique = await get('/takes/new?object=t1564/006', analyst);
  assert.equal(subTechnique.statusCode, 303, 'the sub-technique already has a take');
  assert.equal(subTechnique.headers.location, `/takes/${takeIdOf('changed')}?done=exists`);

  const created = await post('/takes', analyst, { object: 'T1003', body: CREDENTIAL_TEXT, intent: 'save' });
  assert.equal(created.statusCode, 303, created.body.slice(0, 500));
  const id = Number(/^\/takes\/(\d+)\?done=created$/.exec(String(created.headers.location))?.[1]);
  assert.ok(id > 0, `redirects to the new take, not ${created.headers.location}`);
  takeIds.set('credential', id);
  const take = await new TakeService(t.store).load(id);
  assert.equal(take.stixId, CREDENTIAL_DUMPING.stixId);
  assert.notEqual(take.stixId, CREDENTIAL_MITIGATION);
  assert.equal(take.attackId, 'T1003');
});

test('ambiguous ATT&CK ID offers a choice', async () => {
  const choice = await get('/takes/new?object=T1086', analyst);
  assert.equal(choice.statusCode, 200);
  assert.match(choice.body, /ATT&amp;CK ID T1086 names 2 objects, and all of them are deprecated or revoked: choose the object of the take\./);
  assert.ok(choice.body.includes(`<a href="/takes/new?object=${encodeURIComponent(POWERSHELL_TECHNIQUE)}">Write a take on T1086: PowerShell</a>`));
  assert.ok(choice.body.includes(`<a href="/takes/new?object=${encodeURIComponent(POWERSHELL_MITIGATION)}">Write a take on T1086: PowerShell Mitigation</a>`));

  // A posted take keeps its text on the choice page, and each choice sends it on to the editor.
  const posted = await post('/takes', analyst, { object: 'T1086', body: 'PowerShell notes', intent: 'save' });
  assert.equal(posted.statusCode, 409);
  assert.match(posted.body, /<textarea id="take-body" name="body" rows="12">PowerShell notes<\/textarea>/);
  assert.ok(posted.body.includes(`name="object" value="${POWERSHELL_TECHNIQUE}" required>`));
  assert.ok(posted.body.includes(`name="object" value="${POWERSHELL_MITIGATION}" required>`));
  assert.match(posted.body, /<button type="submit" name="intent" value="preview">Open the editor with this text<\/button>/);

  const chosen = await post('/takes', analyst, { object: POWERSHELL_MITIGATION, body: 'PowerShell notes', intent: 'preview' });
  assert.equal(chosen.statusCode, 200);
  assert.match(chosen.body, /<h1>Write a take on T1086: PowerShell Mitigation<\/h1>/);
  assert.match(chosen.body, /<textarea id="take-body" name="body"[^>]*>PowerShell notes<\/textarea>/);
  assert.equal((await new TakeService(t.store).open(POWERSHELL_MITIGATION)), undefined, 'nothing is saved');
});

test('unknown object IDs are named as typed', async () => {
  const attackId = await get('/takes/new?object=T9999', analyst);
  assert.equal(attackId.statusCode, 404);
  assert.match(attackId.body, /No imported release contains an object with ATT&amp;CK ID T9999\./);

  const unknownStixId = 'attack-pattern--00000000-0000-4000-8000-000000000000';
  const stixId = await get(`/takes/new?object=${unknownStixId}`, analyst);
  assert.equal(stixId.statusCode, 404);
  assert.ok(stixId.body.includes(`No imported release contains an object with STIX ID ${unknownStixId}.`));

  const neither = await get('/takes/new?object=powershell', analyst);
  assert.equal(neither.statusCode, 400);
  assert.match(neither.body, /&quot;powershell&quot; is neither an ATT&amp;CK ID nor a STIX ID/);

  // A posted take keeps its text, with the ID in a field to correct.
  const posted = await post('/takes', analyst, { object: 'T9999', body: 'Text to keep', intent: 'save' });
  assert.equal(posted.statusCode, 404);
  assert.match(posted.body, /No imported release contains an object with ATT&amp;CK ID T9999\./);
  assert.match(posted.body, /<input id="take-object" name="object" value="T9999" required>/);
  assert.match(posted.body, />Text to keep<\/textarea>/);
});

test('empty take is rejected beside the text box', async () => {
  const created = await post('/takes', analyst, { object: UNCHANGED.stixId, body: '  \n ', intent: 'save' });
  assert.equal(created.statusCode, 400);
  assert.match(created.body, /<p id="take-body-error" class="take-field-error">The take is empty: write your analysis in the &quot;Take in Markdown&quot; box\.<\/p>/);
  assert.match(created.body, /<textarea id="take-body" name="body"[^>]*aria-describedby="take-body-help take-body-error" aria-invalid="true"/);
  assert.doesNotMatch(created.body, /&quot;body&quot; field/, 'the message names the box, not the API field');

  const id = takeIdOf('credential');
  const page = await get(`/takes/${id}`, analyst);
  const edited = await post(`/takes/${id}`, analyst, { revision: revisionOf(page.body), body: '', intent: 'save' });
  assert.equal(edited.statusCode, 400);
  assert.match(edited.body, /id="take-body-error"/);
  assert.equal((await new TakeService(t.store).load(id)).body, CREDENTIAL_TEXT);
});

test('preview warns of unknown citations', async () => {
  const preview = await post('/takes/preview', analyst, { body: CREDENTIAL_TEXT, take: String(takeIdOf('credential')) });
  assert.equal(preview.statusCode, 200);
  const warning = /<div class="notice take-warning">[\s\S]*?<\/div>/.exec(preview.body)?.[0];
  assert.ok(warning, 'the preview warns');
  assert.match(warning, /1 citation matches no reference of T1003: OS Credential Dumping in\s+enterprise-attack 18\.0/);
  assert.match(warning, /<code>\(Citation: NoSuchRef\)<\/code>/);
  assert.doesNotMatch(warning, /<code>\(Citation: Powersploit\)<\/code>/, 'a known reference is not listed');
  assert.match(warning, /<a href="#references">References<\/a>/);
  assert.match(warning, /<li>Brining MimiKatz to Unix<\/li>/);
  assert.doesNotMatch(warning, /<li>mitre-attack<\/li>/, 'the ATT&CK ID entry is not a source');
  assert.match(preview.body, /is the signal <sup class="cite"><a href="#preview-ref-1" id="preview-cite-1-1">\[1\]<\/a><\/sup>/);

  const editor = await get(`/takes/${takeIdOf('credential')}`, analyst);
  assert.match(sectionOf(editor.body, 'references'), /<h2>References<\/h2>/, 'the warning links a section of the page');
  assert.match(editor.body, /<div id="take-preview-output"><div class="notice take-warning">/);
});

test('edit conflict keeps the newer version', async () => {
  const service = new TakeService(t.store);
  const id = takeIdOf('credential');
  const readRevision = revisionOf((await get(`/takes/${id}`, analyst)).body);

  // The reviewer saves while the author has the take open.
  const reviewerPage = await get(`/takes/${id}`, reviewer);
  const reviewerSave = await post(`/takes/${id}`, reviewer, { revision: revisionOf(reviewerPage.body), body: REVIEWER_TEXT, intent: 'save' });
  assert.equal(reviewerSave.statusCode, 303, reviewerSave.body.slice(0, 500));
  const newRevision = (await service.load(id)).revision;
  assert.equal(newRevision, Number(readRevision) + 1);
  const [edit] = await t.store.team.listAudit({ subject: `take:${id}`, action: 'take.edit', limit: 1 });
  assert.ok(edit, 'the edit is in the audit log');

  const conflict = await post(`/takes/${id}`, analyst, { revision: readRevision, body: AUTHOR_TEXT, intent: 'save' });
  assert.equal(conflict.statusCode, 409);
  assert.match(conflict.body, new RegExp(`Your changes are not saved: someone changed take ${id} after you opened it`));
  assert.equal(editorRevisionOf(conflict.body), readRevision, 'the form keeps the revision the author read');
  assert.equal(textBoxOf(conflict.body, 'take-body'), AUTHOR_TEXT);
  const newer = sectionOf(conflict.body, 'newer-version');
  assert.ok(newer.includes(`<strong>rey</strong> saved its text on <time datetime="${edit.at}">`), 'who saved the newer text, and when');
  assert.match(newer, /<strong>DCSync<\/strong> from non-DC hosts/, 'the newer text is rendered');
  assert.equal(textBoxOf(newer, 'take-newer-markdown'), REVIEWER_TEXT);
  assert.match(newer, /<textarea id="take-newer-markdown" class="take-readonly" rows="10" readonly>/);
  assert.ok(
    newer.includes(`<button type="submit" form="take-editor-form" name="replace_revision" value="${newRevision}">Replace the newer version with my text</button>`),
    'the replace button carries the newer revision',
  );
  assert.ok(newer.includes(`<a href="/takes/${id}">Load the newer version</a>`));

  // The same form saved again, or previewed, still names the revision it was read at.
  const again = await post(`/takes/${id}`, analyst, { revision: readRevision, body: AUTHOR_TEXT, intent: 'save' });
  assert.equal(again.statusCode, 409);
  assert.equal((await service.load(id)).body, REVIEWER_TEXT, "the reviewer's text stays");
  const preview = await post(`/takes/${id}`, analyst, { revision: readRevision, body: AUTHOR_TEXT, intent: 'preview' });
  assert.equal(preview.statusCode, 200);
  assert.equal(editorRevisionOf(preview.body), readRevision);
  assert.match(preview.body, /<section id="newer-version"/);

  // The replace button posts the form with the newer revision beside the one read.
  const replaced = await post(`/takes/${id}`, analyst, { revision: readRevision, replace_revision: String(newRevision), body: AUTHOR_TEXT });
  assert.equal(replaced.statusCode, 303, replaced.body.slice(0, 500));
  assert.equal(replaced.headers.location, `/takes/${id}?done=saved`);
  const saved = await service.load(id);
  assert.equal(saved.body, AUTHOR_TEXT);
  assert.equal(saved.revision, newRevision + 1);
  assert.doesNotMatch((await get(`/takes/${id}`, analyst)).body, /id="newer-version"/);
});

test('review page warns of unknown citations', async () => {
  const review = await get(`/takes/${takeIdOf('credential')}/review`, reviewer);
  assert.equal(review.statusCode, 200);
  const take = sectionOf(review.body, 'take-under-review');
  assert.match(take, /<strong>Unknown citations\.<\/strong> 1 citation matches no reference of T1003: OS Credential Dumping/);
  assert.match(take, /<code>\(Citation: NoSuchRef\)<\/code>/);
  assert.match(take, /watch <strong>LSASS<\/strong> handles \(Citation: NoSuchRef\)\./, 'the citation stays text in the take');
  assert.match(sectionOf(review.body, 'references'), /<h2>References<\/h2>/);
});

test('other analyst sees a take read-only', async () => {
  const id = takeIdOf('credential');
  const page = (await get(`/takes/${id}`, otherAnalyst)).body;
  assert.match(page, /Only its author, ana, or a reviewer can edit, submit or withdraw this take\./);
  assert.doesNotMatch(page, /name="body"/, 'no text box to save');
  assert.doesNotMatch(page, new RegExp(`action="/takes/${id}/(submit|withdraw)"`), 'no submit or withdraw button');
  assert.doesNotMatch(page, /Review this take/);
  assert.match(page, /<h2 id="take-saved-heading">The take, as readers will see it<\/h2>/);
  assert.match(page, /watch <strong>LSASS<\/strong> handles/);

  assert.match(takeSection((await get(CREDENTIAL_DUMPING.path, otherAnalyst)).body), new RegExp(`href="/takes/${id}">Open take ${id}<`));
  assert.match(takeSection((await get(CREDENTIAL_DUMPING.path, analyst)).body), new RegExp(`href="/takes/${id}">Edit take ${id}<`));

  const own = (await get(`/takes/${id}`, analyst)).body;
  assert.match(own, new RegExp(`action="/takes/${id}/submit"`));
  assert.match(own, new RegExp(`action="/takes/${id}/withdraw"`));
  assert.match(own, /name="intent" value="save">Save changes</);
});

test('reviewer is not offered publishing own take', async () => {
  const created = await post('/takes', reviewer, { object: 'T1105', body: 'Certutil and bitsadmin downloads.', intent: 'save' });
  assert.equal(created.statusCode, 303, created.body.slice(0, 500));
  const id = Number(/^\/takes\/(\d+)/.exec(String(created.headers.location))?.[1]);
  assert.equal((await new TakeService(t.store).load(id)).stixId, INGRESS_TOOL_TRANSFER);
  takeIds.set('ingress', id);
  await submitTake(reviewer, id);

  const review = (await get(`/takes/${id}/review`, reviewer)).body;
  assert.match(review, /<strong>The source check passes\.<\/strong>/, 'the take itself passes the check');
  assert.match(review, /<strong>Publishing is not offered:<\/strong> You wrote this take, so another reviewer must publish it\./);
  assert.doesNotMatch(review, new RegExp(`action="/takes/${id}/publish"`));
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
    assert.match(review.body, /<strong>The source check passes\.<\/strong>/);
    assert.doesNotMatch(review.body, /id="pinned-vs-current"/, 'no comparison while the pinned version is current');

    const published = await publishTake(reviewer, id);
    assert.equal(published.statusCode, 303, published.body.slice(0, 500));
    assert.equal(published.headers.location, `/takes/${id}/review?done=published`);
  }
});

test('published take offers analyst no edits', async () => {
  const id = takeIdOf('unchanged');
  const page = (await get(`/takes/${id}`, analyst)).body;
  assert.match(page, /The take is published, so only a reviewer can edit or withdraw it\./);
  assert.doesNotMatch(page, /Save changes/);
  assert.doesNotMatch(page, new RegExp(`action="/takes/${id}/(submit|withdraw)"`));
  assert.match(page, /<p>WMI remains the quiet lateral movement choice; log WMI-Activity event 5861\.<\/p>/, 'the take is shown read-only');

  // A reviewer may still edit and withdraw it, but publishing it again is not offered.
  const forReviewer = (await get(`/takes/${id}`, reviewer)).body;
  assert.match(forReviewer, /name="intent" value="save">Save changes</);
  assert.match(forReviewer, new RegExp(`action="/takes/${id}/withdraw"`));
  const review = (await get(`/takes/${id}/review`, reviewer)).body;
  assert.match(review, /<strong>Publishing is not offered:<\/strong> The take is already published\./);
  assert.doesNotMatch(review, new RegExp(`action="/takes/${id}/publish"`));
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
    assert.match(section, /Validated by <strong>rey<\/strong> on <time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/time>/);
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

test('author of stale take sees what changed', async () => {
  const id = takeIdOf('changed');
  const page = (await get(`/takes/${id}`, analyst)).body;
  const notice = /<div id="take-version-changed"[\s\S]*?<\/div>/.exec(page)?.[0];
  assert.ok(notice, 'the editor says the object changed');
  assert.match(notice, /Changed fields: <code>description<\/code>, <code>external_references<\/code>, <code>modified<\/code>\./);
  const compare = '/techniques/T1564/006/compare?from=enterprise-attack-18.0&to=enterprise-attack-18.1';
  assert.ok(notice.includes(`<a href="${compare.replace('&', '&amp;')}">Compare enterprise-attack 18.0 with enterprise-attack 18.1</a>`));
  assert.match(notice, /A reviewer re-pins the take to the current version after reading what changed/);

  const comparison = await get(compare, analyst);
  assert.equal(comparison.statusCode, 200, 'the link opens the comparison page');
  assert.match(comparison.body, /ITOCHU Hack the Sandbox/);

  const forReviewer = (await get(`/takes/${id}`, reviewer)).body;
  assert.ok(forReviewer.includes(`<a href="/takes/${id}/review#repin">re-pin it on the review page</a>`));
  // An unchanged object gets no notice.
  assert.doesNotMatch((await get(`/takes/${takeIdOf('unchanged')}`, analyst)).body, /take-version-changed"/);
});

test('publishing a take pinned to an old version is rejected', async () => {
  const id = takeIdOf('submitted-only');
  const published = await publishTake(reviewer, id);
  assert.equal(published.statusCode, 409);
  assert.match(published.body, /<strong>Not done:<\/strong> Take \d+ cannot be published: The take is pinned to the version in enterprise-attack 18\.0/);
  assert.match(published.body, /<strong>The source check fails\.<\/strong>/);
  assert.match(published.body, /<td><code>x_mitre_attack_spec_version<\/code><\/td><td>3\.2\.0<\/td><td>3\.3\.0<\/td>/);
  assert.match(published.body, /re-pin it to the current version\. <a href="#repin">Go to Re-pin<\/a>\.<\/div>/, 'the error leads to the re-pin form');
  assert.match(sectionOf(published.body, 'repin'), /name="confirm" value="yes" required/);
  assert.match(published.body, /Publishing is not offered:<\/strong> The take is pinned to an older version of the object: read what changed and re-pin it first\./);
  assert.equal((await new TakeService(t.store).load(id)).state, 'submitted');
});

test('review of stale take shows comparison', async () => {
  const review = await get(`/takes/${takeIdOf('changed')}/review`, reviewer);
  assert.equal(review.statusCode, 200);
  const page = review.body;
  assert.match(page, /<strong>The source check fails\.<\/strong>/);
  assert.match(page, /The take is pinned to the version in enterprise-attack 18\.0/);
  assert.match(page, /Only a submitted take can be published; this take is stale\./);
  assert.match(page, /<h2>What changed from the pinned version to the current one<\/h2>/);
  assert.match(page, /<td><code>modified<\/code><\/td><td>2025-10-24T17:49:15\.607Z<\/td><td>2025-11-05T15:22:05\.269Z<\/td>/);
  assert.match(page, /<ins>\(Citation: ITOCHU Hack the Sandbox\)\(Citation: ITOCHU Sandbox PPT\)/);
  assert.match(page, /<li class="compare-item-added"><strong>ITOCHU Hack the Sandbox<\/strong>/);
  assert.match(page, /<li class="compare-item-removed"><strong>Shadowbunny VM Defense Evasion<\/strong>/);
  assert.match(page, /href="\/techniques\/T1564\/006\/compare\?from=enterprise-attack-18\.0&amp;to=enterprise-attack-18\.1"/);
  assert.match(sectionOf(page, 'repin'), /name="confirm" value="yes" required/);
  assert.match(page, /<strong>Publishing is not offered:<\/strong> The take is stale: the object changed after the take was published\. Re-pin it to the current version first; it then goes back to submitted\. <a href="#repin">Go to Re-pin<\/a>\./);
  assert.doesNotMatch(page, new RegExp(`action="/takes/${takeIdOf('changed')}/publish"`));
  assert.match(sectionOf(page, 'publish-check'), /<a href="#repin">Go to Re-pin<\/a>/);
  // MITRE's definition on the review page is the pinned 18.0 version, without the citations 18.1 added.
  const definition = /<section id="definition"[\s\S]*?<\/section>/.exec(page)?.[0];
  assert.ok(definition, 'the review page shows the definition');
  assert.match(definition, /Adversaries may carry out malicious operations using a virtual instance/);
  assert.doesNotMatch(definition, /ITOCHU/);
});

test('recording the check redirects', async () => {
  const id = takeIdOf('changed');
  const review = (await get(`/takes/${id}/review`, reviewer)).body;
  assert.match(review, /<button type="submit">Record the publication check in the audit log<\/button>/);

  const recorded = await post(`/takes/${id}/validate`, reviewer, {});
  assert.equal(recorded.statusCode, 303);
  assert.equal(recorded.headers.location, `/takes/${id}/review?done=checked-blocked`);
  const [entry] = await t.store.team.listAudit({ subject: `take:${id}`, action: 'take.validate', limit: 1 });
  assert.ok(entry, 'the check is in the audit log');
  assert.equal(entry.actorName, 'rey');
  assert.equal((entry.after as { publishable: boolean }).publishable, false);

  const after = await get(String(recorded.headers.location), reviewer);
  assert.match(after.body, /<strong>Done:<\/strong> The publication check is recorded in the audit log with its result: the take cannot be published yet/);
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
  assert.match(after.body, /<strong>The source check passes\.<\/strong>/);
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

test('rejected edit keeps author text', async () => {
  const id = takeIdOf('unchanged');
  const staleRevision = String((await new TakeService(t.store).load(id)).revision - 1);
  const forbidden = await post(`/takes/${id}`, analyst, { revision: staleRevision, body: 'My unsaved words', intent: 'save' });
  // A published take can only be edited by a reviewer, and the service checks that before the revision.
  assert.equal(forbidden.statusCode, 403);
  assert.equal(textBoxOf(forbidden.body, 'take-unsaved-markdown'), 'My unsaved words');

  const conflict = await post(`/takes/${id}`, reviewer, { revision: staleRevision, body: 'Reviewer words', intent: 'save' });
  assert.equal(conflict.statusCode, 409);
  assert.match(conflict.body, /Your changes are not saved: someone changed take/);
  assert.equal(textBoxOf(conflict.body, 'take-body'), 'Reviewer words');
  assert.equal(editorRevisionOf(conflict.body), staleRevision);
  // The take's text was written by ana and not edited since. The latest change is rey publishing it.
  const newer = sectionOf(conflict.body, 'newer-version');
  assert.match(newer, /<strong>ana<\/strong> saved its text on <time/);
  assert.match(newer, /The latest change: rey published it on <time/);
  assert.equal((await new TakeService(t.store).load(id)).state, 'published');
});

test('edit of a withdrawn take keeps text', async () => {
  const id = takeIdOf('ingress');
  const readRevision = editorRevisionOf((await get(`/takes/${id}`, reviewer)).body);
  const withdrawn = await post(`/takes/${id}/withdraw`, reviewer, { revision: readRevision });
  assert.equal(withdrawn.statusCode, 303);

  const saved = await post(`/takes/${id}`, reviewer, { revision: readRevision, body: 'Text written before the withdrawal', intent: 'save' });
  assert.equal(saved.statusCode, 409);
  const newer = sectionOf(saved.body, 'newer-version');
  assert.match(newer, /You cannot replace the newer version: the take is withdrawn\./);
  assert.match(newer, /The latest change: rey withdrew it on <time/);
  assert.doesNotMatch(newer, /name="replace_revision"/);
  assert.equal(textBoxOf(saved.body, 'take-unsaved-markdown'), 'Text written before the withdrawal');
});

/** Debian's chromium package; .ci/run installs it. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const SCREENSHOTS = resolve(import.meta.dirname, '..', 'artifacts', 'screenshots');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe('take pages in a real browser', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: apt-get install -y chromium` }, () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  let browser: Browser;
  let base: string;

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
  });

  /** Opens a page with the session's cookie. CSP is bypassed only so that the test can inject axe-core. */
  const openAs = async (session: Session, path: string): Promise<Page> => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const [name, value] = session.cookie.split('=', 2);
    await context.addCookies([{ name: name ?? '', value: value ?? '', url: base }]);
    const page = await context.newPage();
    const response = await page.goto(`${base}${path}`);
    assert.equal(response?.status(), 200, `${path} returns 200`);
    return page;
  };

  /** Lists axe-core's serious and critical violations on the page, one line each. */
  const seriousViolations = async (page: Page): Promise<string[]> => {
    await page.addScriptTag({ content: axeSource });
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe.run();
      return result.violations;
    });
    return violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')})`);
  };

  const pages: [string, () => Session, () => string][] = [
    ['queue', () => analyst, () => '/takes'],
    ['editor with warnings', () => analyst, () => `/takes/${takeIdOf('credential')}`],
    ['read-only take', () => otherAnalyst, () => `/takes/${takeIdOf('credential')}`],
    ['published take for its author', () => analyst, () => `/takes/${takeIdOf('unchanged')}`],
    ['take pinned to an old version', () => analyst, () => `/takes/${takeIdOf('submitted-only')}`],
    ['review with re-pin', () => reviewer, () => `/takes/${takeIdOf('submitted-only')}/review`],
    ['review with unknown citation', () => reviewer, () => `/takes/${takeIdOf('credential')}/review`],
    ['object choice', () => analyst, () => '/takes/new?object=T1086'],
  ];
  for (const [name, session, path] of pages) {
    test(`${name} page has no serious accessibility violations`, async () => {
      const page = await openAs(session(), path());
      await page.screenshot({ path: join(SCREENSHOTS, `takes-${name.replace(/\W+/g, '-')}.png`), fullPage: true });
      assert.deepEqual(await seriousViolations(page), []);
      await page.context().close();
    });
  }

  test('edit conflict page has no serious accessibility violations', async () => {
    const id = takeIdOf('credential');
    const page = await openAs(analyst, `/takes/${id}`);
    // The reviewer saves while the analyst's editor is open.
    const reviewerPage = await get(`/takes/${id}`, reviewer);
    const saved = await post(`/takes/${id}`, reviewer, { revision: revisionOf(reviewerPage.body), body: 'Reviewer text from the browser test', intent: 'save' });
    assert.equal(saved.statusCode, 303);

    await page.fill('#take-body', 'Analyst text from the browser test');
    await Promise.all([page.waitForLoadState('load'), page.locator('button[name="intent"][value="save"]').click()]);
    await page.locator('#newer-version').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'takes-edit-conflict.png'), fullPage: true });
    assert.equal(await page.inputValue('#take-body'), 'Analyst text from the browser test');
    assert.deepEqual(await seriousViolations(page), []);

    // The replace button belongs to the editor form, so it sends the text as edited in the box.
    await page.fill('#take-body', 'Merged text from the browser test');
    await Promise.all([page.waitForURL(/\?done=saved$/), page.locator('#newer-version button', { hasText: 'Replace the newer version with my text' }).click()]);
    assert.equal((await new TakeService(t.store).load(id)).body, 'Merged text from the browser test');
    await page.context().close();
  });
});
