/** Word-level diff of prose fields such as `description`, with each `(Citation: Name)` kept whole. */
import { diffWordsWithSpace } from 'diff';

export interface TextDiffPart {
  change: 'unchanged' | 'added' | 'removed';
  text: string;
}

/**
 * A citation marker: `(Citation: ` and a name with at most one level of
 * nested parentheses, as in `(Citation: CISA Alert (TA17-293A))`.
 */
const CITATION = /\(Citation:(?:[^()\n]|\([^()\n]*\))*\)/g;

/**
 * Each distinct citation becomes one character of the Unicode private use area
 * (U+E000 to U+F8FF). diffWordsWithSpace makes every such character its own
 * token, even when two citations touch. When either text already contains a
 * private use character, or the two texts hold more citations than the area
 * has characters, the diff runs on the plain text.
 */
const PLACEHOLDER_BASE = 0xe000;
const PLACEHOLDER_COUNT = 0x1900;
const PLACEHOLDER = /[\uE000-\uF8FF]/g;
const PRIVATE_USE_CHARACTER = /[\uE000-\uF8FF]/;

/**
 * Replaces each citation with its placeholder, so the diff adds or removes a
 * citation as a whole instead of matching its `(Citation:` prefix against a
 * neighbouring citation.
 */
function protectCitations(text: string, citations: string[], indexes: Map<string, number>): string {
  return text.replace(CITATION, (citation) => {
    let index = indexes.get(citation);
    if (index === undefined) {
      index = citations.length;
      citations.push(citation);
      indexes.set(citation, index);
    }
    return String.fromCharCode(PLACEHOLDER_BASE + index);
  });
}

function restoreCitations(text: string, citations: readonly string[]): string {
  return text.replace(PLACEHOLDER, (placeholder) => citations[placeholder.charCodeAt(0) - PLACEHOLDER_BASE] ?? placeholder);
}

function countCitations(text: string): number {
  return text.match(CITATION)?.length ?? 0;
}

/** Diffs two texts word by word (white space kept as tokens). Adjacent parts never share a `change` value. */
export function diffText(from: string, to: string): TextDiffPart[] {
  const protect =
    !PRIVATE_USE_CHARACTER.test(from) && !PRIVATE_USE_CHARACTER.test(to) && countCitations(from) + countCitations(to) <= PLACEHOLDER_COUNT;
  const citations: string[] = [];
  const indexes = new Map<string, number>();
  const left = protect ? protectCitations(from, citations, indexes) : from;
  const right = protect ? protectCitations(to, citations, indexes) : to;

  const parts: TextDiffPart[] = [];
  for (const change of diffWordsWithSpace(left, right)) {
    let kind: TextDiffPart['change'] = 'unchanged';
    if (change.added) kind = 'added';
    else if (change.removed) kind = 'removed';
    const text = protect ? restoreCitations(change.value, citations) : change.value;
    const previous = parts[parts.length - 1];
    if (previous?.change === kind) previous.text += text;
    else if (text !== '') parts.push({ change: kind, text });
  }
  return parts;
}
