/** The text of an object version that the full-text index stores. */
import type { NewObject } from '../store.js';

export interface SearchDocument {
  attackId: string;
  name: string;
  /** `aliases` and `x_mitre_aliases`, one per line, without repeats. */
  aliases: string;
  stixId: string;
  description: string;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * Builds the index row of an object version from its raw bytes, because `NewObject` carries no
 * description or aliases. Relationships are not indexed: search returns the objects they connect.
 */
export function searchDocument(object: NewObject): SearchDocument | undefined {
  if (object.type === 'relationship') return undefined;
  const json = JSON.parse(Buffer.from(object.raw.buffer, object.raw.byteOffset, object.raw.byteLength).toString('utf8')) as Record<
    string,
    unknown
  >;
  const aliases = [...new Set([...strings(json.aliases), ...strings(json.x_mitre_aliases)])];
  return {
    attackId: object.attackId ?? '',
    name: object.name ?? '',
    aliases: aliases.join('\n'),
    stixId: object.stixId,
    description: typeof json.description === 'string' ? json.description : '',
  };
}
