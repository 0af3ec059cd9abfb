/** `glexia import`: import bundles and collection indexes. */
import { Command } from 'commander';
import { Importer } from '../import/importer.js';
import { failedBundles, formatReport, type ImportReport } from '../import/report.js';
import type { Store } from '../storage/store.js';
import type { Logger } from 'pino';
import { openContext } from './context.js';
import { createProgressReporter } from './progress.js';

/** Imports the locations, prints the report and returns it; logs each failed bundle. */
export async function runImport(
  store: Store,
  logger: Logger,
  locations: readonly string[],
  flags: { domain?: string; release?: string },
): Promise<ImportReport> {
  const importer = new Importer(store);
  const report = await importer.importSources(locations, {
    ...(flags.domain ? { domain: flags.domain } : {}),
    ...(flags.release ? { version: flags.release } : {}),
    onProgress: createProgressReporter(logger),
  });
  for (const bundle of failedBundles(report)) logger.error({ source: bundle.source, reason: bundle.error }, 'bundle not imported');
  process.stdout.write(`${formatReport(report)}\n`);
  return report;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('Import ATT&CK releases from a collection index (index.json) or STIX bundles (.json or .json.gz), paths or https URLs. Each bundle is one release, imported in one transaction.')
    .argument('<sources...>', 'collection index or bundle files or URLs')
    .option('--domain <domain>', 'domain of bundles that do not name it: enterprise-attack, mobile-attack or ics-attack')
    .option('--release <version>', 'ATT&CK release of bundles that do not name it, for example 18.1')
    .action(async (sources: string[], flags: { domain?: string; release?: string }, command: Command) => {
      const { store, logger } = openContext(command);
      try {
        const report = await runImport(store, logger, sources, flags);
        if (failedBundles(report).length > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
