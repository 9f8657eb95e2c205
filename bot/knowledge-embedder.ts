/**
 * The knowledge base's default sentence embedder, handed to createKnowledge by whoever wires kefu (the
 * app, the CLI): Universal Sentence Encoder lite from training/use-lite.ts (512 dimensions, English), the
 * same loaded model the intent classifier uses.
 */
import type { Embedder } from '../knowledge/types.ts';
import { loadUseLite } from '../training/use-lite.ts';

export async function loadKnowledgeEmbedder(): Promise<Embedder> {
  const model = await loadUseLite();
  return {
    id: 'use-lite-en',
    dimensions: 512,
    locales: ['en'],
    async embed(texts) {
      // the encoder reads at most 128 word pieces; 2,000 characters hold more than that
      const vectors = await model.encode(texts.map((t) => t.slice(0, 2000)));
      return vectors.map((v) => Array.from(v));
    },
  };
}
