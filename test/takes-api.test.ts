/**
 * The takes API on real Enterprise releases. The permission table checks who may do what
 * (anonymous readers, analysts, reviewers and admins, by session cookie and by API token) and that
 * a rejected request changes nothing. Other tests cover CSRF on cookie writes, token revocation,
 * the audit log, and the publication check after an import changes a take's object.
 *
 * Enterprise 18.0 to 18.1, read by hand in the two bundles:
 * - T1059.001 PowerShell (attack-pattern--970a3432-3237-47ad-bcca-7d8cbb217736) and T1003.001
 *   LSASS Memory (attack-pattern--65f2d882-3f41-4d48-8a06-29af77ec9f90) are the same object in both.
 * - T1564.006 Run Virtual Instance (attack-pattern--b5327dd1-6bf9-4785-a199-25bcbd1f4a9d) changes
 *   `modified` (2025-10-24T17:49:15.607Z to 2025-11-05T15:22:05.269Z), `description` (gains
 *   "(Citation: ITOCHU Hack the Sandbox)(Citation: ITOCHU Sandbox PPT)") and `external_references`
 *   (gains those two sources, loses "Shadowbunny VM Defense Evasion").
 * - T1574.001 DLL (attack-pattern--2fee9321-3e71-4cf4-af24-d4d40d355b34) changes `modified` and
 *   `x_mitre_contributors`, which gains "Yusuke Niwa, ITOCHU Cyber & Intelligence Inc.",
 *   "Suguru Ishimaru, ITOCHU Cyber & Intelligence Inc." and "Hajime Yanagishita, Macnica, Inc.".
 * - T1114 names a technique (Email Collection) and a mitigation.
 * - T1003, T1005, T1078 and T1133 each name an active technique and a deprecated mitigation:
 *   T1003 OS Credential Dumping (attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22) and Credential
 *   Dumping Mitigation (course-of-action--aeff5887-8f9e-48d5-a523-9b395e2ce80a); T1005 Data from Local
 *   System (attack-pattern--3c4a2599-71ee-4405-ba1e-0e28414b4bc5); T1078 Valid Accounts
 *   (attack-pattern--b17a1a56-e99c-403c-8948-561df0cffe81); T1133 External Remote Services
 *   (attack-pattern--10d51417-ee35-4589-b1ff-b6df1c334e8d).
 * - T1066 names a revoked technique, Indicator Removal from Tools
 *   (attack-pattern--00d0b012-8a03-410e-95de-5826bf542de6), and a deprecated mitigation, Indicator
 *   Removal from Tools Mitigation (course-of-action--4b998a71-7b8f-4dcc-8f3f-277f2e740271).
 * - PowerShell's external_references include "TechNet PowerShell", with the description "Microsoft.
 *   (n.d.). Windows PowerShell Scripting. Retrieved April 28, 2016." and the URL
 *   https://technet.microsoft.com/en-us/scriptcenter/dd742419.aspx.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { tokenHash } from '../src/accounts/api-tokens.js';
import { auditView } from '../src/api/take-views.js';
import { addUser, createToken, signIn } from './auth-support.js';
import { createTestServer, createTestStore, importRelease, type TestStore } from './support.js';

const POWERSHELL = { attackId: 'T1059.001', stixId: 'attack-pattern--970a3432-3237-47ad-bcca-7d8cbb217736' };
const LSASS = { attackId: 'T1003.001', stixId: 'attack-pattern--65f2d882-3f41-4d48-8a06-29af77ec9f90' };
const VIRTUAL_INSTANCE = { attackId: 'T1564.006', stixId: 'attack-pattern--b5327dd1-6bf9-4785-a199-25bcbd1f4a9d' };
const DLL = { attackId: 'T1574.001', stixId: 'attack-pattern--2fee9321-3e71-4cf4-af24-d4d40d355b34' };

const CALLERS = ['anonymous', 'analyst', 'reviewer', 'admin', 'analyst token', 'reviewer token'] as const;
type Caller = (typeof CALLERS)[number];

/** The user each signed-in caller acts as: sessions and tokens of the same user share authorship. */
const USER_OF: Record<Exclude<Caller, 'anonymous'>, string> = {
  analyst: 'alice',
  reviewer: 'rita',
  admin: 'adam',
  'analyst token': 'alice',
  'reviewer token': 'rita',
};

interface Session {
  cookie: string;
  csrfToken: string;
}

interface ReferenceJson {
  number: number;
  sourceName: string;
  url: string | null;
  description: string | null;
}

interface TakeJson {
  id: number;
  object: { stixId: string; attackId: string | null; type: string };
  state: string;
  body?: string;
  bodyHtml?: string;
  references?: ReferenceJson[];
  unknownCitations?: string[];
  author: string;
  reviewer: string | null;
  validatedAt: string | null;
  pinned: { release: string | null; domain: string | null; version: string | null; contentHash: string };
  revision: number;
}

interface CheckJson {
  publishable: boolean;
  reasons: string[];
  schemaErrors: { field: string; message: string }[];
  pinned: { release: string | null; contentHash: string };
  current: { release: string | null; contentHash: string } | null;
  comparison: {
    changes: { field: string; kind: string; added?: unknown[]; removed?: unknown[] }[];
  } | null;
}

interface ErrorJson {
  error: { code: string; message: string; check?: CheckJson; candidates?: { stixId: string; type: string; status: string }[] };
}

let t: TestStore;
let app: FastifyInstance;
const sessions = new Map<Caller, Session>();
const callerTokens = new Map<Caller, string>();
/** Tokens the set-up steps act with, one per user, apart from the tokens under test. */
const setupTokens = new Map<string, string>();

function headersOf(caller: Caller, write: boolean): Record<string, string> {
  const session = sessions.get(caller);
  if (session) return write ? { cookie: session.cookie, 'x-csrf-token': session.csrfToken } : { cookie: session.cookie };
  const token = callerTokens.get(caller);
  if (token) return { authorization: `Bearer ${token}` };
  return {};
}

