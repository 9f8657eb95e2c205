/**
 * One fit of an intent classifier: the feature vocabulary, then three linear models on the same features
 * (logistic regression and a Crammer–Singer margin model by AdaGrad, a one-vs-rest squared-hinge SVM by
 * dual coordinate descent), summed into one. Training fits twice (on nine tenths for calibration, then on
 * everything); the second fit can run in a worker thread (fit-worker.ts) beside the first, so training
 * uses two cores.
 */
import { Worker } from 'node:worker_threads';
import { OOS } from './dataset.ts';
import type { TextEmbedder } from './text-embedder.ts';
import { deserializeModel, serializeModel, type IntentModel } from './model.ts';
import { addScaled, trainSoftmax } from './softmax.ts';
import { trainOneVsRestSvm } from './svm.ts';
import type { LabelledText } from './labelled-text.ts';
import { featureCount, fitVectorizer } from './vectorizer.ts';

/** Plain data (it crosses to a worker). */
export interface FitSettings {
  labels: string[];
  /** Examples that are the bot's own (not generic negatives): small sets get more epochs. */
  own: number;
  /** Weight of the whole out-of-scope class relative to an average intent. */
  oosWeight: number;
  epochs?: number;
  hingeWeight?: number;
  svmWeight?: number;
  svmPasses?: number;
  embeddingWeight?: number;
}

export type Fitted = Pick<IntentModel, 'labels' | 'vectorizer' | 'classifier'>;

export function fit(data: LabelledText[], s: FitSettings, embedder?: TextEmbedder): Fitted {
  const { labels } = s;
  const index = new Map(labels.map((l, i) => [l, i]));
  const { vectorizer, rows } = fitVectorizer(
    data.map((e) => e.text),
    { wordWeight: 0.5, charWeight: 1, embeddingWeight: s.embeddingWeight ?? 1, embedder },
  );
  const features = featureCount(vectorizer);
  const y = Int32Array.from(data.map((e) => index.get(e.intent)!));
  const oosIndex = index.get(OOS);
  const oosCount = data.filter((e) => e.intent === OOS).length;
  const perIntent = (data.length - oosCount) / Math.max(1, labels.length - (oosIndex === undefined ? 0 : 1));
  const w = oosCount ? Math.min(1, (s.oosWeight * perIntent) / oosCount) : 1;
  const sampleWeights = Float32Array.from(y, (label) => (label === oosIndex ? w : 1));
  const epochs = Math.max(s.epochs ?? 8, Math.min(20, Math.ceil(20000 / s.own)));
  const logistic = trainSoftmax(rows, y, labels.length, features, { epochs, learningRate: 0.1, l2: 0, sampleWeights });
  const hingeWeight = s.hingeWeight ?? 4;
  if (hingeWeight > 0) {
    const hinge = trainSoftmax(rows, y, labels.length, features, { epochs, learningRate: 0.05, l2: 0, loss: 'hinge', seed: 2, sampleWeights });
    addScaled(logistic, hinge, hingeWeight);
  }
  const svmWeight = s.svmWeight ?? 4;
  if (svmWeight > 0) addScaled(logistic, trainOneVsRestSvm(rows, y, labels.length, features, { C: 1, maxPasses: s.svmPasses ?? 5, sampleWeights }), svmWeight);
  // the three models share the features, so their summed scores are one linear model's
  return { labels, vectorizer, classifier: logistic };
}

/** What a worker needs to fit: the data, the settings and the dense vectors (or the name of a built-in embedder). */
export interface FitJob {
  data: LabelledText[];
  settings: FitSettings;
  embedder: { name: string; dim: number; vectors?: Map<string, Float32Array> } | null;
}

/** Below this many examples a worker costs more than it saves (starting one takes about a second). */
export const WORKER_FROM = 2000;

/**
 * `fit` in a worker thread, so the caller's thread can do other work meanwhile. An asynchronous embedder's
 * vectors (already prepared) travel with the job; the result uses the caller's embedder.
 */
export async function fitInWorker(data: LabelledText[], settings: FitSettings, embedder?: TextEmbedder): Promise<Fitted> {
  const job: FitJob = {
    data,
    settings,
    embedder: !embedder || settings.embeddingWeight === 0 ? null : { name: embedder.name, dim: embedder.dim, vectors: embedder.prepare ? vectorsOf(data, embedder) : undefined },
  };
  return deserializeModel(await runWorker(job), embedder);
}

function vectorsOf(data: LabelledText[], embedder: TextEmbedder): Map<string, Float32Array> {
  const vectors = new Map<string, Float32Array>();
  for (const { text } of data) {
    const v = embedder.embed(text);
    if (v) vectors.set(text, v);
  }
  return vectors;
}

function runWorker(job: FitJob): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    // a JavaScript entry that loads the TypeScript worker through tsx (a dependency of kefu)
    const worker = new Worker(new URL('./fit-worker.mjs', import.meta.url), { workerData: job });
    worker.once('message', (m: { model?: Record<string, unknown>; error?: string }) => {
      void worker.terminate();
      if (m.model) resolve(m.model);
      else reject(new Error(m.error ?? 'fit worker failed'));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`fit worker exited with ${code}`)));
  });
}

/** The fitted parts as a stored model (model.ts's format), to cross back from a worker. */
export function storedFit(fitted: Fitted): Record<string, unknown> {
  return serializeModel({ ...fitted, temperature: 1, oosThreshold: 0, ambiguityMargin: 0 });
}
