/**
 * Reciprocal-rank fusion: each recall list votes for its passages by rank, `weight / (k + rank)`.
 * Pure; the weights say how much each index is trusted.
 */
export interface RankedList {
  name: string;
  /** Passage ids, best first. */
  ids: number[];
  weight: number;
}

export function reciprocalRankFusion(lists: RankedList[], k = 60): { id: number; fused: number }[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.ids.forEach((id, rank) => scores.set(id, (scores.get(id) ?? 0) + list.weight / (k + rank + 1)));
  }
  return [...scores].map(([id, fused]) => ({ id, fused })).sort((a, b) => b.fused - a.fused || a.id - b.id);
}
