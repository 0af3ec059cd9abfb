/**
 * ATT&CK citations. Descriptions cite sources as `(Citation: Source Name)`, where
 * the name is the `source_name` of an `external_references` entry on the same
 * STIX object. A page numbers the citations of all descriptions it renders in
 * one sequence, so one `CitationRegistry` belongs to one page.
 */

/** One entry of a STIX object's `external_references`. */
export interface ExternalReference {
  source_name: string;
  url?: string;
  description?: string;
  external_id?: string;
}

/** A reference cited on a page, as the page's reference list shows it. */
export interface CitedReference {
  number: number;
  sourceName: string;
  description?: string;
  url?: string;
}

/** The position of one citation in a text. `text.slice(start, end)` is the whole `(Citation: ...)`. */
export interface CitationSpan {
  start: number;
  end: number;
  sourceName: string;
}

/** Returns the `id` of reference `number` in the page's reference list, which citation links point to. */
export function referenceAnchorId(number: number): string {
  return `ref-${number}`;
}

/**
 * Returns the `id` of the `use`-th citation link (counting from 1) to reference
 * `number` on a page, for links from the reference list back to the text.
 */
export function citationAnchorId(number: number, use: number): string {
  return `cite-${number}-${use}`;
}

export const CITATION_MARKER = '(Citation:';
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const LINE_FEED = 0x0a;

/**
 * Finds every `(Citation: Name)` in `text`, in order, with the name trimmed.
 *
 * Names may contain balanced parentheses, as in `(Citation: CISA Alert (TA17-293A))`,
 * so the scan counts nesting instead of stopping at the first `)`. A citation never
 * spans a line break. When a citation is cut off by a line break, by the end of the
 * text or by another `(Citation:`, and a nested group was closed inside it, the
 * citation ends after that group. ATT&CK ICS 14.1 to 16.1 contain
 * `(Citation: CISA Alert (TA17-293A)` with the final `)` missing. Any other
 * unterminated citation, and one with an empty name, is not reported.
 */
export function scanCitations(text: string): CitationSpan[] {
  const spans: CitationSpan[] = [];
  let searchFrom = 0;

  for (;;) {
    const start = text.indexOf(CITATION_MARKER, searchFrom);
    if (start === -1) break;
    const nameStart = start + CITATION_MARKER.length;

    let depth = 1;
    let end = -1;
    let nameEnd = -1;
    // End of the last nested group that brought the depth back to 1, used when the final `)` is missing.
    let lastGroupEnd = -1;
    for (let i = nameStart; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code === LINE_FEED) break;
      if (code === OPEN_PAREN) {
        if (text.startsWith(CITATION_MARKER, i)) break;
        depth++;
      } else if (code === CLOSE_PAREN) {
        depth--;
        if (depth === 0) {
          nameEnd = i;
          end = i + 1;
          break;
        }
        if (depth === 1) lastGroupEnd = i + 1;
      }
    }
    if (end === -1 && lastGroupEnd !== -1) {
      nameEnd = lastGroupEnd;
      end = lastGroupEnd;
    }

    const sourceName = end === -1 ? '' : text.slice(nameStart, nameEnd).trim();
    if (sourceName === '') {
      searchFrom = nameStart;
      continue;
    }
    spans.push({ start, end, sourceName });
    searchFrom = end;
  }

  return spans;
}

/**
 * Returns the source names cited in `text`, in order of appearance and with
 * repeats. The scan is over the raw text, so unlike the Markdown renderer it
 * also reports citations inside code spans.
 */
export function findCitations(text: string): string[] {
  return scanCitations(text).map((span) => span.sourceName);
}

/**
 * Returns a source name with surrounding white space removed and inner runs of
 * white space collapsed. In ATT&CK Enterprise 18.1, 100 citations differ from
 * their reference's `source_name` only in white space, mostly a trailing space.
 */
function normalizeSourceName(name: string): string {
  return name.replace(/\s+/g, ' ').trim();
}

function findReference(sourceName: string, references: readonly ExternalReference[]): ExternalReference | undefined {
  const exact = references.find((reference) => reference.source_name === sourceName);
  if (exact !== undefined) return exact;
  return references.find((reference) => normalizeSourceName(reference.source_name) === sourceName);
}

/**
 * Citation numbers for one page. Numbers start at 1 and follow the order of
 * first citation, across every description rendered with this registry. The
 * source name identifies a reference, so the first reference registered under a
 * name supplies its description and URL for the whole page.
 */
export class CitationRegistry {
  readonly #byName = new Map<string, CitedReference>();
  readonly #cited: CitedReference[] = [];
  readonly #useCounts: number[] = [];

  /**
   * Returns the number for `sourceName`, assigning the next number on first use.
   * A name that is new to the page is looked up in `references` (first entry
   * whose `source_name` matches, ignoring differences in white space). Returns
   * undefined when the name was never registered and `references` has no such
   * entry. The call then changes nothing.
   */
  cite(sourceName: string, references: readonly ExternalReference[]): number | undefined {
    const name = normalizeSourceName(sourceName);
    let entry = this.#byName.get(name);

    if (entry === undefined) {
      const reference = findReference(name, references);
      if (reference === undefined) return undefined;
      entry = { number: this.#cited.length + 1, sourceName: name };
      if (reference.description !== undefined) entry.description = reference.description;
      if (reference.url !== undefined) entry.url = reference.url;
      this.#byName.set(name, entry);
      this.#cited.push(entry);
      this.#useCounts.push(0);
    }

    const index = entry.number - 1;
    this.#useCounts[index] = (this.#useCounts[index] ?? 0) + 1;
    return entry.number;
  }

  /** Returns how many times `cite` has returned `number`, or 0 for a number not assigned. */
  useCount(number: number): number {
    return this.#useCounts[number - 1] ?? 0;
  }

  /** Number of distinct references cited so far. */
  get size(): number {
    return this.#cited.length;
  }

  /** Returns copies of the cited references in number order. */
  entries(): CitedReference[] {
    return this.#cited.map((entry) => ({ ...entry }));
  }
}
