/**
 * Reciprocal rank fusion: each list gives an item 1 / (k + rank), ranks from 1, and the sums order the result. An item
 * several lists found rises above one that a single list put first; k = 60 (as in Cormack et al.) keeps one list's
 * top rank from outweighing agreement. Ties keep the order of first appearance, the first list's before the next.
 */
export function reciprocalRankFusion<T>(lists: readonly (readonly T[])[], key: (item: T) => string, k = 60): T[] {
  const fused = new Map<string, { item: T; score: number }>();
  for (const list of lists) {
    const seen = new Set<string>();
    list.forEach((item, index) => {
      const id = key(item);
      if (seen.has(id)) return; // a list's repeat adds nothing: its rank is where it first appears
      seen.add(id);
      const entry = fused.get(id) ?? { item, score: 0 };
      entry.score += 1 / (k + index + 1);
      fused.set(id, entry);
    });
  }
  // Array.prototype.sort is stable, and a Map iterates in insertion order: equal scores keep first appearance.
  return [...fused.values()].sort((a, b) => b.score - a.score).map((entry) => entry.item);
}
