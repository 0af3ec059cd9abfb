/** URLs of the site's pages. Object paths follow attack.mitre.org. */
import { pageKindForType } from '../domain/object-types.js';

interface Addressable {
  stixId: string;
  type: string;
  attackId: string | null;
}

/** Path of an object's page: `/techniques/T1059/001` when it has an ATT&CK ID, else `/objects/<stix-id>`. */
export function objectPath(object: Addressable): string {
  const kind = pageKindForType(object.type);
  if (kind && object.attackId) return `/${kind.segment}/${object.attackId.split('.').map(encodeURIComponent).join('/')}`;
  return stixPath(object.stixId);
}

export function stixPath(stixId: string): string {
  return `/objects/${encodeURIComponent(stixId)}`;
}

export function rawPath(stixId: string, releaseLabel?: string): string {
  const query = releaseLabel ? `?release=${encodeURIComponent(releaseLabel)}` : '';
  return `/raw/${encodeURIComponent(stixId)}${query}`;
}

export function matrixPath(domain: string): string {
  return `/matrices/${encodeURIComponent(domain)}`;
}

export function searchPath(query: string): string {
  return `/search?q=${encodeURIComponent(query)}`;
}

/** Path of an object's page as it stood in one release: `/releases/<domain>/<version>/techniques/T1059`. */
export function pinnedPath(object: Addressable, release: { domain: string; version: string }): string {
  return `/releases/${encodeURIComponent(release.domain)}/${encodeURIComponent(release.version)}${objectPath(object)}`;
}

/** Path of the comparison of an object between two releases, named `<domain>-<version>`. */
export function comparePath(object: Addressable, from: string, to: string): string {
  return `${objectPath(object)}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
}

/** Returns the name of a release in URLs, `<domain>-<version>`, as MITRE names its bundle files. */
export function releaseKey(release: { domain: string; version: string }): string {
  return `${release.domain}-${release.version}`;
}
