/**
 * Serving benchmark: imports all releases of ../shared/attack-data into a
 * fresh database, starts the compiled server in its own process on
 * 127.0.0.1, and loads it with autocannon: an object page (T1059), a search,
 * an API object request, and, as the baseline, a static route of the same
 * server that returns the object page's exact bytes. A second static route
 * returns as many bytes of the letter x for comparison, because such a body
 * measured markedly faster than the same length of HTML through the same
 * route code. Prints requests per second, p50 and p99 latency and each
 * one's ratio to the baseline. All traffic stays on the loopback interface
 * and every run is bounded by DURATION_SECONDS.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';

const CONNECTIONS = 50;
const DURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const INDEX = resolve(import.meta.dirname, '..', '..', 'shared', 'attack-data', 'index.json');

interface Target {
  name: string;
  path: string;
}

const TARGETS: Target[] = [
  { name: 'object page T1059', path: '/techniques/T1059' },
  { name: 'search "powershell"', path: '/search?q=powershell' },
  { name: 'API object T1059', path: '/api/v1/objects/T1059?type=attack-pattern' },
];

async function startServer(dataDir: string, pagePath: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'serve-server.ts'), dataDir, pagePath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolveUrl, reject) => {
    lines.once('line', resolveUrl);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

async function load(url: string): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS });
}

const dir = mkdtempSync(join(tmpdir(), 'glexia-serve-'));
let server: { url: string; stop: () => void } | undefined;
try {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'dist', 'cli', 'main.js'), 'import', '--data-dir', dir, '--log-level', 'warn', INDEX], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const pagePath = TARGETS[0]?.path ?? '/';
  server = await startServer(dir, pagePath);
  const pageBytes = (await (await fetch(`${server.url}/bench/static`)).arrayBuffer()).byteLength;
  const baseline = await load(`${server.url}/bench/static`);
  const rows = [
    { name: `static copy, ${pageBytes} bytes (baseline)`, result: baseline },
    { name: `static filler x, ${pageBytes} bytes`, result: await load(`${server.url}/bench/filler`) },
  ];
  for (const target of TARGETS) rows.push({ name: target.name, result: await load(`${server.url}${target.path}`) });

  console.log(`${CONNECTIONS} connections, ${DURATION_SECONDS} s each, on 127.0.0.1`);
  for (const { name, result } of rows) {
    const errors = result.non2xx + result.errors;
    const ratio = result.requests.average / baseline.requests.average;
    console.log(
      `${name.padEnd(34)} ${result.requests.average.toFixed(0).padStart(6)} req/s  p50 ${String(result.latency.p50).padStart(4)} ms  p99 ${String(result.latency.p99).padStart(4)} ms  ` +
        `${(ratio * 100).toFixed(0).padStart(3)}% of baseline req/s${errors > 0 ? `  ${errors} errors or non-2xx` : ''}`,
    );
  }
  console.log('targets: object page p99 under 10 ms and at least 33% of the baseline req/s; search p99 under 20 ms');
} finally {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
