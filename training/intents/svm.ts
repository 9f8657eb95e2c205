/**
 * One-vs-rest linear support vector machines with the squared hinge loss (what LIBLINEAR / scikit-learn's
 * LinearSVC train), solved by dual coordinate descent with shrinking (Hsieh et al., 2008). Each class is
 * trained on its own in a class-major buffer; the result is laid out feature-major like the other linear
 * models (W[feature * classes + class]) so prediction is the same sparse dot product.
 */
import { denseWidth, dot, seededRandom, shuffle, type LinearModel } from './softmax.ts';
import type { SparseVector } from './vectorizer.ts';

export interface SvmOptions {
  /** Inverse regularisation strength (LinearSVC's C; default 1). */
  C?: number;
  /** At most this many passes over the data per class (default 30). */
  maxPasses?: number;
  /** Stop when the projected-gradient spread falls below this (default 0.1, LIBLINEAR's default). */
  tolerance?: number;
  /** Per-example weight: its C is multiplied by it. */
  sampleWeights?: Float32Array;
  /** Constant feature for the bias (LIBLINEAR's -B; default 1). */
  biasFeature?: number;
  seed?: number;
}

export function trainOneVsRestSvm(rows: SparseVector[], labels: Int32Array, classes: number, features: number, opts: SvmOptions = {}): LinearModel {
  const K = classes;
  const n = rows.length;
  const C = opts.C ?? 1;
  const B = opts.biasFeature ?? 1;
  const W = new Float32Array(features * K);
  const bias = new Float32Array(K);
  // ‖x‖² + B² for each example (the diagonal of the kernel matrix)
  const qii = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = B * B;
    for (const v of rows[i]!.val) s += v * v;
    for (const v of rows[i]!.dense ?? []) s += v * v;
    qii[i] = s;
  }
  const w = new Float64Array(features);
  const denseFrom = features - denseWidth(rows);
  const alpha = new Float64Array(n);
  const order = new Int32Array(n);
  const random = seededRandom(opts.seed ?? 3);
  for (let k = 0; k < K; k++) {
    w.fill(0);
    alpha.fill(0);
    let wb = 0;
    solveOneClass(rows, labels, k, C, B, opts, qii, w, denseFrom, alpha, order, random, (b) => (wb = b));
    for (let f = 0; f < features; f++) if (w[f] !== 0) W[f * K + k] = w[f]!;
    bias[k] = wb;
  }
  return { classes: K, features, weights: W, bias };
}

function solveOneClass(
  rows: SparseVector[],
  labels: Int32Array,
  k: number,
  C: number,
  B: number,
  opts: SvmOptions,
  qii: Float64Array,
  w: Float64Array,
  /** first column of the rows' dense block */
  denseFrom: number,
  alpha: Float64Array,
  order: Int32Array,
  random: () => number,
  setBias: (b: number) => void,
): void {
  const n = rows.length;
  const maxPasses = opts.maxPasses ?? 30;
  const eps = opts.tolerance ?? 0.1;
  let wb = 0;
  // squared hinge: no upper bound on alpha; D_ii = 1 / (2 C_i)
  const diag = (i: number) => 0.5 / (C * (opts.sampleWeights ? opts.sampleWeights[i]! : 1));
  let active = n;
  for (let i = 0; i < n; i++) order[i] = i;
  let maxOld = Infinity;
  for (let pass = 0; pass < maxPasses; pass++) {
    let maxNew = -Infinity;
    let minNew = Infinity;
    const sub = order.subarray(0, active);
    shuffle(sub, random);
    let s = 0;
    while (s < active) {
      const i = order[s]!;
      const y = labels[i] === k ? 1 : -1;
      const x = rows[i]!;
      let margin = wb * B;
      for (let j = 0; j < x.idx.length; j++) margin += w[x.idx[j]!]! * x.val[j]!;
      if (x.dense) margin += dot(w, denseFrom, x.dense);
      const d = diag(i);
      const G = y * margin - 1 + d * alpha[i]!;
      let pg = 0;
      if (alpha[i] === 0) {
        if (G > maxOld) {
          // shrink: this example stays at zero
          active--;
          order[s] = order[active]!;
          order[active] = i;
          continue;
        }
        if (G < 0) pg = G;
      } else pg = G;
      if (pg > maxNew) maxNew = pg;
      if (pg < minNew) minNew = pg;
      if (Math.abs(pg) > 1e-12) {
        const old = alpha[i]!;
        const next = Math.max(old - G / (qii[i]! + d), 0);
        const delta = (next - old) * y;
        alpha[i] = next;
        if (delta !== 0) {
          for (let j = 0; j < x.idx.length; j++) w[x.idx[j]!]! += delta * x.val[j]!;
          if (x.dense) for (let j = 0, f = denseFrom; j < x.dense.length; j++, f++) w[f]! += delta * x.dense[j]!;
          wb += delta * B;
        }
      }
      s++;
    }
    if (maxNew - minNew <= eps) {
      if (active === n) break;
      // converged on the active set: check everything once more without shrinking
      active = n;
      maxOld = Infinity;
      continue;
    }
    maxOld = maxNew <= 0 ? Infinity : maxNew;
  }
  setBias(wb * B);
}
