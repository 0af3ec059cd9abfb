/** `glexia serve` serves the library; `glexia start` imports from the configured source first, then serves. */
import { Command, Option } from 'commander';
import type { Config } from '../config.js';
import { buildServer } from '../web/server.js';
import { failedBundles } from '../import/report.js';
import { openContext, type CommandContext } from './context.js';
import { runImport } from './import-command.js';

interface ServeFlags {
  host?: string;
  port?: string;
  source?: string;
}

function overridesOf(flags: ServeFlags): Partial<Config> {
  return {
    ...(flags.host ? { host: flags.host } : {}),
    ...(flags.port ? { port: Number(flags.port) } : {}),
    ...(flags.source ? { source: flags.source } : {}),
  };
}

async function serve({ config, logger, store }: CommandContext): Promise<void> {
  const app = buildServer(store, config, logger);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ host: config.host, port: config.port });
  process.stdout.write(`Glexia is serving the library at ${address}\n`);
}

function addServeOptions(command: Command): Command {
  return command
    .addOption(new Option('--host <host>', 'address to listen on (default: 127.0.0.1, or GLEXIA_HOST)'))
    .addOption(new Option('--port <port>', 'TCP port to listen on (default: 8080, or GLEXIA_PORT)'));
}

export function registerServeCommands(program: Command): void {
  addServeOptions(program.command('serve').description('Serve the imported library over HTTP.')).action(
    async (flags: ServeFlags, command: Command) => serve(openContext(command, overridesOf(flags))),
  );

  addServeOptions(
    program
      .command('start')
      .description('Import every release of the configured source that is not imported yet, then serve the library.')
      .addOption(new Option('--source <location>', "collection index or bundle to import (default: MITRE's published index, or GLEXIA_SOURCE)")),
  ).action(async (flags: ServeFlags, command: Command) => {
    const context = openContext(command, overridesOf(flags));
    const report = await runImport(context.store, context.logger, [context.config.source], {});
    const failed = failedBundles(report);
    if (failed.length > 0) {
      context.logger.warn({ failed: failed.length }, 'some bundles were not imported; serving what the library holds');
    }
    await serve(context);
  });
}
