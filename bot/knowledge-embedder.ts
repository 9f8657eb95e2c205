/**
 * The knowledge base's default sentence embedder, handed to createKnowledge by whoever wires kefu (the
 * app, the CLI): Universal Sentence Encoder lite from training/use-lite.ts (512 dimensions, English), the
 * same loaded model the intent classifier uses. A question the intent model has just read is not encoded
 * again: its vector is taken from the intent features' sentence encoder (embedders.ts), which read the
 * same opening of the text.
 */
import type { Embedder } from '../knowledge/types.ts';
import { loadEmbedder } from '../training/intents/embedders.ts';
import { MAX_TEXT_CHARS } from '../training/intents/text.ts';
import { loadUseLite } from '../training/use-lite.ts';

export async function loadKnowledgeEmbedder(): Promise<Embedder> {
  const [model, sentences] = await Promise.all([loadUseLite(), loadEmbedder('use-lite')]);
  // the sentence encoder keeps vectors of texts up to MAX_TEXT_CHARS long, as read whole
  const already = (text: string) => (text.length <= MAX_TEXT_CHARS ? sentences.embed(text) : null);
  return {
    id: 'use-lite-en',
    dimensions: 512,
    locales: ['en'],
    async embed(texts) {
      const known = texts.map(already);
      const missing = texts.filter((_, i) => !known[i]);
      // the encoder reads at most 128 word pieces; 2,000 characters hold more than that
      const encoded = missing.length ? await model.encode(missing.map((t) => t.slice(0, 2000))) : [];
      let next = 0;
      return known.map((v) => Array.from(v ?? encoded[next++]!));
    },
  };
}
