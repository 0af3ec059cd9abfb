/**
 * Periodic sync inside the server: re-reads the configured source and imports
 * what is new. A failed download or a bad bundle is logged with its location
 * and reason; the importer leaves the library as it was.
 */
import type { Logger } from 'pino';
import type { Store } from '../storage/store.js';
import { Importer } from './importer.js';
import { failedBundles } from './report.js';

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** setInterval cannot wait longer than 2^31-1 ms (about 24.8 days). */
const MAX_INTERVAL_MS = 2 ** 31 - 1;
/** ATT&CK publishes a few releases a year; re-reading the source more than once a minute only adds load. */
const MIN_INTERVAL_MS = 60_000;

/** Parses an interval such as `90s`, `30m`, `6h` or `1d` into milliseconds. */
export function parseInterval(text: string): number {
  const match = /^(\d+)\s*([smhd])$/i.exec(text.trim());
  const milliseconds = match ? Number(match[1]) * (UNIT_MS[(match[2] as string).toLowerCase()] ?? 0) : Number.NaN;
  if (!Number.isFinite(milliseconds) || milliseconds < MIN_INTERVAL_MS || milliseconds > MAX_INTERVAL_MS) {
    throw new Error(`invalid interval "${text}": use a number and a unit s, m, h or d, from 1m to 24d, for example 6h`);
  }
  return milliseconds;
}

/** Imports new releases from `source`; returns how many bundles were imported. Never throws. */
export async function syncOnce(store: Store, source: string, logger: Logger): Promise<number> {
  try {
    const report = await new Importer(store).importSources([source]);
    const imported = report.bundles.filter((bundle) => bundle.status === 'imported');
    for (const bundle of imported) {
      logger.info({ source: bundle.source, domain: bundle.domain, version: bundle.version, staleTakes: bundle.staleTakes }, 'sync imported a new release');
    }
    for (const bundle of failedBundles(report)) {
      logger.error({ source: bundle.source, reason: bundle.error }, 'sync could not import a bundle');
    }
    logger.info({ source, imported: imported.length, failed: failedBundles(report).length, elapsedMs: Math.round(report.elapsedMs) }, 'sync finished');
    return imported.length;
  } catch (error) {
    logger.error({ source, err: error }, 'sync failed');
    return 0;
  }
}

/** Starts syncing every `intervalMs`; returns a function that stops it. Runs never overlap. */
export function startSyncSchedule(store: Store, source: string, intervalMs: number, logger: Logger): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) {
      logger.warn({ source }, 'sync skipped: the previous sync is still running');
      return;
    }
    running = true;
    void syncOnce(store, source, logger).finally(() => {
      running = false;
    });
  }, intervalMs);
  logger.info({ source, intervalMs }, 'sync scheduled');
  return () => clearInterval(timer);
}
