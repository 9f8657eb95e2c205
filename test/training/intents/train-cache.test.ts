import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { predictIntent, serializeModel } from '../../../training/intents/model.ts';
import { trainIntentModelCached } from '../../../training/intents/train-cache.ts';

const dir = mkdtempSync(join(tmpdir(), 'kefu-train-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const examples = [
  ...['where is my parcel', 'track my order', 'has my package shipped', 'when will my order arrive'].map((text) => ({ text, intent: 'track' })),
  ...['i want a refund', 'give me my money back', 'refund my order please', 'how do i get a refund'].map((text) => ({ text, intent: 'refund' })),
];

describe('the training cache', () => {
  it('gives back the model trained before on the same examples and options, and trains anew when either changes', async () => {
    const first = await trainIntentModelCached(examples, { epochs: 3 }, dir);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const again = await trainIntentModelCached(examples, { epochs: 3 }, dir);
    expect(serializeModel(again.model)).toEqual(serializeModel(first.model));
    expect(again.report).toEqual(first.report); // the same run's report: nothing was trained
    expect(predictIntent(again.model, 'where is my parcel').intent).toBe('track');

    await trainIntentModelCached(examples, { epochs: 4 }, dir);
    await trainIntentModelCached([...examples, { text: 'money back for the order', intent: 'refund' }], { epochs: 3 }, dir);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(3);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toHaveLength(0);
  });
});
