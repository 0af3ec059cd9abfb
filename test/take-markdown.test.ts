/**
 * Take Markdown is inert wherever it is rendered: on the object page for readers, in the editor
 * and through the preview endpoint. Also checks that a take's citation shares the page's
 * numbering with MITRE's definition, that the editor's help states what the sanitiser keeps, and
 * that the preview warns of what readers would not see: unknown citations and images.
 *
 * ICS 18.1, read by hand: T0829 Loss of View (attack-pattern--138979ba-0430-4de6-a128-2fc0b056ba36)
 * has references Corero, "Michael J. Assante and Robert M. Lee" and Tyson Macaulay, and its
 * description cites them in that order.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import type { ActionOrigin } from '../src/takes/take-service.js';
import { TakeService } from '../src/takes/take-service.js';
import { addUser, signIn } from './auth-support.js';
import { createTestServer, createTestStore, importRelease, type TestStore } from './support.js';

const LOSS_OF_VIEW = { path: '/techniques/T0829', stixId: 'attack-pattern--138979ba-0430-4de6-a128-2fc0b056ba36' };

/** Hostile input, one attack per line, each with text that must survive as text. */
const HOSTILE_TAKE = [
  'Safe opening paragraph. (Citation: Tyson Macaulay)',
  '',
  "<script>alert('take-script')</script>",
  '',
  "[javascript link](javascript:alert('take-js-link')) and [data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  '',
  `<a href="javascript:alert('raw-js-link')">raw javascript anchor</a> <a href="jav&#x61;script:alert('entity-js')">entity anchor</a> <a href="JaVaScRiPt&colon;alert(1)">colon entity anchor</a>`,
  '',
  `<a href="https://example.org/" onclick="alert('take-onclick')">safe anchor text</a>`,
  '',
  `<img src=x onerror="alert('take-onerror')"> <IMG SRC="javascript:alert('img-js');">`,
  '',
  '<style>body { display: none }</style>',
  '',
  '<p style="color: red" onmouseover="alert(1)">styled paragraph text</p>',
  '',
  '<div><b onmouseover="alert(2)"><i>nested bold text</i></b></div>',
  '',
  '<iframe src="https://example.org/frame"></iframe>',
  '',
  "<svg onload=\"alert('svg-onload')\"><script>alert('svg-script')</script></svg>",
  '',
  "&lt;script&gt;alert('entity-script')&lt;/script&gt; entity text",
  '',
  "<scr<script>ipt>alert('split')</script>",
  '',
  "</textarea><script>alert('textarea-breakout')</script>",
  '',
  '<math><mi xlink:href="javascript:alert(3)">math text</mi></math>',
  '',
  '<object data="javascript:alert(4)"></object><embed src="javascript:alert(5)">',
  '',
  '[mail me](mailto:soc@example.org) and [a page](https://example.org/page)',
].join('\n');

/** Text that each hostile line must leave visible, proof that sanitising kept the content. */
const SAFE_TEXTS = ['Safe opening paragraph.', 'safe anchor text', 'styled paragraph text', 'nested bold text', 'raw javascript anchor', 'entity anchor', 'mail me', 'a page'];

/** Elements that sanitised take Markdown may contain, with the attributes each may carry. */
const ALLOWED_ELEMENTS: Record<string, readonly string[]> = {
  p: [], pre: [], ul: [], ol: ['start'], li: [], blockquote: [], hr: [], br: [],
  table: [], thead: [], tbody: [], tr: [], th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'],
  h3: [], h4: [], h5: [], h6: [],
  a: ['href', 'title', 'rel', 'id'], em: [], strong: [], u: [], b: [], i: [], s: [], del: [], code: [], sub: [],
  sup: ['class'],
};

interface Element {
  name: string;
  attributes: Map<string, string>;
}

