import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageModerator } from '../../../bot/compliance/image.ts';
import { loadKnowledgeEmbedder } from '../../../bot/knowledge-embedder.ts';
import { loadEmbedder } from '../../../training/intents/embedders.ts';
import type { TextEmbedder } from '../../../training/intents/text-embedder.ts';
import { loadIntentFolder } from '../../../training/intents/dataset.ts';
import { deserializeModel, embeddersOf, predictIntent, predictIntentAsync, serializeModel } from '../../../training/intents/model.ts';
import { trainIntentModelAsync } from '../../../training/intents/train.ts';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

let encoder: TextEmbedder;
beforeAll(async () => {
  encoder = await loadEmbedder('use-lite');
}, 60_000);

describe('USE-lite sentence encoder', () => {
  it('encodes prepared texts into unit vectors where paraphrases lie close', async () => {
    const texts = ['where is my parcel', 'my package has not arrived yet', 'what is the weather in paris'];
    expect(encoder.embed(texts[0]!)).toBeNull(); // not prepared yet
    await encoder.prepare!(texts);
    const [parcel, package_, weather] = texts.map((t) => encoder.embed(t)!);
    expect(parcel!.length).toBe(512);
    expect(Math.abs(cosine(parcel!, parcel!) - 1)).toBeLessThan(1e-5);
    expect(cosine(parcel!, package_!)).toBeGreaterThan(cosine(parcel!, weather!) + 0.2);
  });

  it('keeps a bounded cache: older vectors go first, never those of the latest batch', async () => {
    const { loadSentenceEncoder } = await import('../../../training/intents/sentence-encoder.ts');
    const small = await loadSentenceEncoder({ cacheSize: 2 });
    await small.prepare!(['one parcel', 'two parcels', 'three parcels']);
    expect(['one parcel', 'two parcels', 'three parcels'].map((t) => small.embed(t) !== null)).toEqual([true, true, true]);
    await small.prepare!(['one parcel']); // touched: now the newest
    await small.prepare!(['four parcels']);
    expect(['one parcel', 'two parcels', 'three parcels', 'four parcels'].map((t) => small.embed(t) !== null)).toEqual([true, false, false, true]);
  });

  it('encodes a text once when two readers prepare it at the same time, and both get its vector', async () => {
    const { loadSentenceEncoder } = await import('../../../training/intents/sentence-encoder.ts');
    const { loadUseLite } = await import('../../../training/use-lite.ts');
    const shared = await loadUseLite();
    const encoded: string[] = [];
    const counting = { ...shared, encode: (texts: string[]) => (encoded.push(...texts), shared.encode(texts)) };
    const reader = await loadSentenceEncoder({ model: counting });
    await Promise.all([reader.prepare!(['where is my parcel']), reader.prepare!(['where is my parcel', 'is it lost'])]);
    expect(encoded.sort()).toEqual(['is it lost', 'where is my parcel']);
    expect(reader.embed('where is my parcel')).not.toBeNull();
    expect(reader.embed('is it lost')).not.toBeNull();
    await reader.prepare!(['where is my parcel']);
    expect(encoded).toHaveLength(2);
  });

  it('gives nothing for text without words instead of failing', async () => {
    await encoder.prepare!(['', '😀🎉', '   ']);
    expect(encoder.embed('😀🎉')).toBeNull();
  });

  it('trains an intent model with its vectors, stores it by name and predicts after loading', async () => {
    const { examples } = loadIntentFolder('examples/demo-shop/intents');
    const { model } = await trainIntentModelAsync(examples, { negatives: [], embedder: encoder });
    expect(model.vectorizer.embedding?.embedder.name).toBe('use-lite');
    expect((await predictIntentAsync(model, 'my package never showed up, where is it')).intent).toBe('order_status');

    const json = JSON.parse(JSON.stringify(serializeModel(model)));
    expect(embeddersOf(json)).toEqual(['use-lite']);
    const again = deserializeModel(json);
    const text = 'I would like my money back for the broken kettle';
    const before = await predictIntentAsync(model, text);
    // the loaded model predicts the same; without the encoder's vector (not prepared) it still answers
    expect(await predictIntentAsync(again, text)).toEqual(before);
    expect(predictIntent(again, 'a message nobody prepared').confidence).toBeGreaterThanOrEqual(0);
  }, 120_000);

  it('gives the knowledge base the same vectors, with image moderation (TF.js) loaded in the same process', async () => {
    const knowledge = await loadKnowledgeEmbedder();
    const moderator = await loadImageModerator();
    const png = new PNG({ width: 32, height: 32 });
    png.data.fill(180);
    expect((await moderator.moderateImage(PNG.sync.write(png), 'image/png')).safe).toBe(true);
    const [vector] = await knowledge.embed(['where is my parcel']);
    await encoder.prepare!(['where is my parcel']);
    const mine = encoder.embed('where is my parcel')!;
    const norm = Math.hypot(...vector!);
    expect(Math.abs(cosine(mine, Float32Array.from(vector!, (x) => x / norm)) - 1)).toBeLessThan(1e-5);
    moderator.dispose();
  }, 60_000);
});
