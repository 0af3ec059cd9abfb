/** Facts about the page's release that change what a type shows. */
import { parseVersion } from '../../../domain/versions.js';
import type { ReleaseInfo } from '../../../storage/store.js';

/**
 * ATT&CK 18 replaced the `detects` relationships from data components with
 * detection strategies, which group analytics that in turn name data
 * components as log sources. Earlier releases have no strategies or analytics.
 */
export function hasDetectionStrategies(release: ReleaseInfo): boolean {
  const version = parseVersion(release.version);
  return version !== undefined && version.major >= 18;
}
