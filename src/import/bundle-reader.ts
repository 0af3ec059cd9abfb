/**
 * Turns a bundle's bytes into a release ready to store: parses it, finds each
 * object's exact bytes, validates every object, hashes it and derives its
 * indexed facts. Nothing is written here; a fault anywhere rejects the bundle
 * before the database is touched.
 */
import { ImportError } from '../errors.js';
import type { StixObject } from '../domain/stix-object.js';
import type { NewObject, NewRelease } from '../storage/store.js';
import { validateObject } from '../validation/validate-object.js';
import type { ObjectFault } from '../validation/types.js';
import { scanBundleObjects, type ByteRange } from './bundle-scanner.js';
import { contentHash, sha256Hex } from './hashing.js';
import { objectFacts } from './object-facts.js';
import { resolveReleaseIdentity, type ReleaseHints } from './release-identity.js';

/** Faults listed in one error message; the rest are counted. */
const MAX_LISTED_FAULTS = 10;

export interface PreparedBundle {
  release: NewRelease;
  objectsByType: Record<string, number>;
  warningsByKind: Record<string, number>;
  /** Types outside ATT&CK's data model, kept and counted. */
  unknownTypes: Record<string, number>;
}

interface LocatedFault extends ObjectFault {
  index: number;
  id: string | undefined;
}

export function parseJson(source: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    const hint = /end of JSON input|Unterminated/i.test((error as Error).message) ? ' The file looks truncated: download it again.' : '';
    throw new ImportError(source, `is not valid JSON (${(error as Error).message}).${hint}`, { cause: error });
  }
}

function bundleObjects(source: string, value: unknown): unknown[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportError(source, 'is not a STIX bundle: expected a JSON object with "type": "bundle" and an "objects" array');
  }
  const bundle = value as Record<string, unknown>;
  if (bundle.type !== 'bundle') {
    throw new ImportError(source, `is not a STIX bundle: field "type" is ${JSON.stringify(bundle.type) ?? 'missing'}, expected "bundle"`);
  }
  if (!Array.isArray(bundle.objects)) {
    throw new ImportError(source, 'is not a usable STIX bundle: field "objects" is missing or not an array');
  }
  if (bundle.objects.length === 0) {
    throw new ImportError(source, 'is an empty STIX bundle: its "objects" array has no objects to import');
  }
  return bundle.objects;
}

function objectRanges(source: string, bytes: Buffer, count: number): ByteRange[] {
  const ranges = scanBundleObjects(bytes);
  if (!ranges || ranges.length !== count) {
    throw new ImportError(source, `could not locate the bytes of its ${count} objects; the file's "objects" array is ambiguous`);
  }
  return ranges;
}

function formatFaults(source: string, faults: LocatedFault[]): ImportError {
  const listed = faults.slice(0, MAX_LISTED_FAULTS).map((fault) => {
    const object = fault.id ? `${fault.id} (objects[${fault.index}])` : `objects[${fault.index}]`;
    return `  ${object}, field "${fault.field}": ${fault.message}`;
  });
  const more = faults.length > MAX_LISTED_FAULTS ? `\n  ... and ${faults.length - MAX_LISTED_FAULTS} more` : '';
  return new ImportError(
    source,
    `bundle rejected, nothing was imported. ${faults.length} object(s) are not valid STIX:\n${listed.join('\n')}${more}\n` +
      'Fix the objects named above or use an unmodified bundle from MITRE.',
  );
}

function increment(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/**
 * Prepares a bundle whose bytes have already been hashed and parsed by the caller.
 * `knownContentHashes` maps raw hashes to content hashes the library computed before, so
 * unchanged objects skip canonicalisation, the costliest step of preparing a bundle.
 */
export function prepareBundle(
  source: string,
  bytes: Buffer,
  bundleSha256: string,
  parsed: unknown,
  hints: ReleaseHints,
  knownContentHashes: ReadonlyMap<string, string> = new Map(),
): PreparedBundle {
  const objects = bundleObjects(source, parsed);
  const ranges = objectRanges(source, bytes, objects.length);
  const identity = resolveReleaseIdentity(source, objects, hints);
  const bundleSpecVersion = (parsed as Record<string, unknown>).spec_version;
  const context = {
    bundleSpecVersion: typeof bundleSpecVersion === 'string' ? bundleSpecVersion : undefined,
    domain: identity.domain,
  };

  const prepared: NewObject[] = [];
  const faults: LocatedFault[] = [];
  const seen = new Map<string, { index: number; contentHash: string }>();
  const objectsByType: Record<string, number> = {};
  const warningsByKind: Record<string, number> = {};
  const unknownTypes: Record<string, number> = {};

  objects.forEach((object, index) => {
    const result = validateObject(object, context);
    const id = typeof (object as StixObject | null)?.id === 'string' ? ((object as StixObject).id as string) : undefined;
    if (result.faults.length > 0) {
      for (const fault of result.faults) faults.push({ ...fault, index, id });
      return;
    }

    const stix = object as StixObject;
    const range = ranges[index] as ByteRange;
    const raw = bytes.subarray(range.start, range.end);
    const rawHash = sha256Hex(raw);
    const hash = knownContentHashes.get(rawHash) ?? contentHash(stix);
    const earlier = seen.get(id as string);
    if (earlier) {
      if (earlier.contentHash !== hash) {
        faults.push({ index, id, field: 'id', message: `duplicates the id of objects[${earlier.index}] with different content` });
      }
      return;
    }
    seen.set(id as string, { index, contentHash: hash });

    const facts = objectFacts(stix);
    increment(objectsByType, facts.type);
    for (const warning of result.warnings) {
      increment(warningsByKind, warning.kind);
      if (warning.kind === 'unknown-type') increment(unknownTypes, facts.type);
    }
    prepared.push({
      ...facts,
      contentHash: hash,
      raw,
      rawHash,
      warnings: result.warnings,
      inDomain: facts.domains.length === 0 || facts.domains.includes(identity.domain),
    });
  });

  if (faults.length > 0) throw formatFaults(source, faults);

  return {
    release: {
      domain: identity.domain,
      version: identity.version,
      bundleSha256,
      specVersion: context.bundleSpecVersion ?? null,
      source,
      bundleBytes: bytes.length,
      objects: prepared,
    },
    objectsByType,
    warningsByKind,
    unknownTypes,
  };
}
