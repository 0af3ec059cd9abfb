/**
 * Serving benchmark: imports all releases of ../shared/attack-data into a
 * fresh database, starts the compiled server in its own process on
 * 127.0.0.1, and loads it with autocannon: an object page (T1059), a search,
 * an API object request, and as baselines static routes of the same server
 * that return the object page's exact bytes, uncompressed and gzip-compressed
 * as a browser gets them. A static route of as many bytes of the letter x
 * shows the load generator's own cost: autocannon 9 appends every response
 * body to a JavaScript string, which is much cheaper for ASCII than for HTML
 * with non-ASCII characters. Prints requests per second, p50 and p99 latency
 * and each row's ratio to its baseline. All traffic stays on the loopback
 * interface and every run is bounded by DURATION_SECONDS.
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

/** Browsers send this; cached pages then come gzip-compressed. */
const BROWSER_ENCODING = 'gzip, deflate, br';

interface Target {
  name: string;
  path: string;
  /** Accept-Encoding of the requests. */
  encoding: string;
  /** The row whose req/s this one is compared with; the baselines compare with themselves. */
  baseline: string;
}

const IDENTITY_BASELINE = 'static copy (baseline)';
const GZIP_BASELINE = 'static copy, gzip (baseline)';

const TARGETS: Target[] = [
  { name: IDENTITY_BASELINE, path: '/bench/static', encoding: 'identity', baseline: IDENTITY_BASELINE },
  { name: 'static filler x', path: '/bench/filler', encoding: 'identity', baseline: IDENTITY_BASELINE },
  { name: 'object page T1059', path: '/techniques/T1059', encoding: 'identity', baseline: IDENTITY_BASELINE },
  { name: GZIP_BASELINE, path: '/bench/static-gzip', encoding: BROWSER_ENCODING, baseline: GZIP_BASELINE },
  { name: 'object page T1059, gzip', path: '/techniques/T1059', encoding: BROWSER_ENCODING, baseline: GZIP_BASELINE },
  { name: 'search "powershell", gzip', path: '/search?q=powershell', encoding: BROWSER_ENCODING, baseline: GZIP_BASELINE },
  { name: 'API object T1059', path: '/api/v1/objects/T1059?type=attack-pattern', encoding: BROWSER_ENCODING, baseline: IDENTITY_BASELINE },
];

const OBJECT_PAGE = '/techniques/T1059';

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

async function load(url: string, encoding: string): Promise<autocannon.Result> {
  return autocannon({ url, connections: CONNECTIONS, duration: DURATION_SECONDS, headers: { 'accept-encoding': encoding } });
}

const dir = mkdtempSync(join(tmpdir(), 'glexia-serve-'));
let server: { url: string; stop: () => void } | undefined;
try {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'dist', 'cli', 'main.js'), 'import', '--data-dir', dir, '--log-level', 'warn', INDEX], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  server = await startServer(dir, OBJECT_PAGE);
  const results = new Map<string, autocannon.Result>();
  for (const target of TARGETS) results.set(target.name, await load(`${server.url}${target.path}`, target.encoding));

  console.log(`${CONNECTIONS} connections, ${DURATION_SECONDS} s each, on 127.0.0.1; gzip rows send Accept-Encoding: ${BROWSER_ENCODING}`);
  for (const target of TARGETS) {
    const result = results.get(target.name) as autocannon.Result;
    const baseline = results.get(target.baseline) as autocannon.Result;
    const errors = result.non2xx + result.errors;
    const ratio = result.requests.average / baseline.requests.average;
    const bytes = Math.round(result.throughput.average / Math.max(result.requests.average, 1));
    console.log(
      `${target.name.padEnd(30)} ${String(bytes).padStart(6)} B ${result.requests.average.toFixed(0).padStart(6)} req/s  ` +
        `p50 ${String(result.latency.p50).padStart(3)} ms  p99 ${String(result.latency.p99).padStart(3)} ms  ` +
        `${(ratio * 100).toFixed(0).padStart(3)}% of ${target.baseline}${errors > 0 ? `  ${errors} errors or non-2xx` : ''}`,
    );
  }
  console.log('targets: object page p99 under 10 ms and at least 33% of the baseline req/s; search p99 under 20 ms');
} finally {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
}
