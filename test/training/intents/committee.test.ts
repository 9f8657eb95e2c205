import { describe, expect, it } from 'vitest';
import { OOS } from '../../../training/intents/dataset.ts';
import { modelLogits, predictCommitteeAsync, predictIntent } from '../../../training/intents/model.ts';
import { softmaxInPlace } from '../../../training/intents/softmax.ts';
import { trainIntentModel } from '../../../training/intents/train.ts';

const examples = [
  ...['where is my parcel', 'track my order', 'has my package shipped', 'when will my lamp arrive', 'my parcel has not come', 'tracking number please'].map((text) => ({ text, intent: 'track' })),
  ...['i want a refund', 'give me my money back', 'refund the kettle', 'how do i get refunded', 'return the cost of my order', 'money back please'].map((text) => ({ text, intent: 'refund' })),
  ...['send me an invoice', 'i need a receipt', 'company invoice please', 'tax invoice for my order', 'where is my invoice', 'reissue the invoice'].map((text) => ({ text, intent: 'invoice' })),
  ...['tell me a joke', 'what is the weather', 'who won the match', 'write a poem'].map((text) => ({ text, intent: OOS })),
];
const negatives = ['the river flows to the sea', 'paris is the capital of france', 'the cat sat on the mat', 'music was played all night'];
const train = (seed: number) => trainIntentModel(examples, { negatives, seed, epochs: 4 }).model;

describe('a committee of intent models', () => {
  it('gives each class the mean of its members\' calibrated probabilities', async () => {
    const members = [train(7), train(11), train(23)];
    const text = 'my lamp has not arrived, where is it';
    const each = members.map((m) => softmaxInPlace(modelLogits(m, text), m.temperature));
    const mean = (label: string) => each.reduce((sum, p, i) => sum + p[members[i]!.labels.indexOf(label)]!, 0) / members.length;
    const p = await predictCommitteeAsync(members, text);
    expect(p.intent).toBe('track');
    for (const r of p.ranking) expect(r.confidence).toBeCloseTo(mean(r.intent), 12);
    expect(p.oosProbability).toBeCloseTo(mean(OOS), 12);
  });

  it('of one model predicts as that model does', async () => {
    const model = train(7);
    expect(await predictCommitteeAsync([model], 'refund my kettle please')).toEqual(predictIntent(model, 'refund my kettle please'));
  });

  it('refuses members with different classes, and no members', async () => {
    const other = trainIntentModel(examples.filter((e) => e.intent !== 'invoice'), { negatives, epochs: 4 }).model;
    await expect(predictCommitteeAsync([train(7), other], 'where is my parcel')).rejects.toThrow(/share their classes/);
    await expect(predictCommitteeAsync([], 'where is my parcel')).rejects.toThrow(/at least one model/);
  });
});
