/**
 * Trains an intent model from labelled examples: a fit (fit.ts: TF-IDF and embedding features, three
 * linear models summed) on nine tenths, calibration on the held-out tenth (temperature, out-of-scope
 * threshold), and a refit on everything, which the asynchronous trainer runs on a second core.
 */
import { chooseOosThreshold, fitTemperature, type HeldOutPrediction } from './calibrate.ts';
import { OOS } from './dataset.ts';
import type { TextEmbedder } from './text-embedder.ts';
import { fit, fitInWorker, WORKER_FROM, type Fitted, type FitSettings } from './fit.ts';
import { modelLogits, type IntentModel } from './model.ts';
import { seededRandom, shuffle, softmaxInPlace } from './softmax.ts';
import type { LabelledText } from './labelled-text.ts';

export interface TrainOptions {
  /**
   * Generic sentences (e.g. encyclopedia sentences) added to the `oos` class. Used only when the
   * examples themselves have out-of-scope examples; without any, the model is closed-set.
   */
  negatives?: string[];
  /** At most this many negatives are sampled (default: 1,500, and no more than the examples). */
  maxNegatives?: number;
  /** Share of correctly classified in-scope held-out messages the out-of-scope threshold may turn away. */
  maxInScopeLoss?: number;
  /**
   * Upper bound of the out-of-scope confidence threshold: held-out examples come from the same authors
   * as the training examples and look easier than real traffic, so the quantile alone is too strict.
   * Default 0.5 with a sentence encoder's features, 0.25 without; chosen on CLINC150 val, each half of
   * its out-of-scope rows in turn held out: with the encoder, 0.5 keeps in-scope accuracy at 95.5%
   * (95.9% at 0.25) and lifts out-of-scope recall from 60–66% to 79%; n-grams alone would lose 1.5
   * points of in-scope accuracy at 0.5, so they keep 0.25.
   */
  maxOosThreshold?: number;
  ambiguityMargin?: number;
  /**
   * Weight of the whole out-of-scope class (its examples plus negatives) relative to an average intent:
   * keeps a large negative set from swallowing intents with few examples.
   */
  oosClassWeight?: number;
  /** Retrain on all examples after calibration (better model, twice the time); default: up to 20,000 examples. */
  refit?: boolean;
  seed?: number;
  /** Weight of the Crammer–Singer margin model's scores added to the logistic scores (default 4; 0 leaves it out). */
  hingeWeight?: number;
  /**
   * Weight of a one-vs-rest squared-hinge SVM (C = 1) whose scores are added too (default 4; 0 leaves
   * it out). The three linear models share the features, so their sum is one linear model and
   * prediction costs the same as with one.
   */
  svmWeight?: number;
  /** Passes of the SVM's dual coordinate descent per class (default 5: later passes change little). */
  svmPasses?: number;
  /**
   * Weight of the embedding features next to the n-grams (default 1; 0 leaves them out).
   */
  embeddingWeight?: number;
  /**
   * Embedder of the dense features (default: the word-piece embeddings, the synchronous one). An
   * asynchronous one (the sentence encoder) is prepared by trainIntentModelAsync.
   */
  embedder?: TextEmbedder;
  /** Passes over large data sets (small ones get more, up to 20; default 8). */
  epochs?: number;
}

export interface TrainReport {
  examples: number;
  intents: number;
  negatives: number;
  seconds: number;
  temperature: number;
  oosThreshold: number;
  /** Accuracy on the held-out tenth (in-scope examples, before the refit). */
  heldOutAccuracy: number | null;
}

export function trainIntentModel(examples: LabelledText[], opts: TrainOptions = {}): { model: IntentModel; report: TrainReport } {
  const started = performance.now();
  const p = plan(examples, opts);
  const base = fit(p.calibrationSet, p.calibrationSettings, opts.embedder);
  const calibration = calibrate(base, p, opts);
  return finish(p.refit ? fit(p.all, p.settings, opts.embedder) : base, calibration, p, opts, started);
}

/**
 * trainIntentModel with any embedder, on two cores: an asynchronous embedder (the sentence encoder)
 * first computes the vectors of the examples and of the negatives the model will use; then the refit
 * runs in a worker while this thread fits and calibrates on nine tenths.
 */
export async function trainIntentModelAsync(examples: LabelledText[], opts: TrainOptions = {}): Promise<{ model: IntentModel; report: TrainReport }> {
  const started = performance.now();
  const p = plan(examples, opts);
  const embedder = opts.embedder;
  if (embedder?.prepare && opts.embeddingWeight !== 0) await embedder.prepare(p.all.map((e) => e.text));
  // a worker that cannot start (or a set too small to be worth one) leaves the refit to this thread
  const inWorker = p.refit && p.all.length >= WORKER_FROM ? fitInWorker(p.all, p.settings, embedder).catch(() => null) : null;
  const base = fit(p.calibrationSet, p.calibrationSettings, embedder);
  const calibration = calibrate(base, p, opts);
  const final = p.refit ? ((await inWorker) ?? fit(p.all, p.settings, embedder)) : base;
  return finish(final, calibration, p, opts, started);
}

interface Plan {
  clean: LabelledText[];
  negatives: string[];
  /** Examples and negatives: what the refit learns. */
  all: LabelledText[];
  /** Nine tenths of the examples, and the negatives. */
  calibrationSet: LabelledText[];
  held: LabelledText[];
  labels: string[];
  inScope: string[];
  hasOos: boolean;
  refit: boolean;
  settings: FitSettings;
  calibrationSettings: FitSettings;
}

