/**
 * Universal Sentence Encoder lite (training/use-lite.ts) as an intent feature embedder, the default:
 * vectors of prepared texts kept in a bounded cache for the synchronous feature code. Much better
 * features than n-grams alone (CLINC150 val in-scope accuracy 93.3 → 96.1%) for about 1 ms a message.
 */
import type { TextEmbedder } from './text-embedder.ts';
import { pieceEmbeddings } from './piece-embeddings.ts';
import { MAX_TEXT_CHARS } from './text.ts';
import { loadUseLite } from '../use-lite.ts';

export interface SentenceEncoderOptions {
  /** Vectors kept for `embed`, oldest dropped first, but never those of the latest `prepare` (default 10,000: 20 MB). */
  cacheSize?: number;
}

export async function loadSentenceEncoder(opts: SentenceEncoderOptions = {}): Promise<TextEmbedder> {
  const model = await loadUseLite();
  const pieces = pieceEmbeddings();
  const cacheSize = opts.cacheSize ?? 10_000;
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
      const wanted = [...new Set(texts)];
      // a text already kept has words; only a new one is looked at
      const missing = wanted.filter((t) => !cache.has(t) && hasWords(t));
      const vectors = await model.encode(missing.map((t) => t.slice(0, MAX_TEXT_CHARS)));
      missing.forEach((t, j) => cache.set(t, vectors[j]!));
      // these texts become the newest entries; older ones go first, and a training set larger than the
      // cache keeps all its vectors until the next call
      for (const t of wanted) {
        const v = cache.get(t);
        if (!v) continue;
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
