/** Shared set-up of CLI commands: configuration from the global options, logger and store. */
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { databaseFile, loadConfig, type Config, type ConfigOverrides } from '../config.js';
import { createLogger } from '../logger.js';
import { SqliteStore } from '../storage/sqlite/sqlite-store.js';
import type { Store } from '../storage/store.js';

export interface CommandContext {
  config: Config;
  logger: Logger;
  store: Store;
}

interface GlobalOptions {
  dataDir?: string;
  config?: string;
  logLevel?: Config['logLevel'];
}

export function openContext(command: Command, overrides: ConfigOverrides = {}): CommandContext {
  const globals = command.optsWithGlobals<GlobalOptions>();
  const config = loadConfig({
    ...overrides,
    ...(globals.dataDir ? { dataDir: globals.dataDir } : {}),
    ...(globals.logLevel ? { logLevel: globals.logLevel } : {}),
    ...(globals.config ? { configFile: globals.config } : {}),
  });
  const logger = createLogger(config.logLevel);
  const store = new SqliteStore(databaseFile(config));
  return { config, logger, store };
}