/** Finds every start tag in a fragment. Escaped text has no `<`, so each match is a real element. */
function elementsOf(fragment: string): Element[] {
  const elements: Element[] = [];
  for (const match of fragment.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>/g)) {
    const attributes = new Map<string, string>();
    for (const attribute of (match[2] ?? '').matchAll(/([^\s=>]+)(?:="([^"]*)")?/g)) {
      attributes.set((attribute[1] ?? '').toLowerCase(), attribute[2] ?? '');
    }
    elements.push({ name: (match[1] ?? '').toLowerCase(), attributes });
  }
  return elements;
}

/** Asserts that the fragment contains only allowed elements and attributes and only safe link targets. */
function assertInert(fragment: string, where: string): void {
  assert.doesNotMatch(fragment, /<(script|style|iframe|svg|img|math|object|embed|textarea)\b/i, `${where}: no dangerous element`);
  for (const element of elementsOf(fragment)) {
    const allowed = ALLOWED_ELEMENTS[element.name];
    assert.ok(allowed, `${where}: <${element.name}> is allowed`);
    for (const [name, value] of element.attributes) {
      assert.ok(allowed.includes(name), `${where}: <${element.name} ${name}> is allowed`);
      if (name === 'href') assert.match(value, /^(https?:|mailto:|#)/, `${where}: href "${value}" is http, https, mailto or a fragment`);
    }
  }
  assert.doesNotMatch(fragment, /<[^>]*\son\w+\s*=/i, `${where}: no event handler attribute`);
  assert.doesNotMatch(fragment, /<[^>]*\sstyle\s*=/i, `${where}: no style attribute`);
  for (const text of SAFE_TEXTS) assert.ok(fragment.includes(text), `${where}: keeps "${text}"`);
}

function sectionOf(page: string, id: string): string {
  const match = new RegExp(`<section id="${id}"[\\s\\S]*?</section>`).exec(page);
  assert.ok(match, `the page has section ${id}`);
  return match[0];
}

let t: TestStore;
let app: FastifyInstance;
let session: { cookie: string; csrfToken: string };
let takeId: number;

before(async () => {
  t = createTestStore();
  await importRelease(t.store, 'ics-attack', '18.1');
  app = await createTestServer(t);

  const author = await addUser(t.store, 'mallory', 'reviewer');
  const publisher = await addUser(t.store, 'pat', 'reviewer');
  session = await signIn(app, 'mallory', author.password);
  const origin: ActionOrigin = { principal: { userId: author.user.id, name: 'mallory', role: 'reviewer', channel: 'cli' }, address: null };
  const second: ActionOrigin = { principal: { userId: publisher.user.id, name: 'pat', role: 'reviewer', channel: 'cli' }, address: null };
  const service = new TakeService(t.store);
  const draft = await service.create(origin, LOSS_OF_VIEW.stixId, HOSTILE_TAKE);
  const submitted = await service.submit(origin, draft.id, draft.revision);
  // A reviewer may not publish a take they wrote, so a second reviewer publishes it.
  await service.publish(second, submitted.id, submitted.revision);
  takeId = draft.id;
});

after(async () => {
  await app.close();
  await t.cleanup();
});

test('object page renders hostile take inert', async () => {
  const response = await app.inject({ method: 'GET', url: LOSS_OF_VIEW.path });
  assert.equal(response.statusCode, 200);
  const body = /<div class="take-body">([\s\S]*?)<\/div>\s*<p class="take-provenance">/.exec(sectionOf(response.body, 'analyst-take'))?.[1];
  assert.ok(body, 'the published take is on the page');
  assertInert(body, 'object page');

  // Hostile tags show as text, so readers see what the author typed; links with other schemes lose their href.
  assert.ok(body.includes("&lt;script&gt;alert('take-script')&lt;/script&gt;"), 'a script tag shows as text');
  assert.ok(body.includes("<p>&lt;script&gt;alert('entity-script')&lt;/script&gt; entity text</p>"), 'entities stay text');
  assert.ok(body.includes('<p><a>raw javascript anchor</a> <a>entity anchor</a> <a>colon entity anchor</a></p>'), 'javascript: hrefs are removed');
  assert.ok(body.includes('<p>[javascript link](javascript:'), 'a Markdown javascript: link stays text');
  assert.ok(body.includes('<p><a href="https://example.org/" rel="noopener noreferrer">safe anchor text</a></p>'), 'onclick is removed');
  assert.ok(body.includes('<p>styled paragraph text</p>'), 'style and onmouseover are removed');
  assert.equal((response.body.match(/<script\b/gi) ?? []).length, 1, 'the only script element is the site script');
  assert.match(response.body, /<script src="\/static\/site\.js" defer><\/script>/);
});

test('editor page escapes hostile take', async () => {
  const response = await app.inject({ method: 'GET', url: `/takes/${takeId}`, headers: { cookie: session.cookie } });
  assert.equal(response.statusCode, 200);
  assert.equal((response.body.match(/<script\b/gi) ?? []).length, 1, 'the only script element is the site script');
  assert.match(response.body, /&lt;\/textarea&gt;&lt;script&gt;alert\(&#39;textarea-breakout&#39;\)/, 'the text box holds the text escaped');
  const preview = /<div id="take-preview-output"><div class="take-body">([\s\S]*?)<\/div>/.exec(response.body)?.[1];
  assert.ok(preview, 'the editor shows a preview');
  assertInert(preview, 'editor preview');
});

test('preview endpoint returns inert fragment', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/takes/preview',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: session.csrfToken, body: HOSTILE_TAKE, object: LOSS_OF_VIEW.stixId }).toString(),
  });
  assert.equal(response.statusCode, 200);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.equal(response.headers['cache-control'], 'no-store');
  assert.doesNotMatch(response.body, /<html|<body|<main/, 'a fragment, not a page');
  const body = /^<div class="take-body">([\s\S]*?)<\/div>/.exec(response.body)?.[1];
  assert.ok(body, 'the fragment starts with the rendered take, without warnings');
  assertInert(body, 'preview endpoint');
  assert.match(response.body, /<li id="preview-ref-1" value="1"><strong>Tyson Macaulay<\/strong>/, 'the cited reference is listed');
});

test('preview endpoint needs CSRF token', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/takes/preview',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ body: 'hello', object: LOSS_OF_VIEW.stixId }).toString(),
  });
  assert.equal(response.statusCode, 403);
  assert.doesNotMatch(response.body, /<p>hello<\/p>/);
});

