/**
 * Change counts between every pair of adjacent imported releases of a domain,
 * for the chart of the changelog page and the Atom feed. Imported releases
 * never change, so counts are kept per pair of release IDs for the life of
 * the process.
 */
import type { ReleaseInfo, Store } from '../../storage/store.js';
import { compareReleaseObjects, countChanges, loadReleaseObjects, type ChangeCounts, type ReleaseObjects } from './compare.js';

/** One imported release and its changes against the previous imported release of its domain. */
export interface ReleaseStep {
  release: ReleaseInfo;
  /** The previous imported release; undefined for the oldest. */
  previous: ReleaseInfo | undefined;
  /** Counts per category, unchanged objects included; undefined for the oldest release. */
  counts: ChangeCounts | undefined;
  /**
   * Latest `modified` among the release's objects of the domain, an estimate
   * of its publication date because the Store keeps only the import time.
   */
  latestModified: string | null;
}

interface CachedStep {
  counts: ChangeCounts | undefined;
  latestModified: string | null;
}

function latestModified(objects: ReleaseObjects): string | null {
  let latest: string | null = null;
  for (const snapshot of objects.inDomain.values()) {
    if (snapshot.modified !== null && (latest === null || snapshot.modified > latest)) latest = snapshot.modified;
  }
  return latest;
}

export class ChangeSeries {
  private readonly steps = new Map<string, CachedStep>();

  constructor(private readonly store: Store) {}

  /** Returns one step per release, oldest first; `releases` must be one domain's releases, oldest first. */
  async stepsOf(releases: readonly ReleaseInfo[]): Promise<ReleaseStep[]> {
    const steps: ReleaseStep[] = [];
    let previousObjects: ReleaseObjects | undefined;
    for (let index = 0; index < releases.length; index++) {
      const release = releases[index] as ReleaseInfo;
      const previous = index > 0 ? releases[index - 1] : undefined;
      const key = `${previous?.id ?? 'none'}>${release.id}`;
      let cached = this.steps.get(key);
      if (!cached) {
        // The newer side of one pair is reused as the older side of the next, so each release loads once per call.
        if (previous && previousObjects?.release.id !== previous.id) previousObjects = await loadReleaseObjects(this.store, previous);
        const objects = await loadReleaseObjects(this.store, release);
        cached = {
          counts: previousObjects ? countChanges(compareReleaseObjects(previousObjects, objects)) : undefined,
          latestModified: latestModified(objects),
        };
        this.steps.set(key, cached);
        previousObjects = objects;
      } else {
        previousObjects = undefined;
      }
      steps.push({ release, previous, ...cached });
    }
    return steps;
  }
}
