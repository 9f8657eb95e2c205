import { createHash } from 'node:crypto';
import { ChatRefusal } from '../turn/channel.ts';
import { imageTypeOf } from '../turn/image-type.ts';
import type { ImageAttachment } from '../turn/types.ts';

export interface AttachmentLimits {
  /** The most images one message may carry. */
  maxImages: number;
  /** The most bytes one image may have. */
  maxImageBytes: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxImages: 4, maxImageBytes: 5 * 1024 * 1024 };

/**
 * Checks a message's images before they are stored: within the limits, and with bytes that really are an
 * image of a kind kefu reads (the type is taken from the bytes). Returns them with their content hash.
 */
export function prepareImages(images: ImageAttachment[], limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS): ImageAttachment[] {
  if (images.length > limits.maxImages) throw new ChatRefusal('attachment_refused', `at most ${limits.maxImages} images a message`);
  return images.map((image, i) => {
    if (!image.bytes) return image;
    if (image.bytes.byteLength > limits.maxImageBytes) {
      throw new ChatRefusal('attachment_refused', `image ${i + 1} has ${image.bytes.byteLength} bytes; the limit is ${limits.maxImageBytes}`);
    }
    const mime = imageTypeOf(image.bytes);
    if (!mime) throw new ChatRefusal('attachment_refused', `image ${i + 1} is not a PNG, JPEG, GIF or WebP image`);
    return { ...image, mime, sha256: createHash('sha256').update(image.bytes).digest('hex') };
  });
}
