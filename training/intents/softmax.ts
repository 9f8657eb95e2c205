/**
 * Linear classifiers on sparse vectors — multinomial logistic regression (log loss) or a multiclass
 * margin model (Crammer–Singer hinge) — trained by per-example AdaGrad over a few shuffled epochs
 * (optional L2). Weights are laid out feature-major (W[feature * classes + class]) so that
 * one example touches one contiguous run per non-zero feature.
 */
import type { SparseVector } from './vectorizer.ts';

export interface LinearModel {
  classes: number;
  features: number;
  weights: Float32Array;
  bias: Float32Array;
}

export interface SoftmaxOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty per example step (applied only to touched weights). */
  l2?: number;
  seed?: number;
  /** Per-example weight (e.g. to down-weight generic negative sentences). */
  sampleWeights?: Float32Array;
  /** 'log': softmax cross-entropy (calibratable probabilities); 'hinge': multiclass margin (Crammer–Singer). */
  loss?: 'log' | 'hinge';
  /** Log loss: skip weight updates for classes whose probability error is below this (speed; default 1e-4). */
  skipGradientBelow?: number;
}

export function trainSoftmax(rows: SparseVector[], labels: Int32Array, classes: number, features: number, opts: SoftmaxOptions = {}): LinearModel {
  const epochs = opts.epochs ?? 12;
  const lr = opts.learningRate ?? 0.5;
  const l2 = opts.l2 ?? 1e-6;
  const random = seededRandom(opts.seed ?? 1);
  const K = classes;
  const W = new Float32Array(features * K);
  const G = new Float32Array(features * K);
  const b = new Float32Array(K);
  const Gb = new Float32Array(K);
  // The dense block (the last D columns) is trained class-major: each class's weights are one run, so
  // scoring is K short dot products instead of D strided updates of all K scores (about 3× faster).
  const D = denseWidth(rows);
  const denseFrom = features - D;
  const Wd = new Float32Array(K * D);
  const Gd = new Float32Array(K * D);
  const z = new Float64Array(K);
  const active = new Int32Array(K);
  const order = Int32Array.from(rows.keys());
  const hinge = opts.loss === 'hinge';
  // Classes whose gradient is negligible for this example are not updated (most of them, after the first epoch).
  const skipBelow = hinge ? 0.5 : (opts.skipGradientBelow ?? 1e-4);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (const r of order) {
      const x = rows[r]!;
      const y = labels[r]!;
      const sw = opts.sampleWeights ? opts.sampleWeights[r]! : 1;
      scoreInto(W, b, K, x, z);
      const xd = x.dense;
      if (xd) for (let k = 0; k < K; k++) z[k]! += dot(Wd, k * D, xd);
      if (hinge) {
        if (!hingeGradient(z, y)) continue;
      } else {
        softmaxInPlace(z);
        z[y]! -= 1;
      }
      let touched = 0;
      for (let k = 0; k < K; k++) {
        const g = z[k]! * sw;
        Gb[k]! += g * g;
        b[k]! -= (lr * g) / (Math.sqrt(Gb[k]!) + 1e-8);
        if (Math.abs(z[k]!) >= skipBelow) active[touched++] = k;
      }
      for (let j = 0; j < x.idx.length; j++) {
        const v = x.val[j]!;
        const base = x.idx[j]! * K;
        for (let a = 0; a < touched; a++) {
          const k = active[a]!;
          const w = W[base + k]!;
          const g = v * z[k]! * sw + l2 * w;
          const acc = G[base + k]! + g * g;
          G[base + k] = acc;
          W[base + k] = w - (lr * g) / (Math.sqrt(acc) + 1e-8);
        }
      }
      if (!xd) continue;
      for (let a = 0; a < touched; a++) {
        const k = active[a]!;
        const zk = z[k]! * sw;
        for (let j = 0, i = k * D; j < D; j++, i++) {
          const w = Wd[i]!;
          const g = xd[j]! * zk + l2 * w;
          const acc = Gd[i]! + g * g;
          Gd[i] = acc;
          Wd[i] = w - (lr * g) / (Math.sqrt(acc) + 1e-8);
        }
      }
    }
  }
  for (let k = 0; k < K; k++) for (let j = 0; j < D; j++) W[(denseFrom + j) * K + k] = Wd[k * D + j]!;
  return { classes: K, features, weights: W, bias: b };
}

