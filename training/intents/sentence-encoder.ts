/**
 * Universal Sentence Encoder lite (training/use-lite.ts) as an intent feature embedder, the default:
 * vectors of prepared texts kept in a bounded cache for the synchronous feature code. Much better
 * features than n-grams alone (CLINC150 val in-scope accuracy 93.3 → 96.1%) for about 0.5 ms a message.
 */
import type { TextEmbedder } from './embedders.ts';
import { pieceEmbeddings } from './piece-embeddings.ts';
import { MAX_TEXT_CHARS } from './text.ts';
import { loadUseLite } from '../use-lite.ts';

export interface SentenceEncoderOptions {
  /** Vectors kept for `embed`, oldest dropped first, but never those of the latest `prepare` (default 10,000: 20 MB). */
  cacheSize?: number;
  /** Texts encoded in one call of the model (default 128). */
  batchSize?: number;
}

export async function loadSentenceEncoder(opts: SentenceEncoderOptions = {}): Promise<TextEmbedder> {
  const model = await loadUseLite();
  const pieces = pieceEmbeddings();
  const cacheSize = opts.cacheSize ?? 10_000;
  const batchSize = opts.batchSize ?? 128;
  const cache = new Map<string, Float32Array>();
  // English only: a text without a known word piece (Chinese, emoji) gets no vector rather than a meaningless one
  const hasWords = (t: string) => pieces.encode(t.slice(0, MAX_TEXT_CHARS)).length > 0;

  return {
    name: 'use-lite',
    dim: 512,
    embed(text) {
      return cache.get(text) ?? null;
    },
    async prepare(texts) {
      const wanted = [...new Set(texts)].filter(hasWords);
      const missing = wanted.filter((t) => !cache.has(t));
      for (let i = 0; i < missing.length; i += batchSize) {
        const batch = missing.slice(i, i + batchSize);
        const vectors = await model.encode(batch.map((t) => t.slice(0, MAX_TEXT_CHARS)));
        batch.forEach((t, j) => cache.set(t, normalized(vectors[j]!)));
      }
      // these texts become the newest entries; older ones go first, and a training set larger than the
      // cache keeps all its vectors until the next call
      for (const t of wanted) {
        const v = cache.get(t)!;
        cache.delete(t);
        cache.set(t, v);
      }
      const keep = Math.max(cacheSize, wanted.length);
      for (const key of cache.keys()) {
        if (cache.size <= keep) break;
        cache.delete(key);
      }
    },
  };
}

function normalized(out: Float32Array): Float32Array {
  let norm = 0;
  for (const x of out) norm += x * x;
  const scale = 1 / (Math.sqrt(norm) || 1);
  for (let i = 0; i < out.length; i++) out[i]! *= scale;
  return out;
}
