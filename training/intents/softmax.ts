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
  const z = new Float64Array(K);
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
      if (hinge) {
        if (!hingeGradient(z, y)) continue;
      } else {
        softmaxInPlace(z);
        z[y]! -= 1;
      }
      for (let k = 0; k < K; k++) {
        const g = z[k]! * sw;
        Gb[k]! += g * g;
        b[k]! -= (lr * g) / (Math.sqrt(Gb[k]!) + 1e-8);
      }
      for (let j = 0; j < x.idx.length; j++) {
        const v = x.val[j]!;
        const base = x.idx[j]! * K;
        for (let k = 0; k < K; k++) {
          if (Math.abs(z[k]!) < skipBelow) continue;
          const w = W[base + k]!;
          const g = v * z[k]! * sw + l2 * w;
          const acc = G[base + k]! + g * g;
          G[base + k] = acc;
          W[base + k] = w - (lr * g) / (Math.sqrt(acc) + 1e-8);
        }
      }
    }
  }
  return { classes: K, features, weights: W, bias: b };
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
  scoreInto(model.weights, model.bias, model.classes, x, out);
  return out;
}

function scoreInto(W: Float32Array, b: Float32Array, K: number, x: SparseVector, z: Float64Array): void {
  for (let k = 0; k < K; k++) z[k] = b[k]!;
  for (let j = 0; j < x.idx.length; j++) {
    const v = x.val[j]!;
    const base = x.idx[j]! * K;
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
