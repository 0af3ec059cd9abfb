/**
 * Imports bundles and collection indexes into a Store. Each bundle becomes one
 * release in one transaction; a bundle that fails leaves the library as it was
 * and the import goes on with the next one. Re-running an import is safe: a
 * bundle already imported is recognised by the SHA-256 of its bytes.
 */
import { performance } from 'node:perf_hooks';
import { compareVersions } from '../domain/versions.js';
import { AppError, ImportError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { parseJson, prepareBundle } from './bundle-reader.js';
import { isCollectionIndex, readCollectionIndex, type IndexedBundle } from './collection-index.js';
import { sha256Hex } from './hashing.js';
import type { ReleaseHints } from './release-identity.js';
import type { BundleReport, ImportReport } from './report.js';
import { absoluteLocation, readSource } from './source.js';

export type ImportStage = 'reading' | 'validating' | 'storing' | 'done';

export interface ImportProgress {
  source: string;
  stage: ImportStage;
  /** Position of this bundle among the bundles of its location (an index lists several), from 1. */
  position: number;
  total: number;
}

export interface ImportOptions {
  /** Domain and release for bundles given directly; entries of an index carry their own. */
  domain?: string;
  version?: string;
  onProgress?: (progress: ImportProgress) => void;
}

interface PendingBundle {
  location: string;
  hints: ReleaseHints;
  expectedSha256?: string;
  bytes?: Buffer;
  sha256?: string;
  parsed?: unknown;
}

function emptyReport(source: string): BundleReport {
  return {
    source,
    status: 'failed',
    objectsByType: {},
    newVersions: 0,
    existingVersions: 0,
    staleTakes: 0,
    staleTakeIds: [],
    warningsByKind: {},
    unknownTypes: {},
    elapsedMs: 0,
  };
}

function errorMessage(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return `import failed: ${error instanceof Error ? error.message : String(error)}`;
}

function byReleaseOrder(a: IndexedBundle, b: IndexedBundle): number {
  return compareVersions(a.version, b.version) || a.domain.localeCompare(b.domain);
}

export class Importer {
  constructor(private readonly store: Store) {}

  /** Imports every bundle named by the locations: bundle files, gzipped bundles, or collection indexes. */
  async importSources(locations: readonly string[], options: ImportOptions = {}): Promise<ImportReport> {
    const started = performance.now();
    const reports: BundleReport[] = [];

    // Locations are handled one at a time so that at most one parsed bundle is held in memory.
    for (const location of locations.map(absoluteLocation)) {
      let pending: PendingBundle[];
      try {
        pending = await this.expand(location, options);
      } catch (error) {
        reports.push({ ...emptyReport(location), error: errorMessage(error) });
        continue;
      }
      for (const [index, bundle] of pending.entries()) {
        const progress = (stage: ImportStage) =>
          options.onProgress?.({ source: bundle.location, stage, position: index + 1, total: pending.length });
        reports.push(await this.importBundle(bundle, progress));
      }
    }
    return { bundles: reports, elapsedMs: performance.now() - started };
  }

  /** Reads a location; an index expands to its bundles, oldest release first, and a bundle stands for itself. */
  private async expand(location: string, options: ImportOptions): Promise<PendingBundle[]> {
    const hints: ReleaseHints = {
      ...(options.domain ? { domain: options.domain } : {}),
      ...(options.version ? { version: options.version } : {}),
    };
    const bytes = await readSource(location);
    const sha256 = sha256Hex(bytes);
    if (await this.store.findReleaseByBundle(sha256)) return [{ location, hints, bytes, sha256 }];

    const parsed = parseJson(location, bytes);
    if (!isCollectionIndex(parsed)) return [{ location, hints, bytes, sha256, parsed }];

    return readCollectionIndex(parsed, location)
      .sort(byReleaseOrder)
      .map((entry) => ({
        location: entry.location,
        hints: { domain: entry.domain, version: entry.version },
        ...(entry.sha256 ? { expectedSha256: entry.sha256 } : {}),
      }));
  }

  private async importBundle(bundle: PendingBundle, progress: (stage: ImportStage) => void): Promise<BundleReport> {
    const started = performance.now();
    const report = emptyReport(bundle.location);
    try {
      await this.importInto(report, bundle, progress);
    } catch (error) {
      report.status = 'failed';
      report.error = errorMessage(error);
    }
    report.elapsedMs = performance.now() - started;
    progress('done');
    return report;
  }

  private async importInto(report: BundleReport, bundle: PendingBundle, progress: (stage: ImportStage) => void): Promise<void> {
    const source = bundle.location;

    // An index that names the bundle's hash lets a re-import skip the download entirely.
    if (bundle.expectedSha256 && (await this.markIfImported(report, bundle.expectedSha256))) return;

    progress('reading');
    const bytes = bundle.bytes ?? (await readSource(source));
    const sha256 = bundle.sha256 ?? sha256Hex(bytes);
    if (bundle.expectedSha256 && bundle.expectedSha256 !== sha256) {
      throw new ImportError(source, `SHA-256 ${sha256} does not match ${bundle.expectedSha256} given by the collection index; download it again`);
    }
    if (await this.markIfImported(report, sha256)) return;

    progress('validating');
    const parsed = bundle.parsed ?? parseJson(source, bytes);
    const known = bundle.hints.domain ? await this.store.contentHashesByRaw(bundle.hints.domain) : undefined;
    const prepared = prepareBundle(source, bytes, sha256, parsed, bundle.hints, known);
    const { domain, version } = prepared.release;
    const existing = await this.store.findRelease(domain, version);
    if (existing) {
      throw new ImportError(
        source,
        `${domain} ${version} is already imported from a different bundle (SHA-256 ${existing.bundleSha256}, from ${existing.source}); ` +
          'a release cannot change once imported: check the --release flag or the file',
      );
    }

    progress('storing');
    const stored = await this.store.importRelease(prepared.release);
    Object.assign(report, {
      status: 'imported',
      domain,
      version,
      bundleSha256: sha256,
      objectsByType: prepared.objectsByType,
      newVersions: stored.newVersions,
      existingVersions: stored.existingVersions,
      staleTakes: stored.staleTakeIds.length,
      staleTakeIds: stored.staleTakeIds,
      warningsByKind: prepared.warningsByKind,
      unknownTypes: prepared.unknownTypes,
    });
  }

  private async markIfImported(report: BundleReport, sha256: string): Promise<boolean> {
    const existing = await this.store.findReleaseByBundle(sha256);
    if (!existing) return false;
    Object.assign(report, {
      status: 'already-imported',
      domain: existing.domain,
      version: existing.version,
      bundleSha256: sha256,
    });
    return true;
  }
}
