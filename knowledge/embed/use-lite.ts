/**
 * The default English sentence encoder of the knowledge base: Universal Sentence Encoder lite
 * (512 dimensions, training/use-lite.ts; the same loaded model the intent classifier can use).
 */
import { loadUseLite as loadModel } from '../../training/use-lite.ts';
import type { Embedder } from '../types.ts';

export async function loadUseLite(opts: { batchSize?: number } = {}): Promise<Embedder> {
  const model = await loadModel();
  const batchSize = opts.batchSize ?? 32;
  return {
    id: 'use-lite-en',
    dimensions: 512,
    locales: ['en'],
    async embed(texts) {
      const out: number[][] = [];
      for (let i = 0; i < texts.length; i += batchSize) {
        const vectors = await model.encode(texts.slice(i, i + batchSize).map((t) => t.slice(0, 2000)));
        out.push(...vectors.map((v) => Array.from(v)));
      }
      return out;
    },
  };
}
