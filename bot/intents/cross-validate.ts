/** k-fold cross-validation of a bot's examples: overall figures, the worst intents, the usual confusions. */
import { OOS } from '../../training/intents/dataset.ts';
import { intentScores, scorePredictions, topConfusions, type EvalMetrics, type IntentScore, type Scored } from '../../training/intents/evaluate.ts';
import { predictIntentAsync } from '../../training/intents/model.ts';
import { seededRandom, shuffle } from '../../training/intents/softmax.ts';
import { trainIntentModelAsync, type TrainOptions } from '../../training/intents/train.ts';
import type { LabelledText } from '../../training/intents/labelled-text.ts';

export interface CrossValidation {
  metrics: EvalMetrics;
  worst: IntentScore[];
  confusions: { gold: string; predicted: string; count: number }[];
}

export async function crossValidate(examples: LabelledText[], opts: { folds?: number; negatives?: string[]; seed?: number; train?: TrainOptions } = {}): Promise<CrossValidation> {
  const folds = Math.max(2, opts.folds ?? 5);
  const order = Array.from(examples.keys());
  shuffle(order, seededRandom(opts.seed ?? 11));
  const foldOf = new Int32Array(examples.length);
  order.forEach((i, j) => (foldOf[i] = j % folds));
  const results: Scored[] = [];
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_, i) => foldOf[i] !== f);
    const test = examples.filter((_, i) => foldOf[i] === f);
    const { model } = await trainIntentModelAsync(train, { ...opts.train, negatives: opts.negatives ?? [] });
    for (const e of test) {
      const p = await predictIntentAsync(model, e.text);
      results.push({ gold: e.intent, predicted: p.outOfScope ? OOS : p.intent! });
    }
  }
  const scores = [...intentScores(results).values()].filter((s) => s.support > 0);
  return {
    metrics: scorePredictions(results),
    worst: scores.sort((a, b) => a.f1 - b.f1 || a.intent.localeCompare(b.intent)).slice(0, 5),
    confusions: topConfusions(results, 8),
  };
}