function plan(examples: LabelledText[], opts: TrainOptions): Plan {
  const clean = examples.filter((e) => e.text.trim() && e.intent);
  if (clean.length === 0) throw new Error('no training examples');
  const negatives = chooseNegatives(clean, opts);
  const asOos = negatives.map((text) => ({ text, intent: OOS }));
  const all: LabelledText[] = [...clean, ...asOos];
  const labels = [...new Set(all.map((e) => e.intent))].sort();
  const inScope = labels.filter((l) => l !== OOS);
  if (inScope.length < 2) throw new Error(`need at least two intents to train, got ${inScope.length}`);
  const { train, held } = heldOutSplit(clean, seededRandom(opts.seed ?? 7));
  const settings: FitSettings = {
    labels,
    own: clean.length,
    oosWeight: opts.oosClassWeight ?? 3,
    epochs: opts.epochs,
    hingeWeight: opts.hingeWeight,
    svmWeight: opts.svmWeight,
    svmPasses: opts.svmPasses,
    embeddingWeight: opts.embeddingWeight,
  };
  return {
    clean,
    negatives,
    all,
    calibrationSet: [...train, ...asOos],
    held,
    labels,
    inScope,
    hasOos: clean.some((e) => e.intent === OOS),
    refit: held.length > 0 && (opts.refit ?? clean.length <= 20000),
    settings,
    calibrationSettings: { ...settings, own: train.length },
  };
}

interface Calibration {
  temperature: number;
  oosThreshold: number;
  heldOutAccuracy: number | null;
}

/** Temperature and out-of-scope threshold from the held-out tenth's predictions. */
function calibrate(base: Fitted, p: Plan, opts: TrainOptions): Calibration {
  if (p.held.length === 0) return { temperature: 1, oosThreshold: 0, heldOutAccuracy: null };
  const index = new Map(p.labels.map((l, i) => [l, i]));
  const logits = p.held.map((e) => modelLogits(base, e.text));
  const temperature = fitTemperature(logits, p.held.map((e) => index.get(e.intent)!));
  const predictions: HeldOutPrediction[] = p.held.map((e, i) => {
    const probabilities = softmaxInPlace(logits[i]!, temperature);
    let best = -1;
    let oosP = 0;
    p.labels.forEach((l, k) => {
      if (l === OOS) oosP = probabilities[k]!;
      else if (best < 0 || probabilities[k]! > probabilities[best]!) best = k;
    });
    return { correct: p.labels[best] === e.intent, confidence: probabilities[best]!, outOfScope: e.intent === OOS, predictedOos: oosP > probabilities[best]! };
  });
  const inScopeHeld = predictions.filter((x) => !x.outOfScope);
  const heldOutAccuracy = inScopeHeld.length ? inScopeHeld.filter((x) => x.correct && !x.predictedOos).length / inScopeHeld.length : null;
  let oosThreshold = 0;
  if (p.hasOos) {
    // "with a sentence encoder's features": most held-out messages have a vector (Chinese ones get none)
    const encoder = opts.embedder?.prepare && opts.embeddingWeight !== 0 ? opts.embedder : null;
    const encoded = encoder !== null && p.held.filter((e) => encoder.embed(e.text) !== null).length >= p.held.length / 2;
    oosThreshold = Math.min(chooseOosThreshold(predictions, opts.maxInScopeLoss ?? 0.01), opts.maxOosThreshold ?? (encoded ? 0.5 : 0.25));
    // Few held-out examples make the quantile unreliable (too strict): then at most twice the uniform confidence.
    const correct = predictions.filter((x) => !x.outOfScope && x.correct).length;
    if (correct < 100) oosThreshold = Math.min(oosThreshold, 2 / p.inScope.length);
  }
  return { temperature, oosThreshold, heldOutAccuracy };
}

function finish(final: Fitted, c: Calibration, p: Plan, opts: TrainOptions, started: number): { model: IntentModel; report: TrainReport } {
  return {
    model: { ...final, temperature: c.temperature, oosThreshold: c.oosThreshold, ambiguityMargin: opts.ambiguityMargin ?? 0.1 },
    report: {
      examples: p.clean.length,
      intents: p.inScope.length,
      negatives: p.negatives.length,
      // with an encoder, its time is part of the training time
      seconds: (performance.now() - started) / 1000,
      temperature: c.temperature,
      oosThreshold: c.oosThreshold,
      heldOutAccuracy: c.heldOutAccuracy,
    },
  };
}

/** The generic negatives joining the `oos` class: a seeded sample, only when the examples have out-of-scope ones. */
function chooseNegatives(clean: LabelledText[], opts: TrainOptions): string[] {
  if (!clean.some((e) => e.intent === OOS)) return [];
  return sample(opts.negatives ?? [], opts.maxNegatives ?? Math.min(1500, clean.length), seededRandom((opts.seed ?? 7) + 1));
}

/** About a tenth of each intent's examples (none from intents with fewer than 4). */
function heldOutSplit(examples: LabelledText[], random: () => number): { train: LabelledText[]; held: LabelledText[] } {
  const byIntent = new Map<string, LabelledText[]>();
  for (const e of examples) byIntent.set(e.intent, [...(byIntent.get(e.intent) ?? []), e]);
  const train: LabelledText[] = [];
  const held: LabelledText[] = [];
  for (const group of byIntent.values()) {
    const order = Array.from(group.keys());
    shuffle(order, random);
    const k = group.length >= 4 ? Math.max(1, Math.round(group.length / 10)) : 0;
    order.forEach((i, j) => (j < k ? held : train).push(group[i]!));
  }
  return { train, held };
}

function sample<T>(items: T[], n: number, random: () => number): T[] {
  if (items.length <= n) return [...items];
  const order = Array.from(items.keys());
  shuffle(order, random);
  return order.slice(0, n).map((i) => items[i]!);
}
