/**
 * A trained intent model and how it predicts: feature vector → class scores of one linear model (the
 * logistic and margin models summed, train.ts) → softmax at the calibrated temperature → top intent, out of scope (the `oos` class or confidence below
 * the threshold), ambiguous (top two close).
 */
import { OOS } from './dataset.ts';
import { addScaled, scores, softmaxInPlace, type LinearModel } from './softmax.ts';
import { embedderNamed } from './embedders.ts';
import type { TextEmbedder } from './text-embedder.ts';
import { vectorize, type Vectorizer } from './vectorizer.ts';

export interface IntentModel {
  labels: string[];
  vectorizer: Vectorizer;
  /** Class scores: the logistic, hinge and SVM models trained on the same features, summed into one (train.ts). */
  classifier: LinearModel;
  temperature: number;
  /** Top confidence below this means out of scope; 0 turns the threshold off. */
  oosThreshold: number;
  /** Top-two confidence gap below this means ambiguous. */
  ambiguityMargin: number;
}

export interface RankedIntent {
  intent: string;
  confidence: number;
}

export interface IntentPrediction {
  /** The top in-scope intent, or null when out of scope. */
  intent: string | null;
  confidence: number;
  outOfScope: boolean;
  ambiguous: boolean;
  /** In-scope intents, best first (at most five). */
  ranking: RankedIntent[];
  /** Probability of the out-of-scope class (0 for a closed-set model). */
  oosProbability: number;
}

/** Combined class scores (before temperature). */
export function modelLogits(model: Pick<IntentModel, 'vectorizer' | 'classifier'>, text: string): Float64Array {
  return scores(model.classifier, vectorize(model.vectorizer, text));
}

export function predictIntent(model: IntentModel, text: string): IntentPrediction {
  return predictionFrom(model, softmaxInPlace(modelLogits(model, text), model.temperature), wordless(text));
}

/** predictIntent for a model with an asynchronous embedder (the sentence encoder): encodes the text first. */
export async function predictIntentAsync(model: IntentModel, text: string): Promise<IntentPrediction> {
  await model.vectorizer.embedding?.embedder.prepare?.([text]);
  return predictIntent(model, text);
}

/**
 * The prediction of a committee: models trained on the same examples with different seeds (which tenth
 * is held out for calibration, which negatives are sampled), their calibrated probabilities averaged
 * class by class. Steadier than any one member, whose answers vary with its seed.
 */
export async function predictCommitteeAsync(models: IntentModel[], text: string): Promise<IntentPrediction> {
  const [first] = models;
  if (!first) throw new Error('a committee needs at least one model');
  if (models.some((m) => m.labels.length !== first.labels.length || m.labels.some((l, k) => l !== first.labels[k]))) throw new Error("a committee's models must share their classes");
  // members trained alike share their embedder: the text is encoded once
  const embedders = new Set(models.map((m) => m.vectorizer.embedding?.embedder));
  await Promise.all([...embedders].map((e) => e?.prepare?.([text])));
  const mean = new Float64Array(first.labels.length);
  for (const m of models) softmaxInPlace(modelLogits(m, text), m.temperature).forEach((p, k) => (mean[k]! += p / models.length));
  const oosThreshold = models.reduce((sum, m) => sum + m.oosThreshold, 0) / models.length;
  return predictionFrom({ labels: first.labels, oosThreshold, ambiguityMargin: first.ambiguityMargin }, mean, wordless(text));
}

const wordless = (text: string) => !/[\p{L}\p{N}]/u.test(text);

