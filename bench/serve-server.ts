/**
 * The server under test for bench:serve: the compiled Glexia server on a data
 * directory, plus one benchmark-only route that returns a fixed buffer of a
 * given size, the baseline for what Glexia adds to a response. Prints the
 * address when it listens.
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

const [dataDir, staticBytes] = process.argv.slice(2);
if (!dataDir || !staticBytes) throw new Error('usage: serve-server.ts <data dir> <static response bytes>');

const config = loadConfig({ dataDir }, {});
const store = new SqliteStore(`${dataDir}/glexia.db`);
const app = buildServer(store, config, pino({ level: 'silent' }));
const body = Buffer.alloc(Number(staticBytes), 'x');
app.get('/bench/static', async (_request, reply) => reply.type('text/html; charset=utf-8').send(body));
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${address}\n`);
