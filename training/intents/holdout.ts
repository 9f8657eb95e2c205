/**
 * Train on one labelled set, predict another: the figures `kefu intents eval` prints and the bench
 * compares (gold `oos` = out of scope).
 */
import { OOS } from './dataset.ts';
import { median, scorePredictions, type EvalMetrics, type Scored } from './evaluate.ts';
import { predictIntentAsync } from './model.ts';
import { trainIntentModelAsync, type TrainOptions } from './train.ts';
import type { LabelledText } from './labelled-text.ts';

export interface HoldoutResult extends EvalMetrics {
  trainSeconds: number;
  p50PredictMs: number;
}

export async function trainAndTest(train: LabelledText[], test: LabelledText[], opts: TrainOptions = {}): Promise<{ metrics: HoldoutResult; results: Scored[] }> {
  const { model, report } = await trainIntentModelAsync(train, opts);
  const times: number[] = [];
  const results: Scored[] = [];
  // one message at a time, as a bot sees them (an encoder's time included)
  for (const e of test) {
    const t0 = performance.now();
    const p = await predictIntentAsync(model, e.text);
    times.push(performance.now() - t0);
    results.push({ gold: e.intent, predicted: p.outOfScope ? OOS : p.intent! });
  }
  return { metrics: { ...scorePredictions(results), trainSeconds: report.seconds, p50PredictMs: median(times) }, results };
}

/** The one-line JSON of `kefu intents eval`, keys in this exact order. */
export function evalLine(m: HoldoutResult): string {
  const r = (x: number | null, digits = 4) => (x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits);
  return JSON.stringify({
    examples: m.examples,
    intents: m.intents,
    accuracy: r(m.accuracy),
    macroF1: r(m.macroF1),
    inScopeAccuracy: r(m.inScopeAccuracy),
    oosRecall: r(m.oosRecall),
    oosPrecision: r(m.oosPrecision),
    trainSeconds: r(m.trainSeconds, 2),
    p50PredictMs: r(m.p50PredictMs, 3),
  });
}
