/**
 * Calibration on held-out examples: a softmax temperature (minimum negative log-likelihood), and the
 * confidence below which a message counts as out of scope.
 */
import { softmaxInPlace } from './softmax.ts';

/** The temperature that makes softmax(logits / T) fit the held-out labels best (golden-section search on log T). */
export function fitTemperature(logits: Float64Array[], labels: number[]): number {
  if (logits.length === 0) return 1;
  const nll = (t: number) => {
    let sum = 0;
    for (let i = 0; i < logits.length; i++) {
      const p = softmaxInPlace(Float64Array.from(logits[i]!), t);
      sum -= Math.log(Math.max(p[labels[i]!]!, 1e-12));
    }
    return sum;
  };
  let lo = Math.log(0.02);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 40; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (nll(Math.exp(a)) < nll(Math.exp(b))) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

export interface HeldOutPrediction {
  /** Predicted class is right (for in-scope examples). */
  correct: boolean;
  /** Calibrated confidence of the top in-scope class. */
  confidence: number;
  /** The example is out of scope. */
  outOfScope: boolean;
  /** The model's top class is the out-of-scope class. */
  predictedOos: boolean;
}

/**
 * The confidence threshold: the highest one that turns away at most `maxInScopeLoss` of the held-out
 * in-scope messages the model gets right (a message below it is out of scope).
 */
export function chooseOosThreshold(held: HeldOutPrediction[], maxInScopeLoss: number): number {
  const confident = held.filter((h) => !h.outOfScope && h.correct && !h.predictedOos).map((h) => h.confidence).sort((a, b) => a - b);
  if (confident.length === 0) return 0;
  const k = Math.floor(maxInScopeLoss * confident.length);
  return k === 0 ? Math.max(0, confident[0]! - 1e-6) : (confident[k - 1]! + confident[k]!) / 2;
}
