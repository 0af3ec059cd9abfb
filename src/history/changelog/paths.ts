/** URLs of the changelog pages: `/changes/<domain>`, `/changes/<domain>/<from>...<to>` and the feed. */

export function changesPath(domain: string): string {
  return `/changes/${encodeURIComponent(domain)}`;
}

export function changelogPath(domain: string, from: string, to: string, query: Record<string, string> = {}): string {
  const search = new URLSearchParams(query).toString();
  return `${changesPath(domain)}/${encodeURIComponent(from)}...${encodeURIComponent(to)}${search ? `?${search}` : ''}`;
}

export function feedPath(domain: string): string {
  return `${changesPath(domain)}/feed.atom`;
}

/** Splits a range `17.1...18.1` into its two versions; undefined when it is not two non-empty versions around `...`. */
export function parseRange(range: string): { from: string; to: string } | undefined {
  const parts = range.split('...');
  if (parts.length !== 2) return undefined;
  const [from, to] = parts as [string, string];
  if (from.trim() === '' || to.trim() === '') return undefined;
  return { from: from.trim(), to: to.trim() };
}
