/**
 * Image moderation with nsfwjs: the MobileNetV2 weights bundled inside the nsfwjs npm package are read
 * from disk (never fetched), JPEG/PNG are decoded with jpeg-js/pngjs into a TF.js tensor, and the
 * verdict says whether the image is safe to show. An unsafe image comes with a blurred copy (a tiny
 * pixelated PNG) that agents see instead. Load the moderator once and reuse it: loading takes ~0.5 s.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as Tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { loadTf } from './tfjs.ts';

export type ImageLabel = 'Drawing' | 'Hentai' | 'Neutral' | 'Porn' | 'Sexy';

export interface ImageVerdict {
  safe: boolean;
  /** The most likely class, or `unreadable` for an image that could not be decoded. */
  label: ImageLabel | 'unreadable';
  scores: Partial<Record<ImageLabel, number>>;
  ruleId: 'image.nsfw' | 'image.unreadable';
  /** For an unsafe image: a pixelated PNG to show instead. */
  blurred?: Uint8Array;
}

export interface ImageModerator {
  moderateImage(bytes: Uint8Array, mime: string): Promise<ImageVerdict>;
  dispose(): void;
}

/** The model's generic image features (MobileNetV2's pooled last layer, 1280 numbers), for kefu's learned issue detector. */
export interface ImageFeatures {
  /** `rgb`: size × size pixels, 3 bytes each. */
  features(rgb: Uint8Array, size: number): Promise<Float32Array>;
}

/** MobileNetV2's global average pooling, flattened: features before the NSFW head. */
const FEATURES_LAYER = 'flatten_1';

export interface ImageModeratorOptions {
  /** TF.js backend: 'wasm' (default, ~75 ms an image) or 'cpu' (pure JS, slower). */
  backend?: 'wasm' | 'cpu';
  /** Unsafe when Porn + Hentai reaches this (default 0.6)… */
  explicitThreshold?: number;
  /** …or when Sexy alone reaches this (default 0.8). */
  suggestiveThreshold?: number;
}

export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA, 4 bytes a pixel. */
  rgba: Uint8Array;
}

/** JPEG or PNG bytes → RGBA pixels; undefined for another format or a broken file. */
export function decodeImage(bytes: Uint8Array, mime: string): DecodedImage | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const isPng = mime === 'image/png' || buf.subarray(0, 4).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  const isJpeg = mime === 'image/jpeg' || mime === 'image/jpg' || (buf[0] === 0xff && buf[1] === 0xd8);
  try {
    if (isPng) {
      const png = PNG.sync.read(buf);
      return { width: png.width, height: png.height, rgba: new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.byteLength) };
    }
    if (isJpeg) {
      const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 256 });
      return { width: img.width, height: img.height, rgba: img.data };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** A pixelated copy at most `size` pixels wide, as PNG: the image cannot be made out. */
export function pixelate(image: DecodedImage, size = 12): Uint8Array {
  const scale = Math.max(image.width, image.height) / size;
  const w = Math.max(1, Math.round(image.width / scale));
  const h = Math.max(1, Math.round(image.height / scale));
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sums = [0, 0, 0];
      let n = 0;
      for (let sy = Math.floor((y * image.height) / h); sy < Math.floor(((y + 1) * image.height) / h); sy++) {
        for (let sx = Math.floor((x * image.width) / w); sx < Math.floor(((x + 1) * image.width) / w); sx++) {
          const o = (sy * image.width + sx) * 4;
          sums[0] += image.rgba[o]!;
          sums[1] += image.rgba[o + 1]!;
          sums[2] += image.rgba[o + 2]!;
          n++;
        }
      }
      const o = (y * w + x) * 4;
      png.data[o] = sums[0]! / Math.max(1, n);
      png.data[o + 1] = sums[1]! / Math.max(1, n);
      png.data[o + 2] = sums[2]! / Math.max(1, n);
      png.data[o + 3] = 255;
    }
  }
  return new Uint8Array(PNG.sync.write(png));
}

interface BundledModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: Tf.io.WeightsManifestEntry[] }[];
}

/** The MobileNetV2 model files bundled in node_modules/nsfwjs/dist/models, read from disk. */
function bundledModel(tf: typeof Tf): Tf.io.IOHandler {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('nsfwjs')), '..', 'models', 'mobilenet_v2');
  const modelJson = require(join(dir, 'model.min.js')) as BundledModelJson;
  const weights = require(join(dir, 'group1-shard1of1.min.js')) as string;
  const data = Buffer.from(weights, 'base64');
  return tf.io.fromMemory({
    modelTopology: modelJson.modelTopology as Tf.io.ModelJSON['modelTopology'],
    weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
    weightData: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength),
  });
}

/** Loads the bundled model once. TF.js's backend is process-wide: the first module to set it wins. */
export async function loadImageModerator(opts: ImageModeratorOptions = {}): Promise<ImageModerator & ImageFeatures> {
  // TF.js is loaded here, not when kefu starts: most processes never see an image
  const tf = await loadTf(opts.backend);
  const { NSFWJS } = await import('nsfwjs/core');
  const model = new NSFWJS(bundledModel(tf), { size: 224 });
  await model.load();
  const explicit = opts.explicitThreshold ?? 0.6;
  const suggestive = opts.suggestiveThreshold ?? 0.8;

  return {
    async moderateImage(bytes, mime) {
      const image = decodeImage(bytes, mime);
      if (!image) return { safe: true, label: 'unreadable', scores: {}, ruleId: 'image.unreadable' };
      const input = tf.tidy(() => {
        const rgba = tf.tensor3d(image.rgba, [image.height, image.width, 4], 'int32');
        return rgba.slice([0, 0, 0], [image.height, image.width, 3]) as Tf.Tensor3D;
      });
      try {
        const predictions = await model.classify(input, 5);
        const scores: Partial<Record<ImageLabel, number>> = {};
        for (const p of predictions) scores[p.className as ImageLabel] = p.probability;
        const safe = (scores.Porn ?? 0) + (scores.Hentai ?? 0) < explicit && (scores.Sexy ?? 0) < suggestive;
        return {
          safe,
          label: predictions[0]!.className as ImageLabel,
          scores,
          ruleId: 'image.nsfw',
          ...(safe ? {} : { blurred: pixelate(image) }),
        };
      } finally {
        input.dispose();
      }
    },
    async features(rgb, size) {
      const out = tf.tidy(() => model.infer(tf.tensor3d(rgb, [size, size, 3], 'int32'), FEATURES_LAYER));
      try {
        return Float32Array.from(await out.data());
      } finally {
        out.dispose();
      }
    },
    dispose: () => {
      try {
        model.dispose();
      } catch {
        // the features model shares the classifier's layers: disposing the second finds them freed already
      }
    },
  };
}
