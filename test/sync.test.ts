import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { parseInterval, syncOnce } from '../src/import/sync-schedule.js';
import { bundlePath, createTestStore, type TestStore } from './support.js';

function writeIndex(file: string, versions: { version: string; url: string }[]): void {
  const index = { collections: [{ name: 'ICS ATT&CK', domain: 'ics-attack', versions }] };
  writeFileSync(file, JSON.stringify(index));
}

function capturingLogger(lines: Record<string, unknown>[]) {
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      callback();
    },
  });
  return pino({ level: 'info' }, stream);
}

describe('sync from a collection index', () => {
  let t: TestStore;
  let index: string;
  const logs: Record<string, unknown>[] = [];

  before(() => {
    t = createTestStore();
    index = join(t.dir, 'index.json');
  });
  after(async () => t.cleanup());

  test('sync imports only new releases', async () => {
    writeIndex(index, [{ version: '17.1', url: bundlePath('ics-attack', '17.1') }]);
    assert.equal(await syncOnce(t.store, index, capturingLogger(logs)), 1);

    writeIndex(index, [
      { version: '17.1', url: bundlePath('ics-attack', '17.1') },
      { version: '18.1', url: bundlePath('ics-attack', '18.1') },
    ]);
    assert.equal(await syncOnce(t.store, index, capturingLogger(logs)), 1);
    assert.equal(await syncOnce(t.store, index, capturingLogger(logs)), 0);

    const versions = (await t.store.listReleases()).map((release) => `${release.domain} ${release.version}`);
    assert.deepEqual(versions, ['ics-attack 17.1', 'ics-attack 18.1']);
  });

  test('failed bundle is logged and changes nothing', async () => {
    const missing = join(t.dir, 'ics-attack-19.0.json.gz');
    writeIndex(index, [{ version: '19.0', url: missing }]);
    const before = await t.store.listReleases();
    const lines: Record<string, unknown>[] = [];

    assert.equal(await syncOnce(t.store, index, capturingLogger(lines)), 0);

    const failure = lines.find((line) => line.msg === 'sync could not import a bundle');
    assert.ok(failure, 'the failure is logged');
    assert.equal(failure.source, missing);
    assert.match(String(failure.reason), /file not found/);
    assert.deepEqual(await t.store.listReleases(), before);
  });
});

test('interval parsing', () => {
  assert.equal(parseInterval('6h'), 6 * 3_600_000);
  assert.equal(parseInterval('90s'), 90_000);
  assert.equal(parseInterval('1d'), 86_400_000);
  assert.throws(() => parseInterval('5s'), /from 1m to 24d/);
  assert.throws(() => parseInterval('six hours'), /invalid interval "six hours"/);
  assert.throws(() => parseInterval('30d'), /invalid interval/);
});
