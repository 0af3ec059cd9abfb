/**
 * One measured run, in its own process so that peak RSS belongs to that run
 * alone. Prints one JSON line: wall time of the work in ms and peak RSS in bytes.
 *   baseline <bundle.json.gz>            gunzip + JSON.parse + SHA-256
 *   import <bundle.json.gz> <dir> <domain> <version>   a full import into a fresh database
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

// The benchmark measures the compiled code that `glexia` runs, not the tsx-compiled sources.
const importerModule = '../dist/import/importer.js';
const storeModule = '../dist/storage/sqlite/sqlite-store.js';
const { Importer } = (await import(importerModule)) as typeof import('../src/import/importer.js');
const { SqliteStore } = (await import(storeModule)) as typeof import('../src/storage/sqlite/sqlite-store.js');

const [mode, file, dir, domain, version] = process.argv.slice(2);
if (!file) throw new Error('usage: import-worker.ts baseline|import <bundle.json.gz> [dir domain version]');

const started = performance.now();
if (mode === 'baseline') {
  const bytes = gunzipSync(readFileSync(file));
  const parsed = JSON.parse(bytes.toString('utf8')) as { objects: unknown[] };
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (parsed.objects.length === 0 || digest.length !== 64) throw new Error('baseline read nothing');
} else if (mode === 'import' && dir && domain && version) {
  const store = new SqliteStore(join(dir, 'glexia.db'));
  const report = await new Importer(store).importSources([file], { domain, version });
  await store.close();
  if (report.bundles[0]?.status !== 'imported') throw new Error(`import failed: ${report.bundles[0]?.error ?? 'unknown'}`);
} else {
  throw new Error(`unknown mode ${mode}`);
}
const elapsedMs = performance.now() - started;
// resourceUsage().maxRSS is in kilobytes.
process.stdout.write(`${JSON.stringify({ elapsedMs, peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);
