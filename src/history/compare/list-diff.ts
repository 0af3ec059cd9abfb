/** Item-level diff of list fields such as `x_mitre_platforms`. */

export interface ListDiff {
  /** Items of the newer list beyond their count in the older one, in the newer list's order. */
  added: string[];
  /** Items of the older list beyond their count in the newer one, in the older list's order. */
  removed: string[];
  /** True when both lists hold the same items, counted with repeats, in a different order. */
  reordered: boolean;
}

function countItems(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Returns the items of `items` whose occurrences exceed their count in `baseline`. */
function surplus(items: readonly string[], baseline: Map<string, number>): string[] {
  const remaining = new Map(baseline);
  const extra: string[] = [];
  for (const item of items) {
    const left = remaining.get(item) ?? 0;
    if (left > 0) remaining.set(item, left - 1);
    else extra.push(item);
  }
  return extra;
}

/** Compares two lists as multisets, so a repeated item counts once per occurrence. */
export function diffLists(from: readonly string[], to: readonly string[]): ListDiff {
  const added = surplus(to, countItems(from));
  const removed = surplus(from, countItems(to));
  const sameItems = added.length === 0 && removed.length === 0;
  const reordered = sameItems && from.some((item, index) => item !== to[index]);
  return { added, removed, reordered };
}
