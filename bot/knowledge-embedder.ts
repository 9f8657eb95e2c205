/**
 * The knowledge base's default sentence embedder, handed to createKnowledge by whoever wires kefu (the
 * app, the CLI): Universal Sentence Encoder lite from training/use-lite.ts (512 dimensions), the same
 * loaded model the intent classifier uses. English is read as written; Chinese is read through its
 * CC-CEDICT glosses (training/intents/chinese-gloss.ts, as the entry selector's `use-lite-zh` reads it),
 * so Chinese passages and questions are recalled by meaning too, not by characters alone. Texts go through
 * the intent features' sentence encoder (embedders.ts) and its cache, so a question the intent model or the
 * entry selector has read, or is reading at this moment, is not encoded again.
 */
import type { Embedder } from '../knowledge/types.ts';
import { glossChinese, installedGlossary } from '../training/intents/chinese-gloss.ts';
import { loadEmbedder } from '../training/intents/embedders.ts';
import { MAX_TEXT_CHARS } from '../training/intents/text.ts';
import { loadUseLite } from '../training/use-lite.ts';

const HAN = /\p{Script=Han}/u;

export async function loadKnowledgeEmbedder(): Promise<Embedder> {
  const [model, sentences] = await Promise.all([loadUseLite(), loadEmbedder('use-lite')]);
  const glossary = installedGlossary();
  const read = (text: string) => (HAN.test(text) ? glossChinese(text, glossary) : text);
  // the sentence encoder keeps vectors of texts up to MAX_TEXT_CHARS long, as read whole
  const already = (text: string) => (text.length <= MAX_TEXT_CHARS ? sentences.embed(text) : null);
  return {
    // a new id re-embeds every source indexed with the English-only embedder (the model id is part of a source's hash)
    id: 'use-lite-glossed',
    dimensions: 512,
    locales: ['en', 'zh'],
    async embed(texts) {
      const read_ = texts.map(read);
      // through the sentence encoder's cache: a message the entry selector is encoding at this moment is
      // waited for, not encoded twice
      await sentences.prepare?.(read_.filter((t) => t.length <= MAX_TEXT_CHARS));
      const known = read_.map(already);
      const missing = read_.filter((_, i) => !known[i]);
      // the encoder reads at most 128 word pieces; 2,000 characters hold more than that
      const encoded = missing.length ? await model.encode(missing.map((t) => t.slice(0, 2000))) : [];
      let next = 0;
      return known.map((v) => Array.from(v ?? encoded[next++]!));
    },
  };
}
