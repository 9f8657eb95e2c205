import { describe, expect, it } from 'vitest';
import { createPieceEmbeddings, pieceEmbeddings } from '../../../training/intents/piece-embeddings.ts';
import { loadIntentFolder } from '../../../training/intents/dataset.ts';
import { predictIntent } from '../../../training/intents/model.ts';
import { trainIntentModel } from '../../../training/intents/train.ts';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('word-piece embeddings', () => {
  // A toy vocabulary: ids 0–5 are reserved, as in the bundled one.
  const reserved: [string, number][] = ['<unk>', '<s>', '</s>', 'x1', 'x2', 'x3'].map((p) => [p, 0]);
  const vocabulary: [string, number][] = [...reserved, ['▁track', -2], ['ing', -3], ['▁tr', -4], ['ack', -4], ['▁', -5], ['i', -6], ['n', -6], ['g', -6]];
  const table = new Float32Array(vocabulary.length * 2);
  table.set([1, 0], 6 * 2); // ▁track
  table.set([0, 1], 7 * 2); // ing
  const toy = createPieceEmbeddings(vocabulary, table, 2);

  it('splits text into the most probable pieces of the vocabulary', () => {
    expect(toy.encode('tracking')).toEqual([6, 7]); // ▁track + ing beats ▁tr + ack + i + n + g
    expect(toy.encode('  tracking  ')).toEqual([6, 7]);
  });

  it('feeds the encoder exactly its own input: every space a mark, other whitespace unknown', () => {
    expect(toy.encode('track\ning', true)).toEqual([6, 0, 7]);
    expect(toy.encode('track\ning')).toEqual([6, 7]);
  });

  it('leaves out characters the vocabulary lacks, and a lone word-start mark', () => {
    expect(toy.encode('退货 track')).toEqual([6]);
    expect(toy.embed('退货')).toBeNull();
  });

  it('embeds a text as the normalised mean of its pieces', () => {
    const v = toy.embed('tracking')!;
    expect(Array.from(v).map((x) => x.toFixed(4))).toEqual([Math.SQRT1_2.toFixed(4), Math.SQRT1_2.toFixed(4)]);
  });

  it('reads the bundled USE-lite table: related words lie closer than unrelated ones', () => {
    const pe = pieceEmbeddings();
    expect(pe.dim).toBe(256);
    const e = (t: string) => pe.embed(t)!;
    expect(cosine(e('cancel'), e('stop'))).toBeGreaterThan(cosine(e('cancel'), e('banana')));
    expect(cosine(e('refund'), e('money back'))).toBeGreaterThan(cosine(e('refund'), e('weather')));
    expect(pe.embed('我要退货')).toBeNull();
  });

  it('joins the classifier by default and can be turned off', () => {
    const { examples } = loadIntentFolder('examples/demo-shop/intents');
    const withEmbeddings = trainIntentModel(examples, { negatives: [] }).model;
    const without = trainIntentModel(examples, { negatives: [], embeddingWeight: 0 }).model;
    expect(withEmbeddings.vectorizer.embedding?.weight).toBe(1);
    expect(without.vectorizer.embedding).toBeNull();
    expect(withEmbeddings.classifier.features).toBe(without.classifier.features + 256);
    expect(predictIntent(withEmbeddings, 'where is my parcel').intent).toBe('order_status');
  });
});
