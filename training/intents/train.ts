/**
 * Trains an intent model from labelled examples: TF-IDF features, a logistic model and margin models
 * (Crammer–Singer hinge + one-vs-rest squared-hinge SVM, summed),
 * then calibration on a held-out tenth (temperature, out-of-scope threshold), then a refit on everything.
 */
import { chooseOosThreshold, fitTemperature, type HeldOutPrediction } from './calibrate.ts';
import { OOS } from './dataset.ts';
import { modelLogits, type IntentModel } from './model.ts';
import { addScaled, seededRandom, shuffle, softmaxInPlace, trainSoftmax } from './softmax.ts';
import { trainOneVsRestSvm } from './svm.ts';
import type { TextEmbedder } from './embedders.ts';
import { featureCount, fitVectorizer, termsOnly } from './vectorizer.ts';

export interface LabelledText {
  text: string;
  intent: string;
}

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
   * Default 0.25: chosen on CLINC150 val (in-scope accuracy first, out-of-scope recall kept well above 60%).
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
  /** Weight of the margin model's scores added to the logistic scores (default 4). */
  hingeWeight?: number;
  /**
   * Weight of a one-vs-rest squared-hinge SVM (C = 1) whose scores join the margin model's (default 4;
   * 0 leaves it out). The three linear models share the features, so the SVM folds into the margin
   * model's weights and prediction costs nothing more.
   */
  svmWeight?: number;
  /** Passes of the SVM's dual coordinate descent per class (default 5: later passes change little). */
  svmPasses?: number;
  /**
   * Weight of the embedding features next to the n-grams (default 1; 0 leaves them out). The default
   * embedder, the English word pieces (piece-embeddings.ts), adds about 40% to the training time.
   */
  embeddingWeight?: number;
  /**
   * Embedder of the dense features (default: the word-piece embeddings). An asynchronous one (the
   * sentence encoder) must have been prepared for every example and negative (trainIntentModelAsync).
   */
  embedder?: TextEmbedder;
  /** Passes over large data sets (small ones get more, up to 20; default 8). */
  epochs?: number;
}

/**
 * Up to this many examples, all three linear models learn the word-piece embedding columns; above, only
 * the SVM. Few examples: all three are better (demo shop 5-fold accuracy 70.0% against 69.0%) and cheap.
 * Many: the SVM alone is about as accurate (CLINC150 val in-scope 93.67% against 93.73%) for a quarter
 * of the extra training time (all 10,003 BANKING77 examples in 42 s instead of about 70 s; n-grams alone
 * 30 s). A sentence encoder's columns are always learned by all three: they carry more (CLINC150 val
 * in-scope with use-lite 95.9% against 94.9%), and whoever asks for the encoder has chosen accuracy.
 */
export const EMBEDDINGS_IN_ALL_MODELS_UP_TO = 5000;

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
  const clean = examples.filter((e) => e.text.trim() && e.intent);
  if (clean.length === 0) throw new Error('no training examples');
  const random = seededRandom(opts.seed ?? 7);
  const hasOos = clean.some((e) => e.intent === OOS);
  const negatives = chooseNegatives(clean, opts);
  const all: LabelledText[] = [...clean, ...negatives.map((text) => ({ text, intent: OOS }))];
  const labels = [...new Set(all.map((e) => e.intent))].sort();
  const inScope = labels.filter((l) => l !== OOS);
  if (inScope.length < 2) throw new Error(`need at least two intents to train, got ${inScope.length}`);
  const index = new Map(labels.map((l, i) => [l, i]));

  const { train, held } = heldOutSplit(clean, random);
  const oosWeight = opts.oosClassWeight ?? 3;
  const embeddingsInAllModels = clean.length <= EMBEDDINGS_IN_ALL_MODELS_UP_TO || opts.embedder?.prepare !== undefined;
  const base = fit([...train, ...negatives.map((text) => ({ text, intent: OOS }))], labels, index, train.length, oosWeight, opts, embeddingsInAllModels);
  let temperature = 1;
  let oosThreshold = 0;
  let heldOutAccuracy: number | null = null;
  if (held.length > 0) {
    const logits = held.map((e) => modelLogits(base, e.text));
    temperature = fitTemperature(logits, held.map((e) => index.get(e.intent)!));
    const predictions: HeldOutPrediction[] = held.map((e, i) => {
      const p = softmaxInPlace(logits[i]!, temperature);
      let best = -1;
      let oosP = 0;
      labels.forEach((l, k) => {
        if (l === OOS) oosP = p[k]!;
        else if (best < 0 || p[k]! > p[best]!) best = k;
      });
      return { correct: labels[best] === e.intent, confidence: p[best]!, outOfScope: e.intent === OOS, predictedOos: oosP > p[best]! };
    });
    const inScopeHeld = predictions.filter((p) => !p.outOfScope);
    heldOutAccuracy = inScopeHeld.length ? inScopeHeld.filter((p) => p.correct && !p.predictedOos).length / inScopeHeld.length : null;
    if (hasOos) {
      oosThreshold = Math.min(chooseOosThreshold(predictions, opts.maxInScopeLoss ?? 0.01), opts.maxOosThreshold ?? 0.25);
      // Few held-out examples make the quantile unreliable (too strict): then at most twice the uniform confidence.
      const correct = predictions.filter((p) => !p.outOfScope && p.correct).length;
      if (correct < 100) oosThreshold = Math.min(oosThreshold, 2 / inScope.length);
    }
  }
  const refit = opts.refit ?? clean.length <= 20000;
  const final = !refit || held.length === 0 ? base : fit(all, labels, index, clean.length, oosWeight, opts, embeddingsInAllModels);
  const model: IntentModel = { ...final, temperature, oosThreshold, ambiguityMargin: opts.ambiguityMargin ?? 0.1 };
  return {
    model,
    report: {
      examples: clean.length,
      intents: inScope.length,
      negatives: negatives.length,
      seconds: (performance.now() - started) / 1000,
      temperature,
      oosThreshold,
      heldOutAccuracy,
    },
  };
}

