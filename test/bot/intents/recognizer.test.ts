import { beforeAll, describe, expect, it } from 'vitest';
import { createRecognizer, type IntentRecognizer } from '../../../bot/intents/recognizer.ts';
import { understandStage } from '../../../bot/intents/stage.ts';
import { loadIntentFolder } from '../../../training/intents/dataset.ts';
import { deserializeModel, predictIntent, serializeModel, type IntentModel } from '../../../training/intents/model.ts';
import { trainIntentModel } from '../../../training/intents/train.ts';
import type { Turn } from '../../../bot/turn/types.ts';

// Trained once on the demo shop's own examples (small: a second or two), no generic negatives.
let model: IntentModel;
let recognizer: IntentRecognizer;
beforeAll(() => {
  const data = loadIntentFolder('examples/demo-shop/intents');
  model = trainIntentModel(data.examples, { negatives: [] }).model;
  recognizer = createRecognizer(model, { lists: data.lists, now: () => new Date('2026-11-28T09:00:00Z') });
});

describe('intent recognizer', () => {
  it('recognises unseen phrasings of shop intents in English and Chinese', async () => {
    expect((await recognizer.recognize('where is my parcel, it has not arrived')).intent).toBe('order_status');
    expect((await recognizer.recognize('我想退款，钱什么时候到账')).intent).toBe('refund_status');
    expect((await recognizer.recognize('please let me talk to a human agent')).intent).toBe('ask_human');
    expect((await recognizer.recognize('发票的税号写错了')).intent).toBe('invoice_request');
  });

  it('says out of scope for messages about none of the intents', async () => {
    for (const text of ['what is the capital city of Canada', '给我讲一个关于猫的笑话']) {
      const u = await recognizer.recognize(text);
      expect([text, u.outOfScope, u.intent]).toEqual([text, true, null]);
    }
  });

  it('gives calibrated confidences: a ranking of probabilities summing to at most one', async () => {
    const u = await recognizer.recognize('my card payment was declined');
    expect(u.intent).toBe('payment_problem');
    expect(u.confidence).toBeGreaterThan(u.ranking[1]!.confidence);
    expect(u.ranking.reduce((s, r) => s + r.confidence, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('flags ambiguity when the top two intents are close', async () => {
    const p = predictIntent({ ...model, ambiguityMargin: 1 }, 'refund my return');
    expect(p.outOfScope || p.ambiguous).toBe(true);
    const clear = predictIntent({ ...model, ambiguityMargin: 0 }, 'refund my return');
    expect(clear.ambiguous).toBe(false);
  });

  it('extracts entities alongside the intent', async () => {
    const u = await recognizer.recognize('order KF12345678 still not here, can it come tomorrow?');
    expect(u.entities.map((e) => [e.type, e.value])).toEqual([
      ['order_number', 'KF12345678'],
      ['date', '2026-11-29'],
    ]);
  });

  it('handles bad input without crashing: empty, emoji only, 10,000 characters, mixed scripts', async () => {
    for (const text of ['', '   ', '😀😀🎉']) {
      const u = await recognizer.recognize(text);
      expect([JSON.stringify(text), u.outOfScope, u.confidence]).toEqual([JSON.stringify(text), true, 0]);
    }
    const started = performance.now();
    const long = await recognizer.recognize('where is my order '.repeat(600));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(long.confidence).toBeGreaterThanOrEqual(0);
    const mixed = await recognizer.recognize('我的order还没到 where is it 😡');
    expect(mixed.intent === null || recognizer.intents.includes(mixed.intent)).toBe(true);
  });

  it('predicts the same after a round trip through the stored form', async () => {
    const again = deserializeModel(JSON.parse(JSON.stringify(serializeModel(model))));
    for (const text of ['where is my order', '我要开发票', 'hello']) expect(predictIntent(again, text)).toEqual(predictIntent(model, text));
  });

  it('the understand stage puts the understanding on the turn', async () => {
    const turn = { text: '谢谢你的帮助', trace: [] } as unknown as Turn;
    const outcome = await understandStage(recognizer).run(turn);
    expect(turn.understanding?.intent).toBe('thanks');
    expect(outcome.decision).toMatch(/thanks/);
    expect(Object.keys(turn.understanding!).sort()).toEqual(['ambiguous', 'confidence', 'entities', 'intent', 'outOfScope']);
  });
});
