/**
 * Universal Sentence Encoder lite (training/use-lite.ts) as an intent feature embedder, the default:
 * vectors of prepared texts kept in a bounded cache for the synchronous feature code. Much better
 * features than n-grams alone (CLINC150 val in-scope accuracy 93.3 → 96.1%) for about 1 ms a message.
 */
import type { TextEmbedder } from './text-embedder.ts';
import { pieceEmbeddings } from './piece-embeddings.ts';
import { MAX_TEXT_CHARS } from './text.ts';
import { loadUseLite, type UseLite } from '../use-lite.ts';

export interface SentenceEncoderOptions {
  /** Vectors kept for `embed`, oldest dropped first, but never those of the latest `prepare` (default 10,000: 20 MB). */
  cacheSize?: number;
  /** The encoder (default: the process's shared one, loadUseLite). */
  model?: UseLite;
}

export async function loadSentenceEncoder(opts: SentenceEncoderOptions = {}): Promise<TextEmbedder> {
  const model = opts.model ?? (await loadUseLite());
  const pieces = pieceEmbeddings();
  const cacheSize = opts.cacheSize ?? 10_000;
  const cache = new Map<string, Float32Array>();
  // texts being encoded now: a second reader of the same text (the entry selector and the knowledge
  // search read a message side by side) waits for the first one's vector instead of encoding it again
  const encoding = new Map<string, Promise<void>>();
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
      const elsewhere = [...new Set(wanted.flatMap((t) => encoding.get(t) ?? []))];
      // a text already kept has words; only a new one is looked at
      const missing = wanted.filter((t) => !cache.has(t) && !encoding.has(t) && hasWords(t));
      const encoded = missing.length
        ? model.encode(missing.map((t) => t.slice(0, MAX_TEXT_CHARS))).then((vectors) => missing.forEach((t, j) => cache.set(t, vectors[j]!)))
        : null;
      if (encoded) {
        for (const t of missing) encoding.set(t, encoded);
        // a failure reaches this caller and the readers waiting on `encoded`, not this cleanup's promise
        encoded.finally(() => missing.forEach((t) => encoding.delete(t))).catch(() => {});
      }
      await Promise.all([encoded, ...elsewhere]);
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
