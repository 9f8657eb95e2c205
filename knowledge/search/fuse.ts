/**
 * Score fusion: each recall list's scores are divided by the list's best (BM25 and cosine similarity
 * live on different scales; a negative cosine counts 0), and a passage's fused score is the weighted sum
 * of its normalised scores, 0 from a list that did not recall it. Unlike fusing by rank, a passage far
 * behind the best of one list gets little from it. Pure; the weights say how much each index is trusted.
 */
export interface ScoredList {
  name: string;
  /** Recalled passages with the index's own score (higher is better). */
  hits: { id: number; score: number }[];
  weight: number;
}

export function scoreFusion(lists: ScoredList[]): { id: number; fused: number }[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    const best = Math.max(0, ...list.hits.map((h) => h.score));
    for (const h of list.hits) {
      const normalised = best > 0 ? Math.max(0, h.score) / best : 0;
      scores.set(h.id, (scores.get(h.id) ?? 0) + list.weight * normalised);
    }
  }
  return [...scores].map(([id, fused]) => ({ id, fused })).sort((a, b) => b.fused - a.fused || a.id - b.id);
}
