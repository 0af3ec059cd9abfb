/** Suggesting a name or alias for a query that found nothing, by edit distance. */
import { editDistance } from './edit-distance.js';
import { foldedWords, foldText } from './query-text.js';

/** Maximum edit distance forgiven for a text of this length: none below 4 characters, 1 up to 7, else 2. */
function allowedDistance(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

interface Candidate {
  text: string;
  distance: number;
}

function closest(target: string, candidates: Iterable<string>, fold: (text: string) => string): Candidate | undefined {
  const max = allowedDistance(target.length);
  if (max === 0) return undefined;
  let best: Candidate | undefined;
  for (const text of candidates) {
    const distance = editDistance(target, fold(text), max);
    if (distance > max) continue;
    // Ties go to the shorter, then alphabetically first text, so the choice does not depend on row order.
    const better =
      !best ||
      distance < best.distance ||
      (distance === best.distance && (text.length < best.text.length || (text.length === best.text.length && text < best.text)));
    if (better) best = { text, distance };
  }
  return best;
}

/**
 * Returns a correction for a query that matched nothing: the closest whole name or alias, else
 * the query with each unknown word of 4 or more characters replaced by the closest word of a name
 * or alias. Returns undefined when nothing is close enough or the correction equals the query.
 */
export function correctQuery(query: string, vocabulary: readonly string[]): string | undefined {
  const folded = foldText(query);
  const whole = closest(folded, vocabulary, foldText);
  if (whole && whole.distance > 0) return whole.text;

  const knownWords = new Set(vocabulary.flatMap(foldedWords));
  const words = foldedWords(query);
  let changed = false;
  const corrected = words.map((word) => {
    if (knownWords.has(word)) return word;
    const replacement = closest(word, knownWords, (text) => text);
    if (!replacement) return word;
    changed = true;
    return replacement.text;
  });
  return changed ? corrected.join(' ') : undefined;
}
