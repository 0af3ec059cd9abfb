/**
 * Read-only accessors for the fields of a parsed STIX object. Objects come
 * from outside, so every accessor checks the value's shape and returns
 * undefined (or an empty list) instead of trusting it.
 */
export type StixObject = Record<string, unknown>;

/** `source_name` values under which ATT&CK stores an object's ATT&CK ID; old Mobile and ICS objects use the last two. */
export const ATTACK_SOURCE_NAMES = ['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack'] as const;

export interface ExternalReference {
  source_name: string;
  url?: string;
  description?: string;
  external_id?: string;
}

export function stringField(object: StixObject, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

export function stringList(object: StixObject, key: string): string[] {
  const value = object[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

export function objectList(object: StixObject, key: string): StixObject[] {
  const value = object[key];
  if (!Array.isArray(value)) return [];
  return value.filter((item): item is StixObject => typeof item === 'object' && item !== null && !Array.isArray(item));
}

export function externalReferences(object: StixObject): ExternalReference[] {
  return objectList(object, 'external_references')
    .filter((ref) => typeof ref.source_name === 'string')
    .map((ref) => ({
      source_name: ref.source_name as string,
      ...(typeof ref.url === 'string' ? { url: ref.url } : {}),
      ...(typeof ref.description === 'string' ? { description: ref.description } : {}),
      ...(typeof ref.external_id === 'string' ? { external_id: ref.external_id } : {}),
    }));
}

/** Returns the external reference that carries the ATT&CK ID, preferring `mitre-attack`. */
export function attackReference(object: StixObject): ExternalReference | undefined {
  const references = externalReferences(object);
  for (const sourceName of ATTACK_SOURCE_NAMES) {
    const found = references.find((ref) => ref.source_name === sourceName && ref.external_id !== undefined);
    if (found) return found;
  }
  return undefined;
}

export function isTrue(object: StixObject, key: string): boolean {
  return object[key] === true;
}
