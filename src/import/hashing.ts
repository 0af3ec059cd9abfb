import { hash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/** Returns the SHA-256 of the data as lower-case hex. The one-shot crypto.hash avoids a Hash object per call. */
export function sha256Hex(data: Uint8Array | string): string {
  return hash('sha256', data, 'hex');
}

/**
 * Returns the content hash of a STIX object: SHA-256 of its RFC 8785 canonical
 * JSON without `spec_version`. STIX 2.1 serialisations add `spec_version` to
 * every object while STIX 2.0 ones carry it only on the bundle, so leaving it
 * out makes the same object hash alike in both formats. Key order and white
 * space already vanish in the canonical form.
 */
export function contentHash(object: Record<string, unknown>): string {
  if (!('spec_version' in object)) return sha256Hex(canonicalJson(object));
  const { spec_version: _ignored, ...rest } = object;
  return sha256Hex(canonicalJson(rest));
}
