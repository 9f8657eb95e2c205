/**
 * How relevant a recalled passage is, on one 0–1 scale for both indexes, and the cut below which
 * kefu says it does not know. Pure.
 */
export interface RelevanceSettings {
  /** Cosine similarity at or below which a passage counts as unrelated (relevance 0). */
  cosineFloor: number;
  /** Cosine similarity at or above which a passage counts as fully related (relevance 1). */
  cosineCeiling: number;
  /** Passages below this relevance are cut; none left means "I don't know". */
  threshold: number;
}

export const DEFAULT_RELEVANCE: RelevanceSettings = { cosineFloor: 0.2, cosineCeiling: 0.8, threshold: 0.45 };

/** Relevance from the lexical side: the IDF-weighted share of the question's terms the passage contains. */
export function lexicalRelevance(matchedIdf: number, queryIdf: number): number {
  return queryIdf > 0 ? Math.min(1, matchedIdf / queryIdf) : 0;
}

export function vectorRelevance(cosine: number, s: RelevanceSettings): number {
  return Math.max(0, Math.min(1, (cosine - s.cosineFloor) / (s.cosineCeiling - s.cosineFloor)));
}

/** BM25's inverse document frequency (never negative). */
export function idf(df: number, n: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5));
}