test('preview endpoint rejects oversized take', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/takes/preview',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: session.csrfToken, body: 'x'.repeat(20_001) }).toString(),
  });
  assert.equal(response.statusCode, 400);
  assert.match(response.body, /The take has 20001 characters; the maximum is 20000/);
});

test('take citation shares numbering with definition', async () => {
  const page = (await app.inject({ method: 'GET', url: LOSS_OF_VIEW.path })).body;
  const take = sectionOf(page, 'analyst-take');
  const definition = sectionOf(page, 'definition');
  const references = sectionOf(page, 'references');

  // The take renders first, so the source it cites gets number 1; the definition reuses it.
  assert.match(take, /Safe opening paragraph\. <sup class="cite"><a href="#ref-1" id="cite-1-1">\[1\]<\/a><\/sup>/);
  assert.match(definition, /<a href="#ref-2" id="cite-2-1">\[2\]<\/a>/);
  assert.match(definition, /<a href="#ref-3" id="cite-3-1">\[3\]<\/a>/);
  assert.match(definition, /<a href="#ref-1" id="cite-1-2">\[1\]<\/a>/);
  assert.match(references, /<li id="ref-1" value="1">\s*<strong>Tyson Macaulay<\/strong>/);
  assert.match(references, /<li id="ref-2" value="2">\s*<strong>Corero<\/strong>/);
  assert.match(references, /<li id="ref-3" value="3">\s*<strong>Michael J\. Assante and Robert M\. Lee<\/strong>/);
  assert.equal(references.split('<strong>Tyson Macaulay</strong>').length - 1, 1, 'one entry per source');
});

