/**
 * History benchmark: imports all 16 bundles of ../shared/attack-data into a
 * fresh database and compares that with a bare gunzip + JSON.parse + SHA-256
 * of the same files, measured in the same run; reports the database size
 * against the bundles' uncompressed size; then times the Enterprise 17.1 to
 * 18.1 changelog and the comparison page of one sub-technique.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const WORKER = join(import.meta.dirname, 'history-worker.ts');

function run(args: string[]): Record<string, number> {
  const output = execFileSync(process.execPath, ['--import', 'tsx', WORKER, ...args], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as Record<string, number>;
}

const dir = mkdtempSync(join(tmpdir(), 'glexia-history-'));
try {
  const baseline = run(['baseline']);
  const imported = run(['import', dir]);
  const queries = run(['queries', dir]);
  const seconds = (ms: number | undefined) => `${((ms ?? Number.NaN) / 1000).toFixed(2)} s`;
  const mb = (bytes: number | undefined) => `${((bytes ?? Number.NaN) / 1e6).toFixed(1)} MB`;
  const importRatio = (imported.elapsedMs ?? Number.NaN) / (baseline.elapsedMs ?? Number.NaN);
  const sizeShare = (imported.databaseBytes ?? Number.NaN) / (baseline.uncompressedBytes ?? Number.NaN);

  console.log(`all ${imported.bundles} bundles of ../shared/attack-data`);
  console.log(`baseline (gunzip + JSON.parse + SHA-256): ${seconds(baseline.elapsedMs)}`);
  console.log(`import into a fresh database:            ${seconds(imported.elapsedMs)}  ratio ${importRatio.toFixed(2)} (target under 5)`);
  console.log(`database ${mb(imported.databaseBytes)} for ${mb(baseline.uncompressedBytes)} of bundles: ${(sizeShare * 100).toFixed(1)}% (target under 40%)`);
  console.log(`Enterprise 17.1 to 18.1 changelog: first ${queries.changelogFirstMs?.toFixed(0)} ms, median of 3 ${queries.changelogMedianMs?.toFixed(0)} ms (target under 1000 ms)`);
  console.log(`comparison page of T1059.001, 17.1 to 18.1: first ${queries.compareFirstMs?.toFixed(1)} ms, median of 20 ${queries.compareMedianMs?.toFixed(1)} ms (target under 20 ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
