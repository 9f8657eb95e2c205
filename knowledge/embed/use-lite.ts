/**
 * The default English sentence encoder of the knowledge base: Universal Sentence Encoder lite
 * (512 dimensions, training/use-lite.ts; the same loaded model the intent classifier uses).
 */
import { loadUseLite as loadModel } from '../../training/use-lite.ts';
import type { Embedder } from '../types.ts';

export async function loadUseLite(): Promise<Embedder> {
  const model = await loadModel();
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
