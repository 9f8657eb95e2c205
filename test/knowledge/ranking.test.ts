import { describe, expect, it } from 'vitest';
import { scoreFusion } from '../../knowledge/search/fuse.ts';
import { idf, lexicalRelevance, vectorRelevance } from '../../knowledge/search/relevance.ts';
import { termOverlap } from '../../knowledge/search/curated.ts';
import { ndcgAt, percentile, recallAt, reciprocalRank, scoreRankings } from '../../knowledge/eval.ts';

describe('score fusion', () => {
  const list = (name: string, weight: number, hits: [number, number][]) => ({ name, weight, hits: hits.map(([id, score]) => ({ id, score })) });

  it('ranks a passage both indexes found above those only one found', () => {
    const fused = scoreFusion([list('lexical', 1, [[1, 9], [2, 8], [3, 7]]), list('vector', 1, [[4, 0.9], [3, 0.85], [5, 0.8]])]);
    expect(fused[0].id).toBe(3);
    expect(fused.map((f) => f.id).sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('puts both indexes on one scale: each list\'s best scores its whole weight, whatever its units', () => {
    const fused = scoreFusion([list('lexical', 0.3, [[1, 24], [2, 12]]), list('vector', 0.7, [[3, 0.6], [4, 0.3], [5, -0.2]])]);
    const of = (id: number) => fused.find((f) => f.id === id)!.fused;
    expect(of(1)).toBeCloseTo(0.3);
    expect(of(2)).toBeCloseTo(0.15);
    expect(of(3)).toBeCloseTo(0.7);
    expect(of(4)).toBeCloseTo(0.35);
    expect(of(5)).toBe(0);
  });

  it('follows the scores, not only the ranks: a passage far behind one list\'s best loses to one close behind the other\'s', () => {
    const fused = scoreFusion([list('lexical', 1, [[1, 10], [2, 1]]), list('vector', 1, [[3, 0.8], [4, 0.78]])]);
    expect(fused.map((f) => f.id)).toEqual([1, 3, 4, 2]);
  });

  it('follows the weights: a heavier index decides the order between its own and the other one\'s top passage', () => {
    const lists = (lw: number, vw: number) => [list('lexical', lw, [[1, 5]]), list('vector', vw, [[2, 0.5]])];
    expect(scoreFusion(lists(2, 1))[0].id).toBe(1);
    expect(scoreFusion(lists(1, 2))[0].id).toBe(2);
    expect(scoreFusion(lists(1, 0)).find((f) => f.id === 2)!.fused).toBe(0);
  });
});

describe('relevance', () => {
  it('scales lexical coverage and cosine similarity to 0–1', () => {
    expect(lexicalRelevance(3, 4)).toBe(0.75);
    expect(lexicalRelevance(1, 0)).toBe(0);
    const s = { cosineFloor: 0.2, cosineCeiling: 0.8, threshold: 0.5 };
    expect(vectorRelevance(0.1, s)).toBe(0);
    expect(vectorRelevance(0.5, s)).toBeCloseTo(0.5);
    expect(vectorRelevance(0.95, s)).toBe(1);
  });
  it('gives rare terms more weight than common ones', () => {
    expect(idf(1, 1000)).toBeGreaterThan(idf(500, 1000));
    expect(idf(1000, 1000)).toBeGreaterThanOrEqual(0);
  });
  it('measures term overlap between questions', () => {
    expect(termOverlap(new Set(['a', 'b']), new Set(['a', 'b']))).toBe(1);
    expect(termOverlap(new Set(['a', 'b']), new Set(['c']))).toBe(0);
    expect(termOverlap(new Set(['a', 'b']), new Set(['a', 'c']))).toBe(0.5);
  });
});

describe('evaluation metrics', () => {
  const rel = new Set(['d2']);
  it('computes recall@k, reciprocal rank and nDCG@10', () => {
    expect(recallAt(['d1', 'd2'], rel, 1)).toBe(0);
    expect(recallAt(['d1', 'd2'], rel, 5)).toBe(1);
    expect(reciprocalRank(['d1', 'd2'], rel)).toBe(0.5);
    expect(reciprocalRank(['d1'], rel)).toBe(0);
    expect(ndcgAt(['d2'], rel, 10)).toBe(1);
    expect(ndcgAt(['d1', 'd2'], rel, 10)).toBeCloseTo(1 / Math.log2(3));
    expect(ndcgAt(['a', 'b'], new Set(['a', 'b', 'c']), 10)).toBeCloseTo((1 + 1 / Math.log2(3)) / (1 + 1 / Math.log2(3) + 0.5));
  });
  it('averages over judged questions only and reports latency percentiles', () => {
    const r = scoreRankings([
      { ranked: ['d2'], relevant: ['d2'], ms: 10 },
      { ranked: ['d1'], relevant: ['d2'], ms: 30 },
      { ranked: [], relevant: [], ms: 20 },
    ]);
    expect(r).toEqual({ queries: 2, 'recall@1': 0.5, 'recall@5': 0.5, mrr: 0.5, 'ndcg@10': 0.5, p50Ms: 20, p99Ms: 30 });
    expect(percentile([5, 1, 3], 50)).toBe(3);
  });
});

describe('lexical recall terms', () => {
  it('recalls by the rarest terms within a budget, and not at all by words found everywhere in a big corpus', async () => {
    const { pickRecallTerms } = await import('../../knowledge/search/lexical.ts');
    const dfs = new Map([['refund', 40], ['order', 900], ['card', 700], ['the', 90000]]);
    expect(pickRecallTerms(['order', 'refund', 'card', 'the'], dfs, 100000)).toEqual(['refund', 'card']);
    expect(pickRecallTerms(['the'], dfs, 100000)).toEqual([]);
    const small = new Map([['a', 3], ['b', 60], ['c', 100]]);
    expect(pickRecallTerms(['c', 'b', 'a'], small, 136)).toEqual(['a']);
    expect(pickRecallTerms(['c'], small, 136)).toEqual(['c']);
  });
});
