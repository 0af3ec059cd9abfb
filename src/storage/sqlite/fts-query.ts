/** FTS5 query text built from user words, so that no user text is ever read as FTS5 syntax. */
import type { SearchTerms } from '../store.js';

/** Start and end markers of a matched word in a snippet: private-use characters that ATT&CK text does not contain. */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

/**
 * Returns an FTS5 MATCH expression in which every word is a double-quoted string, with inner
 * quotes doubled. FTS5 reads a quoted string as a phrase of the tokens its tokenizer finds in it,
 * so operators (`AND`, `NEAR`), `*`, `^`, brackets and column filters inside a word are plain
 * text. Returns undefined when there is no word.
 */
export function ftsExpression(terms: SearchTerms): string | undefined {
  const words = terms.words.filter((word) => word !== '');
  if (words.length === 0) return undefined;
  return words
    .map((word, index) => {
      const quoted = `"${word.replaceAll('"', '""')}"`;
      return terms.prefixLast && index === words.length - 1 ? `${quoted}*` : quoted;
    })
    .join(' ');
}