function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, headers: Record<string, string>, body?: unknown): Promise<LightMyRequestResponse> {
  if (body === undefined) return app.inject({ method, url, headers });
  return app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
}

function as(caller: Caller, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown): Promise<LightMyRequestResponse> {
  return call(method, url, headersOf(caller, method !== 'GET'), body);
}

/** Sends a request as a user, with that user's set-up token. */
async function asUser(name: string, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown): Promise<LightMyRequestResponse> {
  const token = setupTokens.get(name);
  assert.ok(token, `a set-up token exists for ${name}`);
  return call(method, url, { authorization: `Bearer ${token}` }, body);
}

function takeOf(response: LightMyRequestResponse, expectedStatus = 200): TakeJson {
  assert.equal(response.statusCode, expectedStatus, response.body);
  return response.json<{ take: TakeJson }>().take;
}

async function draftBy(name: string, object: { attackId: string }, body = `Take by ${name} on ${object.attackId}.`): Promise<TakeJson> {
  return takeOf(await asUser(name, 'POST', '/api/v1/takes', { object: object.attackId, body }), 201);
}

async function submittedBy(name: string, object: { attackId: string }): Promise<TakeJson> {
  const draft = await draftBy(name, object);
  return takeOf(await asUser(name, 'POST', `/api/v1/takes/${draft.id}/submit`, { revision: draft.revision }));
}

async function publishedBy(name: string, object: { attackId: string }): Promise<TakeJson> {
  const submitted = await submittedBy(name, object);
  return takeOf(await asUser('rita', 'POST', `/api/v1/takes/${submitted.id}/publish`, { revision: submitted.revision }));
}

/** Withdraws the object's open take, if any, so the next case can write a new one. */
async function clearTakes(object: { stixId: string }): Promise<void> {
  const response = await asUser('rita', 'GET', `/api/v1/takes?object=${object.stixId}&limit=500`);
  for (const take of response.json<{ takes: TakeJson[] }>().takes) {
    if (take.state === 'withdrawn') continue;
    takeOf(await asUser('rita', 'POST', `/api/v1/takes/${take.id}/withdraw`, { revision: take.revision }));
  }
}

/**
 * Audit entries apart from `token.use`, which a token's first request of each minute writes, and
 * `take.denied`, which records a refused action and changes nothing else.
 */
async function auditCount(): Promise<number> {
  const entries = await t.store.team.listAudit({ limit: 1_000_000 });
  return entries.filter((entry) => entry.action !== 'token.use' && entry.action !== 'take.denied').length;
}

async function deniedCount(): Promise<number> {
  return (await t.store.team.listAudit({ action: 'take.denied', limit: 1_000_000 })).length;
}

interface Case {
  /** Prepares the take the action works on, if any. */
  setup: (caller: Caller) => Promise<TakeJson | undefined>;
  run: (caller: Caller, take: TakeJson | undefined) => Promise<LightMyRequestResponse>;
}

/** Returns the user whose take an "own" action works on. Anonymous callers try an analyst's take. */
function ownerOf(caller: Caller): string {
  return caller === 'anonymous' ? 'alice' : USER_OF[caller];
}

const required = (take: TakeJson | undefined): TakeJson => {
  assert.ok(take, 'the case prepared a take');
  return take;
};

const CASES: Record<string, Case> = {
  list: {
    setup: async () => undefined,
    run: (caller) => as(caller, 'GET', '/api/v1/takes'),
  },
  'get draft': {
    setup: () => draftBy('bob', POWERSHELL),
    run: (caller, take) => as(caller, 'GET', `/api/v1/takes/${required(take).id}`),
  },
  create: {
    setup: async () => undefined,
    run: (caller) => as(caller, 'POST', '/api/v1/takes', { object: POWERSHELL.attackId, body: `New take by ${caller}.` }),
  },
  'edit own': {
    setup: (caller) => draftBy(ownerOf(caller), POWERSHELL),
    run: (caller, take) => as(caller, 'PUT', `/api/v1/takes/${required(take).id}`, { body: 'Edited by its author.', revision: required(take).revision }),
  },
  "edit other's": {
    setup: () => draftBy('bob', POWERSHELL),
    run: (caller, take) => as(caller, 'PATCH', `/api/v1/takes/${required(take).id}`, { body: 'Edited by someone else.', revision: required(take).revision }),
  },
  submit: {
    setup: (caller) => draftBy(ownerOf(caller), POWERSHELL),
    run: (caller, take) => as(caller, 'POST', `/api/v1/takes/${required(take).id}/submit`, { revision: required(take).revision }),
  },
  "submit other's": {
    setup: () => draftBy('bob', POWERSHELL),
    run: (caller, take) => as(caller, 'POST', `/api/v1/takes/${required(take).id}/submit`, { revision: required(take).revision }),
  },
  validate: {
    setup: () => submittedBy('alice', POWERSHELL),
    run: (caller, take) => as(caller, 'POST', `/api/v1/takes/${required(take).id}/validate`),
  },
  publish: {
    setup: () => submittedBy('alice', POWERSHELL),
    run: (caller, take) => as(caller, 'POST', `/api/v1/takes/${required(take).id}/publish`, { revision: required(take).revision }),
  },
  repin: {
    setup: () => submittedBy('alice', POWERSHELL),
    run: (caller, take) => as(caller, 'POST', `/api/v1/takes/${required(take).id}/repin`, { revision: required(take).revision }),
  },
  'withdraw published': {
    setup: () => publishedBy('alice', POWERSHELL),
    run: (caller, take) => as(caller, 'POST', `/api/v1/takes/${required(take).id}/withdraw`, { revision: required(take).revision }),
  },
  'read audit': {
    setup: async () => undefined,
    run: (caller) => as(caller, 'GET', '/api/v1/audit?limit=5'),
  },
};

