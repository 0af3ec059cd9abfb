/** Shared set-up for tests: everything of store-support.ts, and a server over a test store. */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { loadConfig, type Config } from '../src/config.js';
import { buildServer } from '../src/web/server.js';
import type { TestStore } from './store-support.js';

export * from './store-support.js';

/** Builds the server over a test store with the default configuration and a silent logger, ready for `inject`. */
export async function createTestServer(t: TestStore, config: Config = loadConfig({ dataDir: t.dir }, {})): Promise<FastifyInstance> {
  const app = buildServer(t.store, config, pino({ level: 'silent' }));
  await app.ready();
  return app;
}
