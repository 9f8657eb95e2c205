/**
 * Dot products of a question's vector with a matrix of chunk vectors (knowledge/search/dot-products.ts):
 * WebAssembly SIMD where the vectors' length is a multiple of four, a JavaScript loop otherwise, the same
 * numbers either way.
 */
import { describe, expect, it } from 'vitest';
import { vectorMatrix } from '../../knowledge/search/dot-products.ts';

/** Deterministic numbers in [-0.5, 0.5) (a linear congruential generator). */
function numbers(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    out[i] = seed / 2 ** 32 - 0.5;
  }
  return out;
}

/** Each row's dot product with the query, in double precision. */
function expected(query: Float32Array, matrix: Float32Array, d: number): number[] {
  return Array.from({ length: matrix.length / d }, (_, r) => query.slice(0, d).reduce((sum, q, k) => sum + q * matrix[r * d + k]!, 0));
}

describe('dot products of a question with a matrix of vectors', () => {
  it('multiplies 512-number vectors with SIMD, matching double precision to single-precision rounding', () => {
    const d = 512;
    const rows = numbers(300 * d, 1);
    const m = vectorMatrix(rows, d);
    expect(m.simd).toBe(true);
    expect(m.rows).toBe(300);
    for (const seed of [2, 3]) {
      const query = numbers(d, seed);
      const want = expected(query, rows, d);
      const got = m.dots(query);
      expect(got).toHaveLength(300);
      want.forEach((w, r) => expect(Math.abs(got[r]! - w), `row ${r}`).toBeLessThan(1e-4));
    }
  });

  it('uses a JavaScript loop for a length that is not a multiple of four, with the same numbers', () => {
    const d = 7;
    const rows = numbers(5 * d, 4);
    const query = numbers(d, 5);
    const m = vectorMatrix(rows, d);
    expect(m.simd).toBe(false);
    expected(query, rows, d).forEach((w, r) => expect(m.dots(query)[r]).toBeCloseTo(w, 5));
  });

  it('keeps its own copy of the vectors and handles one row and none', () => {
    const d = 8;
    const rows = numbers(d, 6);
    const query = numbers(d, 7);
    const m = vectorMatrix(rows, d);
    const before = m.dots(query)[0]!;
    rows.fill(0);
    expect(m.dots(query)[0]).toBe(before);
    expect(before).toBeCloseTo(expected(query, numbers(d, 6), d)[0]!, 5);
    expect(vectorMatrix(new Float32Array(0), d).dots(query)).toHaveLength(0);
  });
});
