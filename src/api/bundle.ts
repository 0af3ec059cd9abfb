/**
 * A STIX bundle of one release, assembled from the stored bytes of its objects. The bytes are
 * concatenated, not re-serialised, so every object is exactly as MITRE published it.
 */
import { createHash } from 'node:crypto';
import type { ReleaseInfo, Store } from '../storage/store.js';
import { releaseKey } from '../web/links.js';
import { typesOfRelease } from './lookup.js';

/** Namespace of the name-based bundle IDs; any fixed UUID works, and this one is Glexia's own. */
const BUNDLE_NAMESPACE = '6f1c2b0e-3d4a-4e5f-9a7b-8c9d0e1f2a3b';

/** A name-based UUID, version 5 (SHA-1), as RFC 9562 defines it. */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Assembles the bundle. Its ID is derived from the release's bundle hash, so the same release
 * always gives the same bytes. STIX 2.0 releases keep the bundle-level `spec_version` of their source.
 */
export async function buildReleaseBundle(store: Store, release: ReleaseInfo): Promise<Buffer> {
  const objects = await store.objectsOfType(release.id, await typesOfRelease(store, release));
  const id = `bundle--${uuidV5(`${releaseKey(release)} ${release.bundleSha256}`, BUNDLE_NAMESPACE)}`;
  const specVersion = release.specVersion === null ? '' : `,"spec_version":${JSON.stringify(release.specVersion)}`;

  const parts: Buffer[] = [Buffer.from(`{"type":"bundle","id":"${id}"${specVersion},"objects":[`, 'utf8')];
  objects.forEach((object, index) => {
    if (index > 0) parts.push(Buffer.from(',', 'utf8'));
    parts.push(object.raw);
  });
  parts.push(Buffer.from(']}', 'utf8'));
  return Buffer.concat(parts);
}
