/** Normalising and splitting the text a user types into the search box. */

/** Longer queries cannot be a name or an ID; they are cut instead of being rejected. */
export const MAX_QUERY_LENGTH = 200;

/**
 * Returns the query in Unicode NFKC form without format characters (zero-width joiners, bidi
 * marks), private-use characters or lone surrogates. Control characters become spaces and runs of
 * spaces collapse. The result is cut to MAX_QUERY_LENGTH code points, so no surrogate pair is split.
 */
export function normaliseQuery(raw: string): string {
  const cleaned = raw
    .normalize('NFKC')
    // Format characters are dropped, not turned into spaces, because a zero-width joiner pasted
    // inside a word ("Power\u200dShell") should not split it.
    .replace(/[\p{Cf}\p{Co}\p{Cs}]/gu, '')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
  return [...cleaned].slice(0, MAX_QUERY_LENGTH).join('').trim();
}

/**
 * Splits a normalised query at spaces and trims punctuation from both ends of each word. Words
 * without a letter or digit are dropped, because an FTS phrase without tokens matches nothing and
 * would empty the whole result.
 */
export function queryWords(query: string): string[] {
  return query
    .split(' ')
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
}

/** Returns text for case- and accent-insensitive comparison: lower case, without combining marks. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Returns the words of a name or alias, folded, as the full-text index splits them. */
export function foldedWords(text: string): string[] {
  return foldText(text).split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '');
}

/**
 * Returns the ATT&CK ID a query spells, upper-cased, or undefined. `T1059/001` is accepted as
 * `T1059.001` because page paths write it so.
 */
export function attackIdOf(query: string): string | undefined {
  const match = /^([A-Za-z]{1,3}\d{4})(?:[./](\d{3}))?$/.exec(query);
  if (!match) return undefined;
  const base = (match[1] as string).toUpperCase();
  return match[2] === undefined ? base : `${base}.${match[2]}`;
}
