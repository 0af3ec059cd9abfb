/**
 * Choosing the two snapshots to compare from the releases that contain an
 * object. A release is named by its version (`18.1`) or by `<domain>-<version>`
 * (`enterprise-attack-18.1`), as MITRE names bundle files.
 */
import { DOMAINS } from '../../domain/object-types.js';
import { compareVersions } from '../../domain/versions.js';

/** The fields of a stored snapshot that release selection reads. */
export interface SelectableSnapshot {
  release: { domain: string; version: string };
  /** Whether the release's domain is one of the object's own domains. */
  inDomain: boolean;
}

/** `<domain>-<version>` of a snapshot's release. */
export function releaseName(snapshot: SelectableSnapshot): string {
  return `${snapshot.release.domain}-${snapshot.release.version}`;
}

function domainRank(domain: string): number {
  const index = (DOMAINS as readonly string[]).indexOf(domain);
  return index === -1 ? DOMAINS.length : index;
}

/** Orders snapshots of one version best first: the object's own domain, then Enterprise, Mobile, ICS. */
function comparePreference(a: SelectableSnapshot, b: SelectableSnapshot): number {
  return Number(b.inDomain) - Number(a.inDomain) || domainRank(a.release.domain) - domainRank(b.release.domain);
}

/**
 * Finds the snapshot that a `from` or `to` value names among the object's
 * snapshots. A bare version that matches releases of several domains picks the
 * preferred one (see `comparePreference`). Returns undefined when no snapshot
 * matches.
 */
export function findSnapshot<T extends SelectableSnapshot>(history: readonly T[], value: string): T | undefined {
  const trimmed = value.trim();
  const byName = history.find((snapshot) => releaseName(snapshot) === trimmed);
  if (byName) return byName;
  return history.filter((snapshot) => snapshot.release.version === trimmed).sort(comparePreference)[0];
}

function byVersion(a: SelectableSnapshot, b: SelectableSnapshot): number {
  return compareVersions(a.release.version, b.release.version);
}

/** One snapshot per version, the preferred domain's, oldest version first. */
export function preferredPerVersion<T extends SelectableSnapshot>(history: readonly T[]): T[] {
  const preferred = new Map<string, T>();
  for (const snapshot of history) {
    const current = preferred.get(snapshot.release.version);
    if (current === undefined || comparePreference(snapshot, current) < 0) preferred.set(snapshot.release.version, snapshot);
  }
  return [...preferred.values()].sort(byVersion);
}

/**
 * The default comparison: `to` is the newest version that contains the object,
 * in its preferred domain, and `from` is the newest older release of that same
 * domain. Relationships live in each domain's bundle, so comparing across
 * domains would list every relationship of the other domain as gained or lost.
 * Without an older release in that domain, `from` is the preferred snapshot of
 * the previous version, and an object in a single release is compared with
 * itself. Returns undefined for an empty history.
 */
export function defaultPair<T extends SelectableSnapshot>(history: readonly T[]): { from: T; to: T } | undefined {
  const versions = preferredPerVersion(history);
  const to = versions[versions.length - 1];
  if (to === undefined) return undefined;
  const olderInDomain = history
    .filter((snapshot) => snapshot.release.domain === to.release.domain && byVersion(snapshot, to) < 0)
    .sort(byVersion);
  const from = olderInDomain[olderInDomain.length - 1] ?? versions[versions.length - 2] ?? to;
  return { from, to };
}