test('preview numbers citations with own anchors', async () => {
  const response = await app.inject({
    method: 'POST',
    url: '/takes/preview',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({
      _csrf: session.csrfToken,
      body: 'First (Citation: Corero) then (Citation: Tyson Macaulay) and (Citation: Not A Reference)',
      take: String(takeId),
    }).toString(),
  });
  assert.equal(response.statusCode, 200);
  assert.match(response.body, /First <sup class="cite"><a href="#preview-ref-1" id="preview-cite-1-1">\[1\]<\/a><\/sup>/);
  assert.match(response.body, /then <sup class="cite"><a href="#preview-ref-2" id="preview-cite-2-1">\[2\]<\/a><\/sup>/);
  assert.match(response.body, /and \(Citation: Not A Reference\)/, 'an unknown source stays as text');
  assert.match(response.body, /<li id="preview-ref-2" value="2"><strong>Tyson Macaulay<\/strong>/);

  const warning = /^<div class="notice take-warning">([\s\S]*?)<\/div><div class="take-body">/.exec(response.body)?.[1];
  assert.ok(warning, 'a warning comes before the preview');
  assert.match(warning, /1 citation matches no reference of T0829: Loss of View in\s+ics-attack 18\.1/);
  assert.match(warning, /<code>\(Citation: Not A Reference\)<\/code>/);
  assert.doesNotMatch(warning, /<code>\(Citation: (Corero|Tyson Macaulay)\)<\/code>/);
  assert.match(warning, /<summary>The 3 source names this take can cite<\/summary>/);
  for (const name of ['Corero', 'Michael J. Assante and Robert M. Lee', 'Tyson Macaulay']) assert.ok(warning.includes(`<li>${name}</li>`), name);
});

test('editor help states what Markdown shows', async () => {
  const editor = await app.inject({ method: 'GET', url: `/takes/${takeId}`, headers: { cookie: session.cookie } });
  assert.equal(editor.statusCode, 200);
  assert.match(editor.body, /<p id="take-body-help" class="note">[^<]*<code>\(Citation: Source Name\)<\/code>[^<]*Images are not shown\./);
  assert.doesNotMatch(editor.body, /HTML other than simple formatting is shown as text/);
  const help = /<details class="take-markdown-help">[\s\S]*?<\/details>/.exec(editor.body)?.[0];
  assert.ok(help, 'the editor lists the Markdown it supports');
  assert.match(help, /<strong>Images are not shown:<\/strong> a Markdown image \(<code>!\[alt\]\(url\)<\/code>\) is left out, alt text included/);

  // Each statement of the help, checked against the preview.
  const markdown = [
    '![network diagram](https://example.org/diagram.png)',
    '',
    '| Host | Port |',
    '|---|---|',
    '| hmi | 502 |',
    '',
    '~~old~~ <sup>2</sup> <kbd>Ctrl</kbd> [ftp link](ftp://example.org/) https://example.org/bare',
    '',
    '# Heading',
  ].join('\n');
  const response = await app.inject({
    method: 'POST',
    url: '/takes/preview',
    headers: { cookie: session.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: session.csrfToken, body: markdown, take: String(takeId) }).toString(),
  });
  assert.equal(response.statusCode, 200);
  const preview = response.body;
  assert.doesNotMatch(preview, /<img/i, 'no image');
  assert.doesNotMatch(preview, /network diagram/, 'no alt text');
  assert.match(preview, /<strong>Images are not shown\.<\/strong> Readers see nothing of a Markdown image/, 'the preview warns of the image');
  assert.match(preview, /<td>hmi<\/td>/, 'tables are kept');
  assert.match(preview, /<s>old<\/s> <sup>2<\/sup> &lt;kbd&gt;Ctrl&lt;\/kbd&gt;/, 'listed tags are kept and others show as text');
  assert.match(preview, /<a>ftp link<\/a> https:\/\/example\.org\/bare<\/p>/, 'other schemes and bare addresses are not linked');
  assert.match(preview, /<h3>Heading<\/h3>/, 'headings are two levels smaller');
});
