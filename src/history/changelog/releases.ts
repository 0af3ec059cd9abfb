/** Finding a domain's imported releases, with errors that list what exists. */
import { NotFoundError } from '../../errors.js';
import { compareVersions } from '../../domain/versions.js';
import type { ReleaseInfo, Store } from '../../storage/store.js';

/** A domain or release that is not imported. `available` lists the domains or versions that are. */
export class ReleaseLookupError extends NotFoundError {
  constructor(
    message: string,
    readonly value: string,
    readonly available: readonly string[],
  ) {
    super(message);
    this.name = 'ReleaseLookupError';
  }
}

/** Returns the imported releases of a domain, oldest first; raises `ReleaseLookupError` when the domain has none. */
export async function requireDomain(store: Store, domain: string): Promise<ReleaseInfo[]> {
  const all = await store.listReleases();
  const releases = all.filter((release) => release.domain === domain).sort((a, b) => compareVersions(a.version, b.version));
  if (releases.length > 0) return releases;

  const domains = [...new Set(all.map((release) => release.domain))].sort();
  const known = domains.length > 0 ? `Imported domains: ${domains.join(', ')}.` : 'No release is imported yet.';
  throw new ReleaseLookupError(`No release of domain "${domain}" is imported. ${known}`, domain, domains);
}

/** Returns the release of a domain with this version; raises `ReleaseLookupError` naming the imported versions. */
export function requireRelease(releases: readonly ReleaseInfo[], domain: string, version: string): ReleaseInfo {
  const found = releases.find((release) => release.version === version);
  if (found) return found;

  const versions = releases.map((release) => release.version);
  throw new ReleaseLookupError(
    `Release ${version} of ${domain} is not imported. Imported ${domain} releases: ${versions.join(', ') || 'none'}.`,
    version,
    versions,
  );
}
