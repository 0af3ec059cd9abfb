/**
 * The server under test for bench:serve: the compiled Glexia server on a data
 * directory, plus benchmark-only routes that return fixed buffers, the
 * baselines for what Glexia adds to a response. /bench/static returns the
 * exact bytes of the page at the given path as the server sends them without
 * compression. /bench/static-gzip returns the bytes it sends to a client that
 * accepts gzip, and /bench/filler as many bytes of the letter x as /bench/static.
 * Prints the address once all are ready.
 */
import { get } from 'node:http';
import { pino } from 'pino';

const modules = {
  store: '../dist/storage/sqlite/sqlite-store.js',
  server: '../dist/web/server.js',
  config: '../dist/config.js',
};
const { SqliteStore } = (await import(modules.store)) as typeof import('../src/storage/sqlite/sqlite-store.js');
const { buildServer } = (await import(modules.server)) as typeof import('../src/web/server.js');
const { loadConfig } = (await import(modules.config)) as typeof import('../src/config.js');

const [dataDir, pagePath] = process.argv.slice(2);
if (!dataDir || !pagePath) throw new Error('usage: serve-server.ts <data dir> <page path to copy, e.g. /techniques/T1059>');

const config = loadConfig({ dataDir }, {});
const store = new SqliteStore(`${dataDir}/glexia.db`);
const app = buildServer(store, config, pino({ level: 'silent' }));
let page: Buffer = Buffer.alloc(0);
let pageGzip: Buffer = Buffer.alloc(0);
let filler: Buffer = Buffer.alloc(0);
const html = 'text/html; charset=utf-8';
app.get('/bench/static', async (_request, reply) => reply.type(html).send(page));
app.get('/bench/static-gzip', async (_request, reply) => reply.type(html).header('Content-Encoding', 'gzip').send(pageGzip));
app.get('/bench/filler', async (_request, reply) => reply.type(html).send(filler));
const address = await app.listen({ host: '127.0.0.1', port: 0 });

/** Fetches the raw bytes of a response; fetch() would decompress them. */
function rawBody(path: string, acceptEncoding: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    get(`${address}${path}`, { headers: { 'accept-encoding': acceptEncoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks)));
    }).on('error', reject);
  });
}

// The first request renders and caches the page; later ones are cache hits, as under load.
page = await rawBody(pagePath, 'identity');
page = await rawBody(pagePath, 'identity');
pageGzip = await rawBody(pagePath, 'gzip, deflate, br');
filler = Buffer.alloc(page.length, 'x');
process.stdout.write(`${address}\n`);
