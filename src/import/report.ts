/** What an import did, bundle by bundle, for the CLI, the logs and the tests. */
export type BundleStatus = 'imported' | 'already-imported' | 'failed';

export interface BundleReport {
  source: string;
  status: BundleStatus;
  domain?: string;
  version?: string;
  bundleSha256?: string;
  objectsByType: Record<string, number>;
  /** Object versions new to the library. */
  newVersions: number;
  /** Object versions the library already held from another release. */
  existingVersions: number;
  /** Published takes turned stale because this release changed their object. */
  staleTakes: number;
  staleTakeIds: number[];
  warningsByKind: Record<string, number>;
  unknownTypes: Record<string, number>;
  elapsedMs: number;
  error?: string;
}

export interface ImportReport {
  bundles: BundleReport[];
  elapsedMs: number;
}

export function failedBundles(report: ImportReport): BundleReport[] {
  return report.bundles.filter((bundle) => bundle.status === 'failed');
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return 'none';
  return entries.map(([key, count]) => `${key} ${count}`).join(', ');
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

function formatBundle(bundle: BundleReport): string[] {
  const release = bundle.domain ? `${bundle.domain} ${bundle.version}` : 'unknown release';
  const seconds = (bundle.elapsedMs / 1000).toFixed(2);
  if (bundle.status === 'failed') return [`FAILED ${bundle.source}`, `  ${bundle.error ?? 'unknown error'}`];
  if (bundle.status === 'already-imported') {
    return [`${release}: already imported (bundle SHA-256 ${bundle.bundleSha256}), nothing to do [${seconds} s]`];
  }
  const lines = [
    `${release}: imported ${total(bundle.objectsByType)} objects from ${bundle.source} [${seconds} s]`,
    `  objects by type: ${formatCounts(bundle.objectsByType)}`,
    `  object versions: ${bundle.newVersions} new, ${bundle.existingVersions} already stored`,
    `  warnings by kind: ${formatCounts(bundle.warningsByKind)}`,
  ];
  if (bundle.staleTakes > 0) {
    lines.push(
      `  analyst takes made stale: ${bundle.staleTakes} (take ${bundle.staleTakeIds.join(', ')}; their objects changed, ` +
        'so readers see the pending notice until a reviewer re-pins and publishes them: /takes?state=stale)',
    );
  }
  if (total(bundle.unknownTypes) > 0) lines.push(`  unknown types (kept): ${formatCounts(bundle.unknownTypes)}`);
  return lines;
}

/** Renders the report as the plain text the CLI prints. */
export function formatReport(report: ImportReport): string {
  const lines = report.bundles.flatMap(formatBundle);
  const imported = report.bundles.filter((bundle) => bundle.status === 'imported').length;
  const skipped = report.bundles.filter((bundle) => bundle.status === 'already-imported').length;
  const failed = failedBundles(report).length;
  lines.push(
    `Done in ${(report.elapsedMs / 1000).toFixed(2)} s: ${imported} imported, ${skipped} already imported, ${failed} failed.`,
  );
  return lines.join('\n');
}
