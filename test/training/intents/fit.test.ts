import { describe, expect, it } from 'vitest';
import type { TextEmbedder } from '../../../training/intents/embedders.ts';
import { fit, fitInWorker, type FitSettings } from '../../../training/intents/fit.ts';
import { predictIntent } from '../../../training/intents/model.ts';
import { seededRandom } from '../../../training/intents/softmax.ts';
import { trainIntentModel, trainIntentModelAsync } from '../../../training/intents/train.ts';

// 2,400 examples: large enough for the worker (it starts from 2,000)
const random = seededRandom(5);
const pick = (words: string[]) => words[Math.floor(random() * words.length)]!;
const items = ['parcel', 'order', 'package', 'kettle', 'lamp', 'jacket', 'phone case', 'blender'];
const templates: Record<string, string[]> = {
  track: ['where is my {x}', 'has my {x} shipped yet', 'track the {x} please', '{x} still not delivered'],
  refund: ['i want my money back for the {x}', 'refund the {x}', 'please return the cost of my {x}', 'give me a refund on {x}'],
  address: ['change the delivery address of my {x}', 'ship the {x} to my new home', 'wrong address on the {x}', 'update where the {x} goes'],
  invoice: ['send me an invoice for the {x}', 'i need a receipt for my {x}', 'tax invoice for {x}', 'billing document for the {x}'],
};
const examples = Array.from({ length: 2400 }, (_, i) => {
  const intent = Object.keys(templates)[i % 4]!;
  return { text: `${pick(templates[intent]!).replace('{x}', pick(items))} ${i}`, intent };
});

/** An asynchronous embedder whose vectors exist only after `prepare` (as the sentence encoder's). */
function preparedOnly(): TextEmbedder {
  const vectors = new Map<string, Float32Array>();
  return {
    name: 'test-prepared',
    dim: 8,
    embed: (text) => vectors.get(text) ?? null,
    async prepare(texts) {
      for (const t of texts) vectors.set(t, Float32Array.from({ length: 8 }, (_, j) => Math.sin(t.length * (j + 1))));
    },
  };
}

describe('fitting in a worker thread', () => {
  const settings: FitSettings = { labels: Object.keys(templates).sort(), own: examples.length, oosWeight: 3, epochs: 2 };

  it('gives the same classifier as fitting in this thread', async () => {
    const here = fit(examples, settings);
    const there = await fitInWorker(examples, settings);
    expect([...there.vectorizer.vocab.keys()]).toEqual([...here.vectorizer.vocab.keys()]);
    expect(there.vectorizer.embedding?.embedder.name).toBe('use-lite-pieces');
    expect(Buffer.from(there.classifier.weights.buffer).equals(Buffer.from(here.classifier.weights.buffer))).toBe(true);
  }, 60_000);

  it("carries an asynchronous embedder's prepared vectors to the worker", async () => {
    const embedder = preparedOnly();
    await embedder.prepare!(examples.map((e) => e.text));
    const here = fit(examples, { ...settings, embeddingWeight: 1 }, embedder);
    const there = await fitInWorker(examples, { ...settings, embeddingWeight: 1 }, embedder);
    expect(there.vectorizer.embedding?.embedder).toBe(embedder);
    expect(Buffer.from(there.classifier.weights.buffer).equals(Buffer.from(here.classifier.weights.buffer))).toBe(true);
  }, 60_000);

  it('trains the same model on two cores as on one', async () => {
    const one = trainIntentModel(examples, { epochs: 2 }).model;
    const two = (await trainIntentModelAsync(examples, { epochs: 2 })).model;
    expect(Buffer.from(two.classifier.weights.buffer).equals(Buffer.from(one.classifier.weights.buffer))).toBe(true);
    expect([two.temperature, two.oosThreshold]).toEqual([one.temperature, one.oosThreshold]);
    expect(predictIntent(two, 'where is my blender').intent).toBe('track');
  }, 120_000);

  it('lets the out-of-scope threshold rise to 0.5 with a sentence encoder\'s vectors, 0.25 without', async () => {
    // confident held-out predictions put the quantile far above both caps, so each cap decides
    const withOos = [...examples, ...Array.from({ length: 200 }, (_, i) => ({ text: `tell me a joke about cats number ${i}`, intent: 'oos' }))];
    const encoded = await trainIntentModelAsync(withOos, { epochs: 2, embedder: preparedOnly() });
    const plain = await trainIntentModelAsync(withOos, { epochs: 2, embeddingWeight: 0 });
    expect(encoded.report.oosThreshold).toBe(0.5);
    expect(plain.report.oosThreshold).toBe(0.25);
  }, 120_000);
});
