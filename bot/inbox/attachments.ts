import { createHash } from 'node:crypto';
import { DEFAULT_INTAKE_LIMITS, takeInImage } from '../perceive/intake.ts';
import { ChatRefusal } from '../turn/channel.ts';
import type { ImageAttachment } from '../turn/types.ts';

export interface AttachmentLimits {
  /** The most images one message may carry. */
  maxImages: number;
  /** The most bytes one image may have. */
  maxImageBytes: number;
  /** The most pixels one image (one frame) may have, read from its header before decoding. */
  maxPixels?: number;
  /** The most pixels all frames of an animated image may have together. */
  maxAnimationPixels?: number;
}

export const DEFAULT_ATTACHMENT_LIMITS: AttachmentLimits = { maxImages: 4, maxImageBytes: DEFAULT_INTAKE_LIMITS.maxBytes };

/**
 * Takes in a message's images before they are stored (`bot/perceive/intake.ts`): typed by their bytes,
 * within the size and pixel limits, readable, turned upright and stripped of metadata. Returns the cleaned
 * images with their content hash; throws ChatRefusal (with the reason) for the first one that is refused.
 */
export async function prepareImages(images: ImageAttachment[], limits: AttachmentLimits = DEFAULT_ATTACHMENT_LIMITS): Promise<ImageAttachment[]> {
  if (images.length > limits.maxImages) throw new ChatRefusal('attachment_refused', `at most ${limits.maxImages} images a message`, undefined, 'too_many_images');
  const intakeLimits = {
    maxBytes: limits.maxImageBytes,
    maxPixels: limits.maxPixels ?? DEFAULT_INTAKE_LIMITS.maxPixels,
    maxAnimationPixels: limits.maxAnimationPixels ?? DEFAULT_INTAKE_LIMITS.maxAnimationPixels,
  };
  const prepared: ImageAttachment[] = [];
  for (const [i, image] of images.entries()) {
    if (!image.bytes) {
      prepared.push(image);
      continue;
    }
    const intake = await takeInImage(image.bytes, intakeLimits);
    if (!intake.ok) throw new ChatRefusal('attachment_refused', `image ${i + 1}: ${intake.message}`, undefined, intake.reason);
    const { mime, bytes } = intake.image;
    prepared.push({ ...image, mime, bytes, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return prepared;
}