/** Width of the rows' dense block (0 without one); every row that has one has the same. */
export function denseWidth(rows: SparseVector[]): number {
  let D = 0;
  for (const x of rows) {
    if (!x.dense) continue;
    if (D && x.dense.length !== D) throw new Error(`dense blocks differ in width: ${D} and ${x.dense.length}`);
    D = x.dense.length;
  }
  return D;
}

/** Σ w[from + j]·x[j], in four independent sums (the loop runs about twice as fast). */
export function dot(w: Float32Array | Float64Array, from: number, x: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const n = x.length;
  let j = 0;
  for (; j + 3 < n; j += 4) {
    const i = from + j;
    s0 += w[i]! * x[j]!;
    s1 += w[i + 1]! * x[j + 1]!;
    s2 += w[i + 2]! * x[j + 2]!;
    s3 += w[i + 3]! * x[j + 3]!;
  }
  for (; j < n; j++) s0 += w[from + j]! * x[j]!;
  return s0 + s1 + s2 + s3;
}

/** Crammer–Singer gradient in `z`: +1 on the strongest wrong class, −1 on the true one; false when the margin holds. */
function hingeGradient(z: Float64Array, y: number): boolean {
  let rival = -1;
  for (let k = 0; k < z.length; k++) if (k !== y && (rival < 0 || z[k]! > z[rival]!)) rival = k;
  const violated = z[y]! - z[rival]! < 1;
  z.fill(0);
  if (!violated) return false;
  z[y] = -1;
  z[rival] = 1;
  return true;
}

/** `into += scale · other` (same classes and features): two linear models' scores summed as one model. */
export function addScaled(into: LinearModel, other: LinearModel, scale: number): LinearModel {
  if (into.classes !== other.classes || into.features !== other.features) throw new Error('linear models differ in shape');
  for (let i = 0; i < into.weights.length; i++) into.weights[i]! += scale * other.weights[i]!;
  for (let k = 0; k < into.bias.length; k++) into.bias[k]! += scale * other.bias[k]!;
  return into;
}

/** Raw class scores (logits) of one example. */
export function scores(model: LinearModel, x: SparseVector, out = new Float64Array(model.classes)): Float64Array {
  scoreInto(model.weights, model.bias, model.classes, x, out, true);
  return out;
}

/** Scores of the sparse terms into `z` (bias included); the dense block too, from the feature-major weights. */
function scoreInto(W: Float32Array, b: Float32Array, K: number, x: SparseVector, z: Float64Array, withDense = false): void {
  for (let k = 0; k < K; k++) z[k] = b[k]!;
  for (let j = 0; j < x.idx.length; j++) {
    const v = x.val[j]!;
    const base = x.idx[j]! * K;
    for (let k = 0; k < K; k++) z[k]! += v * W[base + k]!;
  }
  const xd = x.dense;
  if (!withDense || !xd) return;
  const denseFrom = W.length / K - xd.length;
  for (let j = 0; j < xd.length; j++) {
    const v = xd[j]!;
    const base = (denseFrom + j) * K;
    for (let k = 0; k < K; k++) z[k]! += v * W[base + k]!;
  }
}

/** Softmax of `z` in place (numerically stable). */
export function softmaxInPlace(z: Float64Array, temperature = 1): Float64Array {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    const e = Math.exp((z[k]! - max) / temperature);
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < z.length; k++) z[k]! /= sum;
  return z;
}

export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle(a: Int32Array | number[], random: () => number): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
