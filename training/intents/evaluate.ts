/**
 * Scores predictions against gold labels: accuracy, macro-F1, in-scope accuracy, out-of-scope recall and
 * precision, and the confusions that happen most. Pure functions.
 */
import { OOS } from './dataset.ts';

export interface Scored {
  gold: string;
  /** Predicted intent, `oos` for out of scope. */
  predicted: string;
}

export interface EvalMetrics {
  examples: number;
  intents: number;
  accuracy: number;
  macroF1: number;
  inScopeAccuracy: number;
  oosRecall: number | null;
  oosPrecision: number | null;
}

export function scorePredictions(results: Scored[]): EvalMetrics {
  const n = results.length;
  const correct = results.filter((r) => r.gold === r.predicted).length;
  const inScope = results.filter((r) => r.gold !== OOS);
  const oos = results.filter((r) => r.gold === OOS);
  const predictedOos = results.filter((r) => r.predicted === OOS);
  const goldIntents = [...new Set(results.map((r) => r.gold))];
  const perIntent = intentScores(results);
  const f1s = goldIntents.map((intent) => perIntent.get(intent)!.f1);
  return {
    examples: n,
    intents: goldIntents.filter((i) => i !== OOS).length,
    accuracy: n ? correct / n : 0,
    macroF1: f1s.length ? f1s.reduce((a, b) => a + b, 0) / f1s.length : 0,
    inScopeAccuracy: inScope.length ? inScope.filter((r) => r.gold === r.predicted).length / inScope.length : 0,
    oosRecall: oos.length ? oos.filter((r) => r.predicted === OOS).length / oos.length : null,
    oosPrecision: predictedOos.length ? predictedOos.filter((r) => r.gold === OOS).length / predictedOos.length : oos.length ? 0 : null,
  };
}

export interface IntentScore {
  intent: string;
  support: number;
  precision: number;
  recall: number;
  f1: number;
}

export function intentScores(results: Scored[]): Map<string, IntentScore> {
  const tp = new Map<string, number>();
  const goldCount = new Map<string, number>();
  const predCount = new Map<string, number>();
  const add = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const r of results) {
    add(goldCount, r.gold);
    add(predCount, r.predicted);
    if (r.gold === r.predicted) add(tp, r.gold);
  }
  const out = new Map<string, IntentScore>();
  for (const intent of new Set([...goldCount.keys(), ...predCount.keys()])) {
    const t = tp.get(intent) ?? 0;
    const support = goldCount.get(intent) ?? 0;
    const precision = predCount.get(intent) ? t / predCount.get(intent)! : 0;
    const recall = support ? t / support : 0;
    out.set(intent, { intent, support, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 });
  }
  return out;
}

/** The most frequent (gold → predicted) mistakes. */
export function topConfusions(results: Scored[], limit = 10): { gold: string; predicted: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const r of results) if (r.gold !== r.predicted) counts.set(`${r.gold}\u0000${r.predicted}`, (counts.get(`${r.gold}\u0000${r.predicted}`) ?? 0) + 1);
  return [...counts]
    .map(([k, count]) => {
      const [gold, predicted] = k.split('\u0000') as [string, string];
      return { gold, predicted, count };
    })
    .sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold))
    .slice(0, limit);
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
