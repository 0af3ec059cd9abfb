/**
 * Turns a description excerpt into plain text. Descriptions are Markdown with some inline HTML, and
 * an excerpt may cut a link or a tag in half, so the patterns also accept a missing end. The match
 * markers U+E000 and U+E001 pass through unchanged.
 */
const RULES: readonly [RegExp, string][] = [
  // Citations, possibly cut off, with one level of nested parentheses: "(Citation: CISA Alert (TA17-293A))".
  [/\(Citation:[^()]*(?:\([^()]*\)?)?[^()]*\)?/g, ''],
  // The end of a link target where the excerpt starts inside it: "…mitre.org/software/S0357) contains".
  [/^(…?)[^\s…]*\/\S*\)(?=[\s,.;:]|$)/, '$1'],
  // A link's target, possibly cut off by the end of the excerpt: "[Name](https://…)" keeps "Name".
  [/\]\([^)\s]*\)?/g, ''],
  [/\[/g, ''],
  // HTML tags, possibly cut off: <code>, </code>, <br/>, "<a href=…".
  [/<\/?[a-zA-Z][^>]*>?/g, ' '],
  // Heading marks at the start of a line.
  [/(^|\n)\s*#{1,6}\s+/g, '$1'],
  // Emphasis and code marks.
  [/\*\*|__|`/g, ''],
  [/\s+/g, ' '],
];

export function plainSnippet(text: string): string {
  let plain = text;
  for (const [pattern, replacement] of RULES) plain = plain.replace(pattern, replacement);
  return plain.trim();
}
