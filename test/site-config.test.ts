/** Site settings from the configuration file that change every page. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../src/config.js';
import { createTestServer, createTestStore } from './support.js';

test('banner false removes incident banner', async () => {
  const t = createTestStore();
  try {
    const file = join(t.dir, 'glexia.config.json');
    writeFileSync(file, JSON.stringify({ banner: false }));
    const app = await createTestServer(t, loadConfig({ dataDir: t.dir, configFile: file }, {}));
    const page = await app.inject({ method: 'GET', url: '/' });
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /incident-banner/);
    await app.close();

    const withDefault = await createTestServer(t);
    assert.match((await withDefault.inject({ method: 'GET', url: '/' })).body, /class="incident-banner"/);
    await withDefault.close();
  } finally {
    await t.cleanup();
  }
});

test('invalid banner names the field', () => {
  const t = createTestStore();
  try {
    const file = join(t.dir, 'glexia.config.json');
    writeFileSync(file, JSON.stringify({ banner: true }));
    assert.throws(() => loadConfig({ configFile: file }, {}), /invalid configuration: field "banner"/);
  } finally {
    void t.cleanup();
  }
});
