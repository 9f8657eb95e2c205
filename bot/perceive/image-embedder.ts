/**
 * An image embedder: a picture's bytes → a vector, for the learned issue detector. Two kinds:
 *   clip        the CLIP image embedding, when a CLIP model folder is configured
 *   mobilenet   the generic features of the MobileNetV2 that image moderation already loads (nsfwjs,
 *               bundled, offline): the picture is squeezed to 224 × 224 RGB with sharp first
 * The name goes with every learned example, so examples embedded by another model are never compared.
 */
import sharp from 'sharp';
import type { ImageFeatures } from '../compliance/image.ts';
import type { ClipModel } from './clip.ts';

export interface ImageEmbedder {
  name: string;
  embed(bytes: Uint8Array): Promise<Float32Array>;
}

const MOBILENET_SIZE = 224;

export function mobileNetEmbedder(model: ImageFeatures): ImageEmbedder {
  return {
    name: 'mobilenet-v2',
    async embed(bytes) {
      const rgb = await sharp(bytes).rotate().resize(MOBILENET_SIZE, MOBILENET_SIZE, { fit: 'fill' }).removeAlpha().raw().toBuffer();
      return model.features(new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength), MOBILENET_SIZE);
    },
  };
}

export function clipEmbedder(clip: ClipModel): ImageEmbedder {
  return { name: clip.name, embed: (bytes) => clip.embedImage(bytes) };
}
