import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { loadConfig } from '../src/config.js';
import { buildServer } from '../src/web/server.js';
import { addUser } from './auth-support.js';
import { bundlePath, createTestStore, importFiles, importRelease, type TestStore } from './support.js';

/** Debian's chromium package; .ci/run installs it. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const ARTIFACTS = resolve(import.meta.dirname, '..', 'artifacts', 'screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

describe('pages in a real browser', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing: apt-get install -y chromium` }, () => {
  let t: TestStore;
  let app: FastifyInstance;
  let browser: Browser;
  let base: string;
  const passwords = new Map<string, string>();

  /** Opens a page in a fresh context; CSP is bypassed only so that the test can inject axe-core. */
  const open = async (path: string): Promise<Page> => {
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const response = await page.goto(`${base}${path}`);
    assert.equal(response?.status(), 200, `${path} returns 200`);
    return page;
  };

  const screenshot = async (page: Page, name: string) => {
    await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  };

  const seriousViolations = async (page: Page): Promise<AxeViolation[]> => {
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = await page.evaluate(async () => {
      const result = await (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe.run();
      return result.violations;
    });
    return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  };

  before(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = createTestStore();
    await importFiles(t.store, bundlePath('ics-attack', '18.1'));
    await importRelease(t.store, 'enterprise-attack', '18.1');
    for (const [name, role] of [['ana', 'analyst'], ['rey', 'reviewer']] as const) {
      passwords.set(name, (await addUser(t.store, name, role)).password);
    }
    app = buildServer(t.store, loadConfig({ dataDir: t.dir }, {}), pino({ level: 'silent' }));
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await t?.cleanup();
  });

  test('mitigation T1114 shows every section', async () => {
    const page = await open('/mitigations/T1114');
    await screenshot(page, 'mitigation-T1114');
    assert.equal(await page.locator('h1').textContent(), 'T1114: Email Collection Mitigation');
    for (const selector of ['.incident-banner', '.badges', '.notice.deprecated', '#analyst-take', '#definition', '#guidance', '#relationships', '#history', '#raw-source', '#references', '#attribution']) {
      assert.ok(await page.locator(selector).first().isVisible(), `${selector} is visible`);
    }
  });

  test('citation link jumps to its reference', async () => {
    const page = await open('/techniques/T1114');
    const citation = page.locator('#definition sup.cite a').first();
    const target = await citation.getAttribute('href');
    assert.match(target ?? '', /^#ref-\d+$/);
    await citation.click();
    assert.ok(page.url().endsWith(target ?? '#none'), 'the address ends with the reference anchor');
    assert.ok(await page.locator(target ?? '#none').isVisible(), 'the reference is visible');
    assert.ok(await page.locator(`${target} a`).first().isVisible(), 'the reference has a link to its source');
  });

  test('raw source link opens the JSON', async () => {
    const page = await open('/techniques/T1114');
    const href = await page.locator('#raw-source a').first().getAttribute('href');
    assert.match(href ?? '', /^\/raw\/attack-pattern--1608f3e1-598a-42f4-a01a-2e252e81728f\?release=enterprise-attack-18\.1$/);
  });

  test('search T1114 from the home page', async () => {
    const page = await open('/');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id), 'site-search');
    await page.keyboard.type('T1114');
    await Promise.all([page.waitForURL(/\/search\?q=T1114/), page.keyboard.press('Enter')]);
    await screenshot(page, 'search-T1114');
    const technique = page.locator('.search-results a[href="/techniques/T1114"]').first();
    const mitigation = page.locator('.search-results a[href="/mitigations/T1114"]').first();
    assert.ok(await technique.isVisible(), 'the technique Email Collection is listed');
    assert.ok(await mitigation.isVisible(), 'the deprecated mitigation is listed');

    await Promise.all([page.waitForURL(/\/mitigations\/T1114$/), mitigation.click()]);
    assert.equal(await page.locator('h1').textContent(), 'T1114: Email Collection Mitigation');
    for (const selector of ['.notice.deprecated', '#analyst-take', '#definition', '#relationships', '#history', '#references', '#attribution']) {
      assert.ok(await page.locator(selector).first().isVisible(), `${selector} is visible`);
    }
  });

  test('matrix expands sub-techniques and filters by platform', async () => {
    const page = await open('/matrices/enterprise-attack');
    const subTechnique = page.locator('a[href="/techniques/T1059/001"]').first();
    assert.equal(await subTechnique.isVisible(), false, 'sub-techniques start collapsed');
    const cell = page.locator('td', { has: page.locator('a[href="/techniques/T1059"]') }).first();
    await cell.locator('summary').click();
    assert.ok(await subTechnique.isVisible(), 'T1059.001 shows after expanding T1059');
    await screenshot(page, 'matrix-enterprise-expanded');

    // T1583 Acquire Infrastructure is a PRE technique, so the Windows view leaves it out.
    assert.ok(await page.locator('a[href="/techniques/T1583"]').first().isVisible());
    await page.selectOption('#matrix-platform', 'Windows');
    await Promise.all([page.waitForURL(/platform=Windows/), page.locator('form.matrix-filter button').click()]);
    assert.equal(await page.locator('a[href="/techniques/T1583"]').count(), 0);
    assert.ok((await page.locator('a[href="/techniques/T1059"]').count()) > 0);
  });

  /** Signs in through the login form in a fresh context; it enforces the site's CSP unless axe-core must be injected. */
  const signedIn = async (name: string, bypassCSP = false): Promise<Page> => {
    const context = await browser.newContext({ bypassCSP, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${base}/login?next=/techniques/T1059/001`);
    await page.fill('#login-name', name);
    await page.fill('#login-password', passwords.get(name) ?? '');
    await Promise.all([page.waitForURL(/\/techniques\/T1059\/001$/), page.locator('form.account-form button[type="submit"]').click()]);
    return page;
  };

  test('take written, previewed, published', async () => {
    const analyst = await signedIn('ana');
    await Promise.all([analyst.waitForURL(/\/takes\/new\?object=/), analyst.locator('#analyst-take a', { hasText: 'Write a take' }).click()]);

    // The live preview comes from site.js under the real CSP; the script tag must arrive as inert text.
    await analyst.fill('#take-body', 'Watch **PowerShell** logging.<script>window.injected = 1</script>');
    await analyst.locator('#take-preview-output strong', { hasText: 'PowerShell' }).waitFor({ timeout: 5000 });
    assert.equal(await analyst.locator('#take-preview-output script').count(), 0, 'no script element in the preview');
    assert.equal(await analyst.evaluate(() => (globalThis as unknown as { injected?: number }).injected), undefined);
    await screenshot(analyst, 'take-editor');
    const auditor = await signedIn('rey', true);
    await auditor.goto(analyst.url());
    assert.deepEqual((await seriousViolations(auditor)).map((violation) => violation.id), [], 'editor page accessibility');

    await Promise.all([analyst.waitForURL(/\/takes\/\d+\?done=created$/), analyst.locator('button[name="intent"][value="save"]').click()]);
    const takeUrl = analyst.url().split('?')[0] ?? '';
    await Promise.all([analyst.waitForLoadState('load'), analyst.locator('form.take-action button', { hasText: 'Submit for review' }).click()]);
    assert.match(await analyst.locator('main').innerText(), /submitted/i);

    const reviewer = await signedIn('rey', true);
    await reviewer.goto(`${takeUrl}/review`);
    await screenshot(reviewer, 'take-review');
    assert.deepEqual((await seriousViolations(reviewer)).map((violation) => violation.id), [], 'review page accessibility');
    await Promise.all([reviewer.waitForLoadState('load'), reviewer.locator('form.take-action button', { hasText: 'Publish the take' }).click()]);

    const reader = await open('/techniques/T1059/001');
    const take = reader.locator('#analyst-take .take-published');
    assert.ok(await take.isVisible(), 'readers see the published take');
    assert.match(await take.innerText(), /Watch PowerShell logging\./);
    assert.match(await take.innerText(), /Written by ana/);
    await screenshot(reader, 'take-published');
  });

  for (const [name, path] of [
    ['login', '/login'],
    ['home', '/'],
    ['search', '/search?q=powershell'],
    ['list', '/groups'],
    ['technique', '/techniques/T1059/001'],
    ['group', '/groups/G0007'],
    ['matrix', '/matrices/ics-attack'],
    ['asset', '/assets/A0001'],
  ] as const) {
    test(`${name} page has no serious accessibility violations`, async () => {
      const page = await open(path);
      await screenshot(page, name);
      const violations = await seriousViolations(page);
      assert.deepEqual(
        violations.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).slice(0, 3).join(', ')})`),
        [],
      );
    });
  }
});
