import { describe, expect, it } from 'vitest';
import { scorePredictions, topConfusions } from '../../../training/intents/evaluate.ts';
import { chooseOosThreshold, fitTemperature } from '../../../training/intents/calibrate.ts';
import { evalLine } from '../../../training/intents/holdout.ts';

describe('evaluation figures', () => {
  const results = [
    { gold: 'a', predicted: 'a' },
    { gold: 'a', predicted: 'b' },
    { gold: 'b', predicted: 'b' },
    { gold: 'oos', predicted: 'oos' },
    { gold: 'oos', predicted: 'a' },
    { gold: 'b', predicted: 'oos' },
  ];

  it('computes accuracy, in-scope accuracy and out-of-scope recall/precision by their definitions', () => {
    const m = scorePredictions(results);
    expect(m.examples).toBe(6);
    expect(m.intents).toBe(2);
    expect(m.accuracy).toBeCloseTo(3 / 6);
    expect(m.inScopeAccuracy).toBeCloseTo(2 / 4);
    expect(m.oosRecall).toBeCloseTo(1 / 2);
    expect(m.oosPrecision).toBeCloseTo(1 / 2);
    // F1: a = 2·(1/2·1/2)/(1) = 0.5; b = P 1/2, R 1/2 → 0.5; oos = P 1/2, R 1/2 → 0.5
    expect(m.macroF1).toBeCloseTo(0.5);
  });

  it('reports no out-of-scope figures when nothing is out of scope', () => {
    const m = scorePredictions([{ gold: 'a', predicted: 'a' }]);
    expect([m.oosRecall, m.oosPrecision]).toEqual([null, null]);
  });

  it('lists the most frequent confusions first', () => {
    const c = topConfusions([...results, { gold: 'a', predicted: 'b' }]);
    expect(c[0]).toEqual({ gold: 'a', predicted: 'b', count: 2 });
  });

  it('prints the eval line with exactly the agreed keys, in order', () => {
    const line = evalLine({ ...scorePredictions(results), trainSeconds: 1.234, p50PredictMs: 0.1234 });
    expect(Object.keys(JSON.parse(line))).toEqual(['examples', 'intents', 'accuracy', 'macroF1', 'inScopeAccuracy', 'oosRecall', 'oosPrecision', 'trainSeconds', 'p50PredictMs']);
  });
});

describe('calibration', () => {
  it('fits a higher temperature to over-confident logits that are often wrong', () => {
    const logits = Array.from({ length: 40 }, () => Float64Array.from([10, 0]));
    const labels = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 0 : 1));
    expect(fitTemperature(logits, labels)).toBeGreaterThan(5);
    const sure = fitTemperature(logits, labels.map(() => 0));
    expect(sure).toBeLessThan(1);
  });

  it('puts the out-of-scope threshold below all but the allowed share of correct confidences', () => {
    const held = Array.from({ length: 100 }, (_, i) => ({ correct: true, confidence: (i + 1) / 100, outOfScope: false, predictedOos: false }));
    const t = chooseOosThreshold(held, 0.05);
    expect(held.filter((h) => h.confidence < t).length).toBe(5);
  });
});
