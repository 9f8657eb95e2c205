/**
 * The issue detector a company teaches with a few labelled pictures per issue: nearest neighbours over image
 * embeddings. Pure functions.
 *
 *   centre     subtract the examples' mean (generic features share a large common part), then unit length
 *   nearest    each issue's score is its closest example's cosine similarity to the picture
 *   share      softmax over the issues' scores (temperature 0.1): the top issue's share is the confidence
 * Pictures labelled `none` (showing no issue) are a class too: when they win, no issue is found.
 */

export const NO_ISSUE = 'none';

export interface LabelledVector {
  issue: string;
  vector: Float32Array;
}

export interface LearnedMatch {
  /** The issue, or `none` when pictures without an issue were closest. */
  id: string;
  confidence: number;
  /** Cosine similarity of the closest example (after centring). */
  similarity: number;
}

export interface IssueDetector {
  /** Examples per issue. */
  counts: Record<string, number>;
  detect(vector: Float32Array): LearnedMatch | undefined;
}

const TEMPERATURE = 0.1;

function centred(v: Float32Array, centre: Float32Array): Float32Array {
  const out = new Float32Array(v.length);
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    out[i] = v[i]! - centre[i]!;
    norm += out[i]! * out[i]!;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

export function learnIssueDetector(examples: LabelledVector[]): IssueDetector {
  const counts: Record<string, number> = {};
  for (const e of examples) counts[e.issue] = (counts[e.issue] ?? 0) + 1;
  const dims = examples[0]?.vector.length ?? 0;
  if (examples.some((e) => e.vector.length !== dims)) throw new Error('learned examples have embeddings of different sizes: learn them again with one model');
  const centre = new Float32Array(dims);
  for (const e of examples) for (let i = 0; i < dims; i++) centre[i]! += e.vector[i]! / examples.length;
  const points = examples.map((e) => ({ issue: e.issue, unit: centred(e.vector, centre) }));
  return {
    counts,
    detect(vector) {
      // one kind of picture teaches nothing to choose between
      if (Object.keys(counts).length < 2 || vector.length !== dims) return undefined;
      const q = centred(vector, centre);
      const best = new Map<string, number>();
      for (const p of points) {
        const sim = p.unit.reduce((s, x, i) => s + x * q[i]!, 0);
        if (sim > (best.get(p.issue) ?? -Infinity)) best.set(p.issue, sim);
      }
      const ranked = [...best].sort((a, b) => b[1] - a[1]);
      const exp = ranked.map(([, s]) => Math.exp((s - ranked[0]![1]) / TEMPERATURE));
      const total = exp.reduce((a, b) => a + b, 0);
      return { id: ranked[0]![0], confidence: exp[0]! / total, similarity: ranked[0]![1] };
    },
  };
}

/** Leave-one-out accuracy of a labelled set: each example classified by all the others. */
export function leaveOneOut(examples: LabelledVector[]): { right: number; total: number; wrong: { index: number; expected: string; found: string }[] } {
  const wrong: { index: number; expected: string; found: string }[] = [];
  examples.forEach((e, index) => {
    const found = learnIssueDetector(examples.filter((_, j) => j !== index)).detect(e.vector)?.id ?? NO_ISSUE;
    if (found !== e.issue) wrong.push({ index, expected: e.issue, found });
  });
  return { right: examples.length - wrong.length, total: examples.length, wrong };
}