/** Turns calibrated class probabilities into a prediction. */
function predictionFrom(model: Pick<IntentModel, 'labels' | 'oosThreshold' | 'ambiguityMargin'>, p: Float64Array, noWords = false): IntentPrediction {
  const ranking: RankedIntent[] = [];
  let oosProbability = 0;
  model.labels.forEach((intent, k) => {
    if (intent === OOS) oosProbability = p[k]!;
    else ranking.push({ intent, confidence: p[k]! });
  });
  ranking.sort((a, b) => b.confidence - a.confidence);
  const top = ranking[0];
  const second = ranking[1]?.confidence ?? 0;
  const confidence = top?.confidence ?? 0;
  const outOfScope = noWords || !top || oosProbability > confidence || confidence < model.oosThreshold;
  return {
    intent: outOfScope ? null : top!.intent,
    confidence: noWords ? 0 : confidence,
    outOfScope,
    ambiguous: !outOfScope && confidence - second < model.ambiguityMargin,
    ranking: ranking.slice(0, 5),
    oosProbability,
  };
}

/** Model → JSON-safe object (weights as base64 float32). */
export function serializeModel(model: IntentModel): Record<string, unknown> {
  const linear = (m: LinearModel) => ({ classes: m.classes, features: m.features, weights: b64(m.weights), bias: b64(m.bias) });
  return {
    format: 2,
    labels: model.labels,
    vectorizer: {
      features: model.vectorizer.features,
      terms: [...model.vectorizer.vocab.keys()],
      idf: b64(model.vectorizer.idf),
      wordWeight: model.vectorizer.wordWeight,
      charWeight: model.vectorizer.charWeight,
      embedding: model.vectorizer.embedding && { name: model.vectorizer.embedding.embedder.name, weight: model.vectorizer.embedding.weight },
    },
    classifier: linear(model.classifier),
    temperature: model.temperature,
    oosThreshold: model.oosThreshold,
    ambiguityMargin: model.ambiguityMargin,
  };
}

interface StoredLinear {
  classes: number;
  features: number;
  weights: string;
  bias: string;
}

interface StoredModelJson {
  format: number;
  labels: string[];
  vectorizer: {
    features: IntentModel['vectorizer']['features'];
    terms: string[];
    idf: string;
    wordWeight: number;
    charWeight: number;
    embedding?: { name: string; weight: number } | null;
  };
  classifier?: StoredLinear;
  /** format 1: a logistic model and a margin model added with a weight */
  logistic?: StoredLinear;
  hinge?: StoredLinear | null;
  hingeWeight?: number;
  temperature: number;
  oosThreshold: number;
  ambiguityMargin: number;
}

/** Names of the embedders a stored model needs (load them with loadEmbedder before deserializeModel). */
export function embeddersOf(json: unknown): string[] {
  const name = (json as StoredModelJson)?.vectorizer?.embedding?.name;
  return name ? [name] : [];
}

/** A stored model back; its embedder is the loaded one of that name, or the one given. */
export function deserializeModel(json: unknown, embedder?: TextEmbedder): IntentModel {
  const o = json as StoredModelJson;
  if (!o || (o.format !== 1 && o.format !== 2)) throw new Error('unknown intent model format');
  const linear = (m: StoredLinear): LinearModel => ({ classes: m.classes, features: m.features, weights: f32(m.weights), bias: f32(m.bias) });
  let classifier: LinearModel;
  if (o.format === 2) classifier = linear(o.classifier!);
  else {
    classifier = linear(o.logistic!);
    if (o.hinge && o.hingeWeight) addScaled(classifier, linear(o.hinge), o.hingeWeight);
  }
  const v = o.vectorizer;
  return {
    labels: o.labels,
    vectorizer: {
      features: v.features,
      vocab: new Map(v.terms.map((t, i) => [t, i])),
      idf: f32(v.idf),
      wordWeight: v.wordWeight,
      charWeight: v.charWeight,
      embedding: v.embedding ? { weight: v.embedding.weight, embedder: embedder ?? embedderNamed(v.embedding.name) } : null,
    },
    classifier,
    temperature: o.temperature,
    oosThreshold: o.oosThreshold,
    ambiguityMargin: o.ambiguityMargin,
  };
}

function b64(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function f32(s: string): Float32Array {
  const buf = Buffer.from(s, 'base64');
  const out = new Float32Array(buf.byteLength / 4);
  new Uint8Array(out.buffer).set(buf);
  return out;
}
