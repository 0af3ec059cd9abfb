/**
 * Collection indexes in the format of MITRE's attack-stix-data `index.json`:
 * `collections[]`, each with `versions[]` of `{ version, url, modified }`.
 * MITRE's own index has no `domain` field, so the domain is taken from the
 * collection's `domain`, else from the bundle's file name, else from its name.
 */
import { z } from 'zod';
import { DOMAINS, type Domain } from '../domain/object-types.js';
import { ImportError } from '../errors.js';
import { resolveLocation } from './source.js';

const versionEntrySchema = z.object({
  version: z.string().min(1),
  url: z.string().min(1),
  modified: z.string().optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/i)
    .optional(),
});

const collectionSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  domain: z.string().optional(),
  versions: z.array(versionEntrySchema),
});

const indexSchema = z.object({
  collections: z.array(collectionSchema),
});

export interface IndexedBundle {
  domain: Domain;
  version: string;
  /** Absolute path or URL of the bundle. */
  location: string;
  /** SHA-256 of the uncompressed bundle, when the index gives it. */
  sha256?: string;
}

const COLLECTION_NAMES: Record<string, Domain> = {
  'enterprise att&ck': 'enterprise-attack',
  'mobile att&ck': 'mobile-attack',
  'ics att&ck': 'ics-attack',
};

export function domainFromCollectionName(name: string | undefined): Domain | undefined {
  return name === undefined ? undefined : COLLECTION_NAMES[name.trim().toLowerCase()];
}

function domainOf(collection: z.infer<typeof collectionSchema>, url: string): Domain | undefined {
  const declared = DOMAINS.find((domain) => domain === collection.domain);
  if (declared) return declared;
  const fileName = url.split('/').pop() ?? '';
  return DOMAINS.find((domain) => fileName.startsWith(`${domain}-`)) ?? domainFromCollectionName(collection.name);
}

export function isCollectionIndex(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Array.isArray((value as { collections?: unknown }).collections);
}

/** Lists the bundles of an index, with urls resolved against the index's own location. */
export function readCollectionIndex(value: unknown, indexLocation: string): IndexedBundle[] {
  const parsed = indexSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue ? issue.path.join('.') : '';
    throw new ImportError(indexLocation, `invalid collection index: field "${field}": ${issue?.message ?? 'invalid'}`);
  }

  const bundles: IndexedBundle[] = [];
  parsed.data.collections.forEach((collection, position) => {
    for (const entry of collection.versions) {
      const domain = domainOf(collection, entry.url);
      if (!domain) {
        throw new ImportError(
          indexLocation,
          `collection ${position} ("${collection.name ?? collection.id ?? 'unnamed'}") has no known ATT&CK domain; ` +
            `add "domain": one of ${DOMAINS.join(', ')}`,
        );
      }
      bundles.push({
        domain,
        version: entry.version,
        location: resolveLocation(indexLocation, entry.url),
        ...(entry.sha256 ? { sha256: entry.sha256.toLowerCase() } : {}),
      });
    }
  });
  return bundles;
}
