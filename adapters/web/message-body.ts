import { imageTypeOf } from '../../bot/turn/image-type.ts';
import { findUnstorable, processedLength } from '../../bot/turn/text-hygiene.ts';
import type { ImageAttachment } from '../../bot/turn/types.ts';
import { WebError } from './errors.ts';

/** Images the web API takes in one message (base64 in the JSON body): how many, and how large each. */
export const MAX_IMAGES = 2;
export const MAX_IMAGE_BYTES = 1024 * 1024;
/** The message route's body limit: the text, and the images in base64 (4 characters for every 3 bytes). */
export const MAX_BODY_BYTES = 64 * 1024 + MAX_IMAGES * Math.ceil(MAX_IMAGE_BYTES / 3) * 4;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** `images: [{"data": base64, "name"?}]`: each a PNG, JPEG, GIF or WebP (told by its bytes) of at most MAX_IMAGE_BYTES. */
function parseImages(images: unknown): ImageAttachment[] {
  if (images === undefined) return [];
  if (!Array.isArray(images) || images.length > MAX_IMAGES) throw new WebError(400, 'bad_images', `"images", when given, must be a list of at most ${MAX_IMAGES} images`);
  return images.map((image, i) => {
    const { data, name } = (image ?? {}) as Record<string, unknown>;
    if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data)) throw new WebError(400, 'bad_images', `images[${i}].data must be the image in base64`);
    if (data.length > Math.ceil(MAX_IMAGE_BYTES / 3) * 4) throw new WebError(413, 'image_too_large', `images[${i}] is larger than ${MAX_IMAGE_BYTES} bytes`);
    if (name !== undefined && (typeof name !== 'string' || !/^[^\p{Cc}/\\]{1,200}$/u.test(name))) throw new WebError(400, 'bad_images', `images[${i}].name must be a file name of 1–200 characters`);
    const bytes = new Uint8Array(Buffer.from(data, 'base64'));
    if (bytes.byteLength > MAX_IMAGE_BYTES) throw new WebError(413, 'image_too_large', `images[${i}] is larger than ${MAX_IMAGE_BYTES} bytes`);
    const mime = imageTypeOf(bytes);
    if (!mime) throw new WebError(415, 'unsupported_image', `images[${i}] is not a PNG, JPEG, GIF or WebP image`);
    return { mime, bytes, ...(name !== undefined ? { name: name as string } : {}) };
  });
}

/** A quick-reply payload: 1–200 characters, none of them a control character. */
const PAYLOAD = /^[^\p{Cc}]{1,200}$/u;

/** Checks a customer's message body (HTTP body or WebSocket frame) and says exactly what is wrong with it. */
export function parseMessageBody(body: unknown, maxTextLength: number): { text: string; clientMessageId: string; payload?: string; images: ImageAttachment[] } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new WebError(400, 'bad_request', 'the body must be a JSON object: {"text": "...", "clientMessageId": "..."}');
  }
  const { text, clientMessageId, payload, images: imageList } = body as Record<string, unknown>;
  // an image may come alone: its text is then what kefu reads in it
  const hasImages = Array.isArray(imageList) && imageList.length > 0;
  if (typeof text !== 'string' || (text.trim() === '' && !hasImages)) throw new WebError(400, 'empty_text', '"text" must be a non-empty string (it may be empty when images are sent)');
  if (text.length > maxTextLength) {
    throw new WebError(413, 'message_too_long', `"text" has ${text.length} characters; the limit is ${maxTextLength}`);
  }
  const bad = findUnstorable(text);
  if (bad) throw new WebError(400, 'bad_text', `"text" contains ${bad.codePoint} at position ${bad.index}, which cannot be stored; remove it`);
  const processed = processedLength(text);
  if (processed > maxTextLength) {
    throw new WebError(413, 'message_too_long', `"text" becomes ${processed} characters once normalised (NFKC); the limit is ${maxTextLength}`);
  }
  if (typeof clientMessageId !== 'string' || !/^[\w.:-]{1,100}$/.test(clientMessageId)) {
    throw new WebError(400, 'bad_client_message_id', '"clientMessageId" must be 1–100 letters, digits, or . _ : -');
  }
  if (payload !== undefined && (typeof payload !== 'string' || !PAYLOAD.test(payload))) {
    throw new WebError(400, 'bad_payload', '"payload", when given, must be a string of 1–200 characters without control characters');
  }
  const images = parseImages(imageList);
  return { text, clientMessageId, ...(payload !== undefined ? { payload: payload as string } : {}), images };
}