/**
 * trainIntentModel with any embedder: an asynchronous one (the sentence encoder) first computes the
 * vectors of the examples and of the negatives the model will use.
 */
export async function trainIntentModelAsync(examples: LabelledText[], opts: TrainOptions = {}): Promise<{ model: IntentModel; report: TrainReport }> {
  const started = performance.now();
  const clean = examples.filter((e) => e.text.trim() && e.intent);
  const embedder = opts.embedder;
  if (!embedder?.prepare || opts.embeddingWeight === 0) return trainIntentModel(examples, opts);
  const negatives = chooseNegatives(clean, opts);
  await embedder.prepare([...clean.map((e) => e.text), ...negatives]);
  const { model, report } = trainIntentModel(examples, { ...opts, negatives, maxNegatives: negatives.length });
  // the encoding is part of the training time
  return { model, report: { ...report, seconds: (performance.now() - started) / 1000 } };
}

/** The generic negatives joining the `oos` class: a seeded sample, only when the examples have out-of-scope ones. */
function chooseNegatives(clean: LabelledText[], opts: TrainOptions): string[] {
  if (!clean.some((e) => e.intent === OOS)) return [];
  return sample(opts.negatives ?? [], opts.maxNegatives ?? Math.min(1500, clean.length), seededRandom((opts.seed ?? 7) + 1));
}

/** Feature fit and both linear models; epochs grow for small data sets so they still converge. */
function fit(
  data: LabelledText[],
  labels: string[],
  index: Map<string, number>,
  own: number,
  oosWeight: number,
  opts: TrainOptions,
  embeddingsInAllModels: boolean,
): Omit<IntentModel, 'temperature' | 'oosThreshold' | 'ambiguityMargin'> {
  const { vectorizer, rows } = fitVectorizer(data.map((e) => e.text), { wordWeight: 0.5, charWeight: 1, embeddingWeight: opts.embeddingWeight ?? 1, embedder: opts.embedder });
  const features = featureCount(vectorizer);
  const y = Int32Array.from(data.map((e) => index.get(e.intent)!));
  const oosIndex = index.get(OOS);
  const oosCount = data.filter((e) => e.intent === OOS).length;
  const perIntent = (data.length - oosCount) / Math.max(1, labels.length - (oosIndex === undefined ? 0 : 1));
  const w = oosCount ? Math.min(1, (oosWeight * perIntent) / oosCount) : 1;
  const sampleWeights = Float32Array.from(y, (label) => (label === oosIndex ? w : 1));
  const minEpochs = opts.epochs ?? 8;
  const epochs = Math.max(minEpochs, Math.min(20, Math.ceil(20000 / own)));
  const svmWeight = opts.svmWeight ?? 4;
  const sgdRows = svmWeight > 0 && vectorizer.embedding && !embeddingsInAllModels ? rows.map((r) => termsOnly(vectorizer, r)) : rows;
  const logistic = trainSoftmax(sgdRows, y, labels.length, features, { epochs, learningRate: 0.1, l2: 0, sampleWeights });
  const hinge = trainSoftmax(sgdRows, y, labels.length, features, { epochs, learningRate: 0.05, l2: 0, loss: 'hinge', seed: 2, sampleWeights });
  const hingeWeight = opts.hingeWeight ?? 4;
  if (svmWeight > 0) {
    const svm = trainOneVsRestSvm(rows, y, labels.length, features, { C: 1, maxPasses: opts.svmPasses ?? 5, sampleWeights });
    if (hingeWeight > 0) addScaled(hinge, svm, svmWeight / hingeWeight);
    else return { labels, vectorizer, logistic, hinge: svm, hingeWeight: svmWeight };
  }
  return { labels, vectorizer, logistic, hinge, hingeWeight };
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
