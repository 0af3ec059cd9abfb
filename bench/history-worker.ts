/**
 * One measured run of the history benchmark, in its own process. Prints one JSON line.
 *   baseline               gunzip + JSON.parse + SHA-256 of every bundle in the collection index
 *   import <dir>           imports the whole collection index into a fresh database in <dir>
 *   queries <dir>          times the Enterprise 17.1 to 18.1 changelog and one object comparison
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';

// The benchmark measures the compiled code that `glexia` runs, not the tsx-compiled sources.
const modules = {
  importer: '../dist/import/importer.js',
  store: '../dist/storage/sqlite/sqlite-store.js',
  changelog: '../dist/history/changelog/index.js',
  server: '../dist/web/server.js',
  config: '../dist/config.js',
};
const { Importer } = (await import(modules.importer)) as typeof import('../src/import/importer.js');
const { SqliteStore } = (await import(modules.store)) as typeof import('../src/storage/sqlite/sqlite-store.js');
const { buildChangelog } = (await import(modules.changelog)) as typeof import('../src/history/changelog/index.js');
const { buildServer } = (await import(modules.server)) as typeof import('../src/web/server.js');
const { loadConfig } = (await import(modules.config)) as typeof import('../src/config.js');

const DATA = resolve(import.meta.dirname, '..', '..', 'shared', 'attack-data');
const INDEX = join(DATA, 'index.json');
const [mode, dir] = process.argv.slice(2);

interface IndexFile {
  collections: { versions: { url: string; bytes: number }[] }[];
}

function bundleFiles(): { file: string; bytes: number }[] {
  const index = JSON.parse(readFileSync(INDEX, 'utf8')) as IndexFile;
  return index.collections.flatMap((collection) => collection.versions.map((entry) => ({ file: join(DATA, entry.url), bytes: entry.bytes })));
}

function print(result: Record<string, number>): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (mode === 'baseline') {
  const started = performance.now();
  let uncompressedBytes = 0;
  for (const { file } of bundleFiles()) {
    const bytes = gunzipSync(readFileSync(file));
    uncompressedBytes += bytes.length;
    const parsed = JSON.parse(bytes.toString('utf8')) as { objects: unknown[] };
    if (parsed.objects.length === 0 || createHash('sha256').update(bytes).digest('hex').length !== 64) throw new Error('read nothing');
  }
  print({ elapsedMs: performance.now() - started, uncompressedBytes });
} else if (mode === 'import' && dir) {
  const store = new SqliteStore(join(dir, 'glexia.db'));
  const started = performance.now();
  const report = await new Importer(store).importSources([INDEX]);
  const elapsedMs = performance.now() - started;
  await store.close();
  const imported = report.bundles.filter((bundle) => bundle.status === 'imported').length;
  if (imported !== bundleFiles().length) throw new Error(`imported ${imported} bundles: ${report.bundles.map((b) => b.error ?? '').join(' ')}`);
  print({ elapsedMs, bundles: imported, databaseBytes: statSync(join(dir, 'glexia.db')).size });
} else if (mode === 'queries' && dir) {
  const store = new SqliteStore(join(dir, 'glexia.db'));
  const changelogTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await buildChangelog(store, 'enterprise-attack', '17.1', '18.1');
    changelogTimes.push(performance.now() - started);
  }
  const app = buildServer(store, loadConfig({ dataDir: dir }, {}), pino({ level: 'silent' }));
  await app.ready();
  const compareTimes: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = performance.now();
    // A distinct URL per request misses the page cache, so every request renders the comparison.
    const url = `/techniques/T1059/001/compare?from=enterprise-attack-17.1&to=enterprise-attack-18.1&run=${i}`;
    const response = await app.inject({ method: 'GET', url });
    if (response.headers['x-cache'] !== undefined) throw new Error('the comparison came from the page cache');
    if (response.statusCode !== 200) throw new Error(`comparison returned ${response.statusCode}`);
    compareTimes.push(performance.now() - started);
  }
  await app.close();
  await store.close();
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  print({
    changelogFirstMs: changelogTimes[0] as number,
    changelogMedianMs: sorted(changelogTimes)[1] as number,
    compareFirstMs: compareTimes[0] as number,
    compareMedianMs: sorted(compareTimes)[10] as number,
  });
} else {
  throw new Error('usage: history-worker.ts baseline | import <dir> | queries <dir>');
}
