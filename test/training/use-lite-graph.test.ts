import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pieceEmbeddings } from '../../training/intents/piece-embeddings.ts';
import { loadTf } from '../../bot/compliance/tfjs.ts';
import { createUseLite, loadUseLite, type UseLite } from '../../training/use-lite.ts';
import { useLiteDir } from '../../training/use-lite-weights.ts';

/** The package's own TF graph, run by TF.js: the reference the ONNX rebuild must match. */
async function originalGraph(): Promise<(texts: string[]) => Promise<Float32Array[]>> {
  const tf = await loadTf();
  const dir = useLiteDir();
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const manifest = json.weightsManifest[0] as { paths: string[]; weights: Tf.io.WeightsManifestEntry[] };
  const data = Buffer.concat(manifest.paths.map((p) => readFileSync(join(dir, p))));
  const graph = await tf.loadGraphModel(
    tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: manifest.weights, weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) }),
  );
  const pieces = pieceEmbeddings();
  return async (texts) => {
    const ids = texts.map((t) => pieces.encode(t, true));
    const positions = ids.flatMap((row, i) => row.map((_, j) => [i, j]));
    const indices = tf.tensor2d(positions, [positions.length, 2], 'int32');
    const values = tf.tensor1d(ids.flat(), 'int32');
    const output = (await graph.executeAsync({ indices, values })) as Tf.Tensor;
    const flat = (await output.data()) as Float32Array;
    tf.dispose([indices, values, output]);
    return texts.map((_, i) => flat.slice(i * 512, (i + 1) * 512));
  };
}

const cosine = (a: Float32Array, b: Float32Array) => {
  let d = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i]! * b[i]!;
    x += a[i]! * a[i]!;
    y += b[i]! * b[i]!;
  }
  return d / Math.sqrt(x * y);
};

let rebuilt: UseLite;
let shared: UseLite;
let original: (texts: string[]) => Promise<Float32Array[]>;
beforeAll(async () => {
  [rebuilt, shared, original] = await Promise.all([createUseLite({ int8: false }), loadUseLite(), originalGraph()]);
}, 120_000);

describe('USE-lite rebuilt as an ONNX graph on onnxruntime', () => {
  it('gives the vectors of the original TF.js graph, for short, long, empty and non-English texts in one batch', async () => {
    const texts = [
      'where is my parcel',
      'I would like to change the delivery address of order 10023 please',
      '',
      'a',
      'hello   world\nagain\ttab',
      '我的快递到哪了',
      'refund 退款 please 😀',
      // over 128 pieces: both cut the text at 128
      'please check the status of my order and tell me when it arrives '.repeat(20),
    ];
    const [mine, theirs] = await Promise.all([rebuilt.encode(texts), original(texts)]);
    expect(mine).toHaveLength(texts.length);
    for (let i = 0; i < texts.length; i++) {
      expect(mine[i]).toHaveLength(512);
      expect(cosine(mine[i]!, theirs[i]!), JSON.stringify(texts[i]!.slice(0, 30))).toBeGreaterThan(0.99999);
      expect(Math.hypot(...mine[i]!)).toBeCloseTo(1, 5);
    }
  });

  // onnxruntime's int8 kernels differ by CPU (with and without VNNI): above 0.998 on one machine, 0.976–0.99
  // on another; unrelated sentences sit far lower, so 0.96 still proves the int8 graph computes the same thing
  it('multiplies in int8 for the shared encoder, within cosine 0.96 of the original', async () => {
    const texts = ['where is my parcel', 'I was charged twice for the same order, please refund one of the payments', '', 'hi'];
    const [mine, theirs] = await Promise.all([shared.encode(texts), original(texts)]);
    texts.forEach((t, i) => expect(cosine(mine[i]!, theirs[i]!), t).toBeGreaterThan(0.96));
  });

  it('gives a text the same vector whatever else is encoded with it', async () => {
    const alone = (await shared.encode(['cancel my subscription']))[0]!;
    const among = await shared.encode(['hi', 'cancel my subscription', 'a much longer sentence about a parcel that was delivered to the wrong house']);
    expect(Buffer.from(among[1]!.buffer).equals(Buffer.from(alone.buffer))).toBe(true);
  });

  it('places paraphrases closer than unrelated sentences', async () => {
    const [parcel, package_, weather] = await rebuilt.encode(['where is my parcel', 'my package has not arrived yet', 'what is the weather in paris']);
    expect(cosine(parcel!, package_!)).toBeGreaterThan(cosine(parcel!, weather!) + 0.2);
  });
});
