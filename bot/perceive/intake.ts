/**
 * Image intake: what kefu does with a customer's image before it is stored. In order:
 *   type      told by the first bytes (PNG, JPEG, GIF, WebP), never by a name; an SVG or anything else is refused
 *   header    size and pixel count read from the header alone (sharp's metadata), so a decompression bomb
 *             (a tiny file that claims 30,000 × 30,000 pixels, a GIF of a thousand huge frames) is refused
 *             before a single pixel is decoded
 *   decode    the first frame, with sharp's own pixel limit as a second fence; a truncated or corrupt file fails here
 *   clean     EXIF orientation applied, then re-encoded without metadata (EXIF, GPS, ICC, XMP, comments)
 * A refusal names its reason; the channel tells the customer in their language.
 */
import sharp from 'sharp';
import { imageTypeOf } from '../turn/image-type.ts';

export type ImageRefusalReason = 'empty' | 'not_an_image' | 'too_large' | 'too_many_pixels' | 'too_many_frames' | 'unreadable';

export interface IntakeLimits {
  /** The most bytes an image may have. */
  maxBytes: number;
  /** The most pixels one frame may have (width × height, from the header). */
  maxPixels: number;
  /** The most pixels all frames of an animated image may have together. */
  maxAnimationPixels: number;
}

/** 40 megapixels: a 48 MP phone photo is refused, a 30,000 × 30,000 bomb by far. */
export const DEFAULT_INTAKE_LIMITS: IntakeLimits = { maxBytes: 5 * 1024 * 1024, maxPixels: 40_000_000, maxAnimationPixels: 100_000_000 };

export interface TakenImage {
  mime: 'image/png' | 'image/jpeg' | 'image/webp';
  bytes: Uint8Array;
  width: number;
  height: number;
}

export type Intake = { ok: true; image: TakenImage } | { ok: false; reason: ImageRefusalReason; message: string };

const refuse = (reason: ImageRefusalReason, message: string): Intake => ({ ok: false, reason, message });

/** Checks, decodes and cleans one image; never throws for what a customer sends. */
export async function takeInImage(bytes: Uint8Array, limits: IntakeLimits = DEFAULT_INTAKE_LIMITS): Promise<Intake> {
  if (bytes.byteLength === 0) return refuse('empty', 'the image file is empty (0 bytes)');
  if (bytes.byteLength > limits.maxBytes) return refuse('too_large', `the image has ${bytes.byteLength} bytes; the limit is ${limits.maxBytes}`);
  const type = imageTypeOf(bytes);
  if (!type) return refuse('not_an_image', 'the file is not a PNG, JPEG, GIF or WebP image');

  const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: sharp.Metadata;
  try {
    header = await sharp(input, { limitInputPixels: false }).metadata();
  } catch {
    return refuse('unreadable', 'the image cannot be read: its header is damaged');
  }
  const width = header.width ?? 0;
  const height = header.height ?? 0;
  const frameHeight = header.pageHeight ?? height;
  const frames = header.pages ?? 1;
  if (width === 0 || frameHeight === 0) return refuse('unreadable', 'the image cannot be read: it claims no size');
  if (width * frameHeight > limits.maxPixels) {
    return refuse('too_many_pixels', `the image is ${width} × ${frameHeight} pixels; the limit is ${limits.maxPixels} pixels`);
  }
  if (width * frameHeight * frames > limits.maxAnimationPixels) {
    return refuse('too_many_frames', `the animation has ${frames} frames of ${width} × ${frameHeight} pixels; the limit is ${limits.maxAnimationPixels} pixels in all`);
  }

  try {
    // rotate() with no angle applies the EXIF orientation; sharp writes no metadata unless asked to
    const image = sharp(input, { limitInputPixels: limits.maxPixels, failOn: 'truncated', pages: 1 }).rotate();
    const mime = type === 'image/jpeg' ? 'image/jpeg' : type === 'image/webp' ? 'image/webp' : 'image/png';
    const encoded = mime === 'image/jpeg' ? image.jpeg({ quality: 90 }) : mime === 'image/webp' ? image.webp({ quality: 90 }) : image.png();
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { ok: true, image: { mime, bytes: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height } };
  } catch {
    return refuse('unreadable', 'the image cannot be read: the file is incomplete or damaged');
  }
}
