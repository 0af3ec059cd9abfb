/**
 * Import benchmark: imports enterprise-attack 18.1 from ../shared/attack-data
 * into a fresh database, and compares it with a bare gunzip + JSON.parse +
 * SHA-256 of the same file measured in the same run. Each run is a separate
 * process; the figures are medians of RUNS runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const BUNDLE = resolve(import.meta.dirname, '..', '..', 'shared', 'attack-data', 'enterprise-attack', 'enterprise-attack-18.1.json.gz');
const WORKER = join(import.meta.dirname, 'import-worker.ts');

interface Sample {
  elapsedMs: number;
  peakRssBytes: number;
}

function run(args: string[]): Sample {
  const output = execFileSync(process.execPath, ['--import', 'tsx', WORKER, ...args], { encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').pop() ?? '{}') as Sample;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const baseline: Sample[] = [];
const imports: Sample[] = [];
for (let i = 0; i < RUNS; i++) {
  baseline.push(run(['baseline', BUNDLE]));
  const dir = mkdtempSync(join(tmpdir(), 'glexia-bench-'));
  try {
    imports.push(run(['import', BUNDLE, dir, 'enterprise-attack', '18.1']));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const baseTime = median(baseline.map((sample) => sample.elapsedMs));
const importTime = median(imports.map((sample) => sample.elapsedMs));
const baseRss = Math.max(...baseline.map((sample) => sample.peakRssBytes));
const importRss = Math.max(...imports.map((sample) => sample.peakRssBytes));
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

console.log(`enterprise-attack 18.1, ${RUNS} runs each, medians of wall time, maximum of peak RSS`);
console.log(`baseline (gunzip + JSON.parse + SHA-256): ${(baseTime / 1000).toFixed(2)} s, peak RSS ${mib(baseRss)} MiB`);
console.log(`import into a fresh SQLite database:      ${(importTime / 1000).toFixed(2)} s, peak RSS ${mib(importRss)} MiB`);
console.log(`ratio import / baseline: ${(importTime / baseTime).toFixed(2)} (target at most 5), peak RSS ${importRss < 1024 ** 3 ? 'under' : 'OVER'} 1 GiB`);