const ALL = (status: number, anonymous: number): Record<Caller, number> => ({
  anonymous,
  analyst: status,
  reviewer: status,
  admin: status,
  'analyst token': status,
  'reviewer token': status,
});
const REVIEWERS = (status: number): Record<Caller, number> => ({
  anonymous: 401,
  analyst: 403,
  reviewer: status,
  admin: status,
  'analyst token': 403,
  'reviewer token': status,
});

/** Expected status of each action for each caller. */
const EXPECTED: Record<keyof typeof CASES, Record<Caller, number>> = {
  list: ALL(200, 200),
  'get draft': ALL(200, 404),
  create: ALL(201, 401),
  'edit own': ALL(200, 401),
  "edit other's": REVIEWERS(200),
  submit: ALL(200, 401),
  "submit other's": REVIEWERS(200),
  validate: REVIEWERS(200),
  publish: REVIEWERS(200),
  repin: REVIEWERS(200),
  'withdraw published': REVIEWERS(200),
  'read audit': { anonymous: 401, analyst: 403, reviewer: 403, admin: 200, 'analyst token': 403, 'reviewer token': 403 },
};

const ERROR_CODE: Record<number, string> = { 401: 'unauthorized', 403: 'forbidden', 404: 'not-found' };

describe('takes API on Enterprise 18.0 and 18.1', () => {
  before(async () => {
    t = createTestStore();
    await importRelease(t.store, 'enterprise-attack', '18.0');
    app = await createTestServer(t);

    const passwords = new Map<string, string>();
    for (const [name, role] of [['alice', 'analyst'], ['bob', 'analyst'], ['rita', 'reviewer'], ['adam', 'admin']] as const) {
      passwords.set(name, (await addUser(t.store, name, role)).password);
      setupTokens.set(name, await createToken(t.store, name, role));
    }
    for (const caller of ['analyst', 'reviewer', 'admin'] as const) {
      const name = USER_OF[caller];
      sessions.set(caller, await signIn(app, name, passwords.get(name) ?? ''));
    }
    callerTokens.set('analyst token', await createToken(t.store, 'alice', 'analyst'));
    callerTokens.set('reviewer token', await createToken(t.store, 'rita', 'reviewer'));
  });
  after(async () => {
    await app.close();
    await t.cleanup();
  });

  for (const [action, spec] of Object.entries(CASES)) {
    test(`permission table: ${action}`, async () => {
      for (const caller of CALLERS) {
        await clearTakes(POWERSHELL);
        const take = await spec.setup(caller);
        const takeBefore = take ? await t.store.team.takeById(take.id) : undefined;
        const takesBefore = await t.store.team.listTakes({ stixId: POWERSHELL.stixId });
        const auditBefore = await auditCount();
        const deniedBefore = await deniedCount();

        const response = await spec.run(caller, take);
        const expected = EXPECTED[action]?.[caller];
        assert.equal(response.statusCode, expected, `${action} by ${caller}: ${response.body}`);
        if (response.statusCode < 400) continue;

        assert.equal(response.json<ErrorJson>().error.code, ERROR_CODE[response.statusCode], `${action} by ${caller}`);
        if (take) assert.deepEqual(await t.store.team.takeById(take.id), takeBefore, `${action} by ${caller} left the take unchanged`);
        assert.deepEqual(await t.store.team.listTakes({ stixId: POWERSHELL.stixId }), takesBefore, `${action} by ${caller} created no take`);
        assert.equal(await auditCount(), auditBefore, `${action} by ${caller} wrote no audit entry`);
        // TakeService records each refusal; the audit endpoint and the 401s are not take actions.
        const denied = response.statusCode === 403 && action !== 'read audit' ? 1 : 0;
        assert.equal(await deniedCount(), deniedBefore + denied, `${action} by ${caller} recorded ${denied} refusal(s)`);
      }
      await clearTakes(POWERSHELL);
    });
  }

  test('successful writes change the take', async () => {
    const draft = await draftBy('alice', POWERSHELL, 'First version.');
    assert.equal(draft.state, 'draft');
    assert.equal(draft.author, 'alice');
    assert.equal(draft.pinned.release, 'enterprise-attack-18.0');
    assert.equal(draft.object.stixId, POWERSHELL.stixId);

    const edited = takeOf(await as('analyst', 'PUT', `/api/v1/takes/${draft.id}`, { body: 'Second *version*.', revision: draft.revision }));
    assert.equal(edited.body, 'Second *version*.');
    assert.match(edited.bodyHtml ?? '', /^<p>Second <em>version<\/em>\.<\/p>\s*$/);
    assert.equal(edited.revision, draft.revision + 1);

    const stale = await as('analyst', 'PUT', `/api/v1/takes/${draft.id}`, { body: 'Third version.', revision: draft.revision });
    assert.equal(stale.statusCode, 409);
    assert.equal(stale.json<ErrorJson>().error.code, 'conflict');
    assert.match(stale.json<ErrorJson>().error.message, /revision 2, but the request was based on revision 1/);
    assert.match(stale.json<ErrorJson>().error.message, /try again/);

    const submitted = takeOf(await as('analyst token', 'POST', `/api/v1/takes/${draft.id}/submit`, { revision: edited.revision }));
    const validated = await as('reviewer', 'POST', `/api/v1/takes/${draft.id}/validate`, {});
    assert.equal(validated.statusCode, 200);
    const check = validated.json<{ check: CheckJson }>().check;
    assert.equal(check.publishable, true);
    assert.deepEqual(check.reasons, []);
    assert.deepEqual(check.schemaErrors, []);
    assert.equal(check.comparison, null);
    assert.equal(check.pinned.contentHash, check.current?.contentHash);

    const published = takeOf(await as('reviewer token', 'POST', `/api/v1/takes/${draft.id}/publish`, { revision: submitted.revision }));
    assert.equal(published.state, 'published');
    assert.equal(published.reviewer, 'rita');
    assert.equal(typeof published.validatedAt, 'string');

    const object = await as('anonymous', 'GET', `/api/v1/objects/${POWERSHELL.attackId}`);
    assert.equal(object.statusCode, 200);
    const objectTake = object.json<{ take: TakeJson | null }>().take;
    assert.equal(objectTake?.id, draft.id);
    assert.equal(objectTake?.body, 'Second *version*.');
    await clearTakes(POWERSHELL);
  });

  test('anonymous readers see published takes only', async () => {
    const published = await publishedBy('alice', POWERSHELL);
    const draft = await draftBy('bob', LSASS);

    const list = await as('anonymous', 'GET', '/api/v1/takes');
    assert.equal(list.statusCode, 200);
    const ids = list.json<{ takes: TakeJson[] }>().takes.map((take) => take.id);
    assert.ok(ids.includes(published.id), 'the published take is listed');
    assert.ok(!ids.includes(draft.id), 'the draft is not listed');
    for (const take of list.json<{ takes: TakeJson[] }>().takes) assert.equal(take.state, 'published');

    const drafts = await as('anonymous', 'GET', '/api/v1/takes?state=draft');
    assert.deepEqual(drafts.json<{ takes: TakeJson[] }>().takes, []);

    const member = await as('analyst', 'GET', `/api/v1/takes?object=${LSASS.attackId.toLowerCase()}&state=draft`);
    assert.deepEqual(member.json<{ takes: TakeJson[] }>().takes.map((take) => take.id), [draft.id]);
    const byAuthor = await as('analyst', 'GET', '/api/v1/takes?author=bob&state=draft');
    assert.deepEqual(byAuthor.json<{ takes: TakeJson[] }>().takes.map((take) => take.id), [draft.id]);

    const hidden = await as('anonymous', 'GET', `/api/v1/takes/${draft.id}`);
    assert.equal(hidden.statusCode, 404);
    assert.match(hidden.json<ErrorJson>().error.message, /sign in/);

    const noTake = await as('anonymous', 'GET', `/api/v1/objects/${LSASS.stixId}`);
    assert.equal(noTake.json<{ take: TakeJson | null }>().take, null);
    await clearTakes(POWERSHELL);
    await clearTakes(LSASS);
  });

  test('take list pages with a cursor', async () => {
    const created: number[] = [];
    for (const object of [POWERSHELL, LSASS, DLL]) created.push((await draftBy('alice', object)).id);

    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/takes?author=alice&state=draft&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const response = await as('analyst', 'GET', url);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json<{ takes: TakeJson[]; nextCursor: string | null }>();
      assert.ok(body.takes.length <= 2);
      seen.push(...body.takes.map((take) => take.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor !== null && pages < 10);
    assert.deepEqual(seen, [...created].reverse());
    assert.equal(pages, 2);

    const bad = await as('analyst', 'GET', '/api/v1/takes?cursor=bm90LWEtY3Vyc29y');
    assert.equal(bad.statusCode, 400);
    for (const object of [POWERSHELL, LSASS, DLL]) await clearTakes(object);
  });

  test('invalid requests are 400, 404 or 409', async () => {
    const missingField = await as('analyst', 'POST', '/api/v1/takes', { object: POWERSHELL.attackId });
    assert.equal(missingField.statusCode, 400);
    assert.equal(missingField.json<ErrorJson>().error.code, 'bad-request');
    assert.match(missingField.json<ErrorJson>().error.message, /Missing body field body: /);

    const unknownField = await as('analyst', 'POST', '/api/v1/takes', { object: POWERSHELL.attackId, body: 'x', state: 'published' });
    assert.equal(unknownField.statusCode, 400);
    assert.match(unknownField.json<ErrorJson>().error.message, /Unknown body field "state"/);

    const empty = await as('analyst', 'POST', '/api/v1/takes', { object: POWERSHELL.attackId, body: '   ' });
    assert.equal(empty.statusCode, 400);
    assert.match(empty.json<ErrorJson>().error.message, /empty/);

    const malformed = await app.inject({
      method: 'POST',
      url: '/api/v1/takes',
      headers: { ...headersOf('analyst token', true), 'content-type': 'application/json' },
      payload: '{"object": ',
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json<ErrorJson>().error.code, 'bad-request');

    const unknownObject = await as('analyst', 'POST', '/api/v1/takes', { object: 'T9999', body: 'x' });
    assert.equal(unknownObject.statusCode, 404);
    assert.match(unknownObject.json<ErrorJson>().error.message, /T9999/);

    const ambiguous = await as('analyst', 'POST', '/api/v1/takes', { object: 'T1066', body: 'x' });
    assert.equal(ambiguous.statusCode, 409);
    assert.deepEqual((ambiguous.json<ErrorJson>().error.candidates ?? []).map((candidate) => candidate.type).sort(), ['attack-pattern', 'course-of-action']);

    const badId = await as('analyst', 'GET', '/api/v1/takes/abc');
    assert.equal(badId.statusCode, 400);
    assert.match(badId.json<ErrorJson>().error.message, /path parameter id=abc/);

    const noSuchTake = await as('reviewer', 'POST', '/api/v1/takes/99999/publish', { revision: 1 });
    assert.equal(noSuchTake.statusCode, 404);

    const first = await draftBy('alice', POWERSHELL);
    const second = await as('reviewer', 'POST', '/api/v1/takes', { object: POWERSHELL.stixId, body: 'A second take.' });
    assert.equal(second.statusCode, 409);
    assert.match(second.json<ErrorJson>().error.message, new RegExp(`take ${first.id}, draft`));
    await clearTakes(POWERSHELL);
  });

  test('shared ATT&CK ID picks the active object', async () => {
    const techniques: Record<string, string> = {
      T1003: 'attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22',
      T1005: 'attack-pattern--3c4a2599-71ee-4405-ba1e-0e28414b4bc5',
      T1078: 'attack-pattern--b17a1a56-e99c-403c-8948-561df0cffe81',
      T1133: 'attack-pattern--10d51417-ee35-4589-b1ff-b6df1c334e8d',
    };
    for (const [attackId, stixId] of Object.entries(techniques)) {
      const created = await as('analyst', 'POST', '/api/v1/takes', { object: attackId, body: `Take on ${attackId}.` });
      const take = takeOf(created, 201);
      assert.equal(take.object.stixId, stixId, `${attackId} is the technique`);

      const listed = await as('analyst', 'GET', `/api/v1/takes?object=${attackId.toLowerCase()}`);
      assert.equal(listed.statusCode, 200, listed.body);
      assert.deepEqual(listed.json<{ takes: TakeJson[] }>().takes.map((found) => found.id), [take.id], `GET /takes?object=${attackId}`);
      await clearTakes({ stixId });
    }

    const credentialDumping = { stixId: techniques.T1003 ?? '' };
    for (const type of ['technique', 'techniques', 'attack-pattern']) {
      const response = await as('analyst', 'POST', '/api/v1/takes', { object: 'T1003', type, body: `Typed as ${type}.` });
      assert.equal(takeOf(response, 201).object.stixId, credentialDumping.stixId, `type ${type}`);
      await clearTakes(credentialDumping);
    }
    const mitigationTakes = await as('analyst', 'GET', '/api/v1/takes?object=T1003&type=mitigation');
    assert.equal(mitigationTakes.statusCode, 200, 'a section name picks the deprecated mitigation');
    assert.deepEqual(mitigationTakes.json<{ takes: TakeJson[] }>().takes, []);

    const unknownType = await as('analyst', 'POST', '/api/v1/takes', { object: 'T1003', type: 'gadget', body: 'x' });
    assert.equal(unknownType.statusCode, 400);
    assert.match(unknownType.json<ErrorJson>().error.message, /body field type/);
    assert.match(unknownType.json<ErrorJson>().error.message, /attack-pattern/);
    assert.match(unknownType.json<ErrorJson>().error.message, /technique, techniques/);
  });

  test('ambiguous ATT&CK ID names candidates', async () => {
    const emptyBody = await as('analyst', 'POST', '/api/v1/takes', { object: 'T1066', body: '  ' });
    assert.equal(emptyBody.statusCode, 400, 'the body is checked before the object is looked up');
    assert.match(emptyBody.json<ErrorJson>().error.message, /body field body .*empty/);

    const posted = await as('analyst', 'POST', '/api/v1/takes', { object: 'T1066', body: 'A take.' });
    assert.equal(posted.statusCode, 409);
    const error = posted.json<ErrorJson>().error;
    assert.match(error.message, /ATT&CK ID T1066 names 2 objects, none of them active/);
    assert.match(error.message, /attack-pattern "Indicator Removal from Tools" \(revoked\)/);
    assert.match(error.message, /course-of-action "Indicator Removal from Tools Mitigation" \(deprecated\)/);
    assert.match(error.message, /set the body field "type" to one of attack-pattern, course-of-action \(or technique, mitigation\)/);
    assert.doesNotMatch(error.message, /\?type=/);
    assert.deepEqual(
      (error.candidates ?? []).map((candidate) => [candidate.stixId, candidate.status]).sort(),
      [
        ['attack-pattern--00d0b012-8a03-410e-95de-5826bf542de6', 'revoked'],
        ['course-of-action--4b998a71-7b8f-4dcc-8f3f-277f2e740271', 'deprecated'],
      ],
    );

    const listed = await as('analyst', 'GET', '/api/v1/takes?object=T1066');
    assert.equal(listed.statusCode, 409);
    assert.match(listed.json<ErrorJson>().error.message, /add the query parameter type with one of attack-pattern, course-of-action/);
    const typed = await as('analyst', 'GET', '/api/v1/takes?object=T1066&type=technique');
    assert.equal(typed.statusCode, 200, typed.body);
  });

  test('objects endpoint accepts section names', async () => {
    const byName = await as('anonymous', 'GET', '/api/v1/objects/T1003?type=technique');
    assert.equal(byName.statusCode, 200, byName.body);
    assert.equal(byName.json<{ object: { stixId: string } }>().object.stixId, 'attack-pattern--0a3ead4e-6d47-4ccb-854c-a6a4f9d96b22');
    const mitigation = await as('anonymous', 'GET', '/api/v1/objects/T1003?type=mitigations');
    assert.equal(mitigation.json<{ object: { stixId: string } }>().object.stixId, 'course-of-action--aeff5887-8f9e-48d5-a523-9b395e2ce80a');

    // Reading objects keeps deprecated ones addressable, so a shared ID stays a 409 there.
    const shared = await as('anonymous', 'GET', '/api/v1/objects/T1003');
    assert.equal(shared.statusCode, 409);
    const error = shared.json<ErrorJson>().error;
    assert.deepEqual((error.candidates ?? []).map((candidate) => `${candidate.type} ${candidate.status}`).sort(), ['attack-pattern active', 'course-of-action deprecated']);
    assert.match(error.message, /add the query parameter type/);

    const unknownType = await as('anonymous', 'GET', '/api/v1/objects/T1003?type=gadget');
    assert.equal(unknownType.statusCode, 400);
    assert.match(unknownType.json<ErrorJson>().error.message, /query parameter type=gadget/);
  });

  test('bodyHtml resolves citations of the pinned version', async () => {
    const body = 'Admins script with it (Citation: TechNet PowerShell), see also (Citation: TechNet  PowerShell ) and (Citation: No Such Source).';
    const draft = await draftBy('alice', POWERSHELL, body);
    const expectedReferences: ReferenceJson[] = [
      {
        number: 1,
        sourceName: 'TechNet PowerShell',
        url: 'https://technet.microsoft.com/en-us/scriptcenter/dd742419.aspx',
        description: 'Microsoft. (n.d.). Windows PowerShell Scripting. Retrieved April 28, 2016.',
      },
    ];
    for (const take of [draft, takeOf(await as('analyst', 'GET', `/api/v1/takes/${draft.id}`))]) {
      assert.equal(take.body, body);
      assert.match(take.bodyHtml ?? '', /it <sup class="cite"><a href="#ref-1" id="cite-1-1">\[1\]<\/a><\/sup>, see also <sup class="cite"><a href="#ref-1" id="cite-1-2">\[1\]<\/a><\/sup>/);
      assert.match(take.bodyHtml ?? '', /and \(Citation: No Such Source\)\./);
      assert.doesNotMatch(take.bodyHtml ?? '', /Citation: TechNet/);
      assert.deepEqual(take.references, expectedReferences);
      assert.deepEqual(take.unknownCitations, ['No Such Source']);
    }

    const listed = (await as('analyst', 'GET', `/api/v1/takes?object=${POWERSHELL.attackId}`)).json<{ takes: TakeJson[] }>().takes;
    assert.deepEqual(listed[0]?.references, expectedReferences);
    assert.deepEqual(listed[0]?.unknownCitations, ['No Such Source']);

    const anonymous = await as('anonymous', 'GET', `/api/v1/takes?object=${POWERSHELL.attackId}&state=draft`);
    assert.deepEqual(anonymous.json<{ takes: TakeJson[] }>().takes, [], 'anonymous readers see no draft, nor its references');

    const plain = takeOf(await as('analyst', 'PUT', `/api/v1/takes/${draft.id}`, { body: 'No citations here.', revision: draft.revision }));
    assert.deepEqual(plain.references, []);
    assert.deepEqual(plain.unknownCitations, []);
    await clearTakes(POWERSHELL);
  });

  test('repeated edit and future revision', async () => {
    const draft = await draftBy('alice', POWERSHELL, 'First text.');
    const edit = { body: 'Second text.', revision: draft.revision };
    const first = takeOf(await as('analyst', 'PUT', `/api/v1/takes/${draft.id}`, edit));
    const again = takeOf(await as('analyst', 'PUT', `/api/v1/takes/${draft.id}`, edit));
    assert.equal(again.revision, first.revision, 'sending the same edit twice saves it once');
    assert.equal(again.body, 'Second text.');

    const future = await as('analyst', 'PUT', `/api/v1/takes/${draft.id}`, { body: 'Third text.', revision: first.revision + 5 });
    assert.equal(future.statusCode, 409);
    assert.match(future.json<ErrorJson>().error.message, new RegExp(`based on revision ${first.revision + 5}`));
    await clearTakes(POWERSHELL);
  });

  test('cookie writes need the CSRF header', async () => {
    const session = sessions.get('analyst');
    assert.ok(session);
    const takesBefore = await t.store.team.listTakes({ stixId: LSASS.stixId });
    const auditBefore = await auditCount();
    const body = { object: LSASS.attackId, body: 'Written from a script with the session cookie.' };

    const missing = await call('POST', '/api/v1/takes', { cookie: session.cookie }, body);
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.json<ErrorJson>().error.code, 'csrf');
    const wrong = await call('POST', '/api/v1/takes', { cookie: session.cookie, 'x-csrf-token': 'not-the-token' }, body);
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json<ErrorJson>().error.code, 'csrf');
    assert.deepEqual(await t.store.team.listTakes({ stixId: LSASS.stixId }), takesBefore);
    assert.equal(await auditCount(), auditBefore);

    const me = await call('GET', '/api/v1/me', { cookie: session.cookie });
    const csrfToken = me.json<{ csrfToken?: string }>().csrfToken;
    assert.equal(csrfToken, session.csrfToken);
    const accepted = await call('POST', '/api/v1/takes', { cookie: session.cookie, 'x-csrf-token': String(csrfToken) }, body);
    assert.equal(accepted.statusCode, 201, accepted.body);
    assert.equal(accepted.headers.location, `/api/v1/takes/${accepted.json<{ take: TakeJson }>().take.id}`);
    await clearTakes(LSASS);
  });

  test('/me names the caller', async () => {
    const anonymous = await as('anonymous', 'GET', '/api/v1/me');
    assert.equal(anonymous.statusCode, 401);
    assert.equal(anonymous.json<ErrorJson>().error.code, 'unauthorized');

    const session = await as('reviewer', 'GET', '/api/v1/me');
    assert.deepEqual({ ...session.json<object>(), csrfToken: undefined }, { name: 'rita', role: 'reviewer', authentication: 'session', csrfToken: undefined });
    const token = await as('analyst token', 'GET', '/api/v1/me');
    assert.deepEqual(token.json(), { name: 'alice', role: 'analyst', authentication: 'token' });
  });

  test('revoked token is rejected', async () => {
    const token = await createToken(t.store, 'bob', 'analyst');
    const headers = { authorization: `Bearer ${token}` };
    assert.equal((await call('GET', '/api/v1/me', headers)).statusCode, 200);

    const record = await t.store.team.findTokenByHash(tokenHash(token));
    assert.ok(record);
    const admin = sessions.get('admin');
    assert.ok(admin);
    const revoke = await app.inject({
      method: 'POST',
      url: `/admin/tokens/${record.id}/revoke`,
      headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: admin.csrfToken }).toString(),
    });
    assert.ok(revoke.statusCode === 303 || revoke.statusCode === 200, `revoking returned ${revoke.statusCode}`);

    const takesBefore = await t.store.team.listTakes({ stixId: LSASS.stixId });
    const auditBefore = await auditCount();
    const me = await call('GET', '/api/v1/me', headers);
    assert.equal(me.statusCode, 401);
    assert.equal(me.json<ErrorJson>().error.code, 'unauthorized');
    assert.match(me.json<ErrorJson>().error.message, /revoked/);
    const write = await call('POST', '/api/v1/takes', headers, { object: LSASS.attackId, body: 'Written with a revoked token.' });
    assert.equal(write.statusCode, 401);
    const list = await call('GET', '/api/v1/takes', headers);
    assert.equal(list.statusCode, 401, 'a rejected token is not downgraded to anonymous');
    assert.deepEqual(await t.store.team.listTakes({ stixId: LSASS.stixId }), takesBefore);
    assert.equal(await auditCount(), auditBefore);
  });

  test('audit log filters and JSON lines', async () => {
    const take = await publishedBy('alice', LSASS);

    const bySubject = await as('admin', 'GET', `/api/v1/audit?subject=take:${take.id}`);
    assert.equal(bySubject.statusCode, 200, bySubject.body);
    const entries = bySubject.json<{ entries: { action: string; actor: string; channel: string; subject: string }[] }>().entries;
    assert.deepEqual(entries.map((entry) => entry.action), ['take.publish', 'take.submit', 'take.create']);
    assert.deepEqual(entries.map((entry) => entry.actor), ['rita', 'alice', 'alice']);
    for (const entry of entries) assert.equal(entry.channel, 'token');

    const firstPage = await as('admin', 'GET', `/api/v1/audit?subject=take:${take.id}&limit=2`);
    const page = firstPage.json<{ entries: { id: number }[]; nextBefore: number | null }>();
    assert.equal(page.entries.length, 2);
    assert.equal(page.nextBefore, page.entries[1]?.id);
    assert.match(String(firstPage.headers.link), new RegExp(`before=${page.nextBefore}.*rel="next"`));
    const secondPage = await as('admin', 'GET', `/api/v1/audit?subject=take:${take.id}&limit=2&before=${page.nextBefore}`);
    const rest = secondPage.json<{ entries: { action: string }[]; nextBefore: number | null }>();
    assert.deepEqual(rest.entries.map((entry) => entry.action), ['take.create']);
    assert.equal(rest.nextBefore, null);

    const lines = await as('admin', 'GET', `/api/v1/audit?subject=take:${take.id}&format=jsonl`);
    assert.match(String(lines.headers['content-type']), /^application\/x-ndjson/);
    const parsed = lines.body.trimEnd().split('\n').map((line) => JSON.parse(line) as { action: string });
    assert.deepEqual(parsed.map((entry) => entry.action), ['take.publish', 'take.submit', 'take.create']);
    const stored = await t.store.team.listAudit({ subject: `take:${take.id}`, limit: 10 });
    assert.deepEqual(parsed, stored.map(auditView), 'each line is auditView of the stored entry');

    const accepted = await call('GET', `/api/v1/audit?subject=take:${take.id}`, { ...headersOf('admin', false), accept: 'application/x-ndjson' });
    assert.equal(accepted.body, lines.body);

    const publishes = await as('admin', 'GET', '/api/v1/audit?action=take.publish&actor=RITA');
    assert.ok(publishes.json<{ entries: { subject: string }[] }>().entries.some((entry) => entry.subject === `take:${take.id}`));
    const future = await as('admin', 'GET', '/api/v1/audit?since=2999-01-01');
    assert.deepEqual(future.json<{ entries: unknown[] }>().entries, []);
    const today = new Date().toISOString().slice(0, 10);
    const untilToday = await as('admin', 'GET', `/api/v1/audit?subject=take:${take.id}&until=${today}`);
    assert.equal(untilToday.json<{ entries: unknown[] }>().entries.length, 3, 'a date as until includes that whole day');

    const badTime = await as('admin', 'GET', '/api/v1/audit?since=yesterday');
    assert.equal(badTime.statusCode, 400);
    assert.match(badTime.json<ErrorJson>().error.message, /since=yesterday/);
    await clearTakes(LSASS);
  });

  test('import of 18.1 blocks publishing and stales published takes', async () => {
    const pending = await submittedBy('alice', VIRTUAL_INSTANCE);
    const dllTake = await publishedBy('alice', DLL);
    const unchangedTake = await publishedBy('alice', POWERSHELL);
    assert.equal(pending.pinned.release, 'enterprise-attack-18.0');

    await importRelease(t.store, 'enterprise-attack', '18.1');

    // A published take on a changed object becomes stale; one on an unchanged object stays published.
    assert.equal(takeOf(await as('analyst', 'GET', `/api/v1/takes/${dllTake.id}`)).state, 'stale');
    assert.equal(takeOf(await as('anonymous', 'GET', `/api/v1/takes/${unchangedTake.id}`)).state, 'published');
    assert.equal((await as('anonymous', 'GET', `/api/v1/takes/${dllTake.id}`)).statusCode, 404);

    const before = await t.store.team.takeById(pending.id);
    const rejected = await as('reviewer', 'POST', `/api/v1/takes/${pending.id}/publish`, { revision: pending.revision });
    assert.equal(rejected.statusCode, 409, rejected.body);
    const error = rejected.json<ErrorJson>().error;
    assert.equal(error.code, 'not-publishable');
    assert.match(error.message, /re-pin/);
    const check = error.check;
    assert.ok(check, 'the error carries the check');
    assert.equal(check.publishable, false);
    assert.equal(check.pinned.release, 'enterprise-attack-18.0');
    assert.equal(check.current?.release, 'enterprise-attack-18.1');
    assert.notEqual(check.pinned.contentHash, check.current?.contentHash);
    const changes = check.comparison?.changes ?? [];
    assert.deepEqual(changes.map((change) => change.field), ['description', 'external_references', 'modified']);
    const references = changes.find((change) => change.field === 'external_references');
    const names = (list: unknown[] | undefined) => (list ?? []).map((reference) => (reference as { source_name: string }).source_name).sort();
    assert.deepEqual(names(references?.added), ['ITOCHU Hack the Sandbox', 'ITOCHU Sandbox PPT']);
    assert.deepEqual(names(references?.removed), ['Shadowbunny VM Defense Evasion']);
    assert.deepEqual(await t.store.team.takeById(pending.id), before, 'the rejected publish changed nothing');

    const staleCheck = (await as('reviewer', 'POST', `/api/v1/takes/${dllTake.id}/validate`)).json<{ check: CheckJson }>().check;
    const contributors = staleCheck.comparison?.changes.find((change) => change.field === 'x_mitre_contributors');
    assert.deepEqual(contributors?.added, [
      'Yusuke Niwa, ITOCHU Cyber & Intelligence Inc.',
      'Suguru Ishimaru, ITOCHU Cyber & Intelligence Inc.',
      'Hajime Yanagishita, Macnica, Inc.',
    ]);

    const repinned = takeOf(await as('reviewer', 'POST', `/api/v1/takes/${pending.id}/repin`, { revision: pending.revision }));
    assert.equal(repinned.pinned.release, 'enterprise-attack-18.1');
    assert.equal(repinned.pinned.contentHash, check.current?.contentHash);
    const published = takeOf(await as('reviewer', 'POST', `/api/v1/takes/${pending.id}/publish`, { revision: repinned.revision }));
    assert.equal(published.state, 'published');

    const stale = takeOf(await as('reviewer token', 'GET', `/api/v1/takes/${dllTake.id}`));
    const resubmitted = takeOf(await as('reviewer token', 'POST', `/api/v1/takes/${dllTake.id}/repin`, { revision: stale.revision }));
    assert.equal(resubmitted.state, 'submitted');
    assert.equal(resubmitted.pinned.release, 'enterprise-attack-18.1');
  });

  test('OpenAPI document describes the takes API', async () => {
    const response = await as('anonymous', 'GET', '/api/v1/openapi.json');
    assert.equal(response.statusCode, 200);
    type Operation = {
      operationId: string;
      description: string;
      parameters: { name: string; in: string; required: boolean; schema: Record<string, unknown> }[];
      requestBody?: { required: boolean; content: Record<string, { schema: Record<string, unknown> }> };
      security?: Record<string, string[]>[];
      responses: Record<string, unknown>;
    };
    const document = response.json<{
      openapi: string;
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: Record<string, { type: string; scheme?: string; in?: string; name?: string }> };
    }>();
    assert.equal(document.openapi, '3.1.0');
    assert.equal(document.components.securitySchemes.bearerAuth?.scheme, 'bearer');
    assert.equal(document.components.securitySchemes.cookieAuth?.in, 'cookie');

    const expected: Record<string, string[]> = {
      '/api/v1/takes': ['get', 'post'],
      '/api/v1/takes/{id}': ['get', 'put', 'patch'],
      '/api/v1/takes/{id}/submit': ['post'],
      '/api/v1/takes/{id}/validate': ['post'],
      '/api/v1/takes/{id}/publish': ['post'],
      '/api/v1/takes/{id}/repin': ['post'],
      '/api/v1/takes/{id}/withdraw': ['post'],
      '/api/v1/audit': ['get'],
      '/api/v1/me': ['get'],
    };
    const operationIds = new Set<string>();
    for (const [path, methods] of Object.entries(expected)) {
      assert.deepEqual(Object.keys(document.paths[path] ?? {}).sort(), [...methods].sort(), path);
    }
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        assert.ok(!operationIds.has(operation.operationId), `${where} has a unique operationId`);
        operationIds.add(operation.operationId);
        assert.match(operation.description, /Access: /, `${where} says who may call it`);
        assert.ok(operation.responses['200'] ?? operation.responses['201'], `${where} documents success`);
        for (const name of [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1])) {
          const parameter = operation.parameters.find((candidate) => candidate.name === name && candidate.in === 'path');
          assert.ok(parameter, `${where} declares path parameter ${name}`);
          assert.equal(parameter.required, true);
        }
        for (const parameter of operation.parameters) {
          assert.equal(typeof parameter.schema, 'object', `${where} ${parameter.name} has a schema`);
          assert.equal(parameter.schema.$schema, undefined);
        }
        if (method !== 'get') {
          const schema = operation.requestBody?.content['application/json']?.schema;
          assert.equal(schema?.type, 'object', `${where} has a JSON body schema`);
          assert.equal(schema?.$schema, undefined);
          assert.ok(operation.parameters.some((parameter) => parameter.name === 'X-CSRF-Token' && parameter.in === 'header'), `${where} documents the CSRF header`);
        }
        for (const requirement of operation.security ?? []) {
          for (const scheme of Object.keys(requirement)) assert.ok(document.components.securitySchemes[scheme], `${where} names a defined scheme`);
        }
      }
    }
    const publish = document.paths['/api/v1/takes/{id}/publish']?.post;
    assert.match(publish?.description ?? '', /Access: Reviewers and admins/);
    assert.deepEqual(publish?.security, [{ bearerAuth: [] }, { cookieAuth: [] }]);
    assert.deepEqual(document.paths['/api/v1/takes']?.get?.security?.[0], {}, 'listing takes works without authentication');
    const createBody = document.paths['/api/v1/takes']?.post?.requestBody?.content['application/json']?.schema;
    assert.deepEqual((createBody?.required as string[]).sort(), ['body', 'object']);

    const docs = await as('anonymous', 'GET', '/api/v1/docs');
    assert.equal(docs.statusCode, 200);
    for (const heading of ['GET /api/v1/takes', 'POST /api/v1/takes', 'PATCH /api/v1/takes/{id}', 'POST /api/v1/takes/{id}/publish', 'GET /api/v1/audit', 'GET /api/v1/me']) {
      assert.ok(docs.body.includes(`<code>${heading}</code>`), `the docs page lists ${heading}`);
    }
    assert.match(docs.body, /X-CSRF-Token/);
  });
});
