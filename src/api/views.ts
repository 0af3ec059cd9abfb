/** JSON shapes of releases and objects in API responses. */
import type { ObjectSnapshot, ReleaseInfo } from '../storage/store.js';
import { objectPath, releaseKey } from '../web/links.js';

export const API_PREFIX = '/api/v1';

export function apiObjectPath(stixId: string): string {
  return `${API_PREFIX}/objects/${encodeURIComponent(stixId)}`;
}

export interface ReleaseView {
  /** `<domain>-<version>`, the value of the `release` parameters. */
  release: string;
  domain: string;
  version: string;
  specVersion: string | null;
  bundleSha256: string;
  bundleBytes: number;
  objectCount: number;
  importedAt: string;
}

export function releaseView(release: ReleaseInfo): ReleaseView {
  return {
    release: releaseKey(release),
    domain: release.domain,
    version: release.version,
    specVersion: release.specVersion,
    bundleSha256: release.bundleSha256,
    bundleBytes: release.bundleBytes,
    objectCount: release.objectCount,
    importedAt: release.importedAt,
  };
}

/** The indexed facts of an object in one release, with links to its page and API resources. */
export function objectView(object: ObjectSnapshot) {
  return {
    stixId: object.stixId,
    type: object.type,
    attackId: object.attackId,
    name: object.name,
    version: object.version,
    created: object.created,
    modified: object.modified,
    deprecated: object.deprecated,
    revoked: object.revoked,
    isSubtechnique: object.isSubtechnique,
    domains: object.domains,
    release: releaseKey(object.release),
    inDomain: object.inDomain,
    contentHash: object.contentHash,
    rawHash: object.rawHash,
    relationship: object.relationship,
    links: {
      self: apiObjectPath(object.stixId),
      page: objectPath(object),
    },
  };
}
