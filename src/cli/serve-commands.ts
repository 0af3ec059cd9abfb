/** `glexia serve` serves the library; `glexia start` imports from the configured source first, then serves. */
import { Command, Option } from 'commander';
import type { Config } from '../config.js';
import { buildServer } from '../web/server.js';
import { failedBundles } from '../import/report.js';
import { openContext, type CommandContext } from './context.js';
import { runImport } from './import-command.js';
import { parseInterval, startSyncSchedule } from '../import/sync-schedule.js';

interface ServeFlags {
  host?: string;
  port?: string;
  source?: string;
  syncEvery?: string;
}

function overridesOf(flags: ServeFlags): Partial<Config> {
  return {
    ...(flags.host ? { host: flags.host } : {}),
    ...(flags.port ? { port: Number(flags.port) } : {}),
    ...(flags.source ? { source: flags.source } : {}),
  };
}

async function serve({ config, logger, store }: CommandContext, syncEvery: string | undefined): Promise<void> {
  const stopSync = syncEvery ? startSyncSchedule(store, config.source, parseInterval(syncEvery), logger) : undefined;
  const app = buildServer(store, config, logger);
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'shutting down');
    stopSync?.();
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
    .addOption(new Option('--port <port>', 'TCP port to listen on (default: 8080, or GLEXIA_PORT)'))
    .addOption(
      new Option(
        '--sync-every <interval>',
        're-read the configured source (GLEXIA_SOURCE or the config file; default MITRE\'s published index) and import new releases at this interval, from 1m to 24d, for example 6h; off by default',
      ),
    );
}

export function registerServeCommands(program: Command): void {
  addServeOptions(program.command('serve').description('Serve the imported library over HTTP.')).action(
    async (flags: ServeFlags, command: Command) => {
      if (flags.syncEvery) parseInterval(flags.syncEvery);
      return serve(openContext(command, overridesOf(flags)), flags.syncEvery);
    },
  );

  program
    .command('sync')
    .description('Re-read the configured source (collection index or bundle) and import only the releases that are new.')
    .addOption(new Option('--source <location>', "collection index or bundle to read (default: MITRE's published index, or GLEXIA_SOURCE)"))
    .action(async (flags: ServeFlags, command: Command) => {
      const context = openContext(command, overridesOf(flags));
      try {
        const report = await runImport(context.store, context.logger, [context.config.source], {});
        if (failedBundles(report).length > 0) process.exitCode = 1;
      } finally {
        await context.store.close();
      }
    });

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
      context.logger.warn({ failed: failed.length }, 'some bundles failed to import; serving the releases already in the library');
    }
    await serve(context, flags.syncEvery);
  });
}
