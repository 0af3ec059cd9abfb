/**
 * The server under test for bench:serve: the compiled Glexia server on a data
 * directory, plus two benchmark-only routes that return fixed buffers, the
 * baselines for what Glexia adds to a response. /bench/static returns the
 * exact bytes of the page at the given path, fetched once from this server;
 * /bench/filler returns as many bytes of the letter x. Prints the address
 * once both are ready.
 */
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
let page = Buffer.alloc(0);
let filler = Buffer.alloc(0);
app.get('/bench/static', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
app.get('/bench/filler', async (_request, reply) => reply.type('text/html; charset=utf-8').send(filler));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
page = Buffer.from(await (await fetch(`${address}${pagePath}`)).arrayBuffer());
filler = Buffer.alloc(page.length, 'x');
process.stdout.write(`${address}\n`);
