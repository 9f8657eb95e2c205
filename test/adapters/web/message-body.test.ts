import { describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES, parseMessageBody } from '../../../adapters/web/message-body.ts';

const body = (images: unknown) => ({ text: 'look', clientMessageId: 'c1', images });
const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');

describe('images in a web message body', () => {
  it('are read from base64 and typed by their bytes', () => {
    const { images } = parseMessageBody(body([{ data: gif.toString('base64'), name: 'dot.gif' }]), 4000);
    expect(images).toEqual([{ mime: 'image/gif', bytes: new Uint8Array(gif), name: 'dot.gif' }]);
    expect(parseMessageBody({ text: 'hi', clientMessageId: 'c2' }, 4000).images).toEqual([]);
  });

  it('are refused with the reason: not base64, not an image, too large, too many', () => {
    const code = (images: unknown) => {
      try {
        parseMessageBody(body(images), 4000);
        return 'accepted';
      } catch (err) {
        return (err as { code: string }).code;
      }
    };
    expect(code([{ data: 'not base64!' }])).toBe('bad_images');
    expect(code([{ data: Buffer.from('%PDF-1.7 …').toString('base64') }])).toBe('unsupported_image');
    expect(code([{ data: Buffer.concat([gif, Buffer.alloc(MAX_IMAGE_BYTES)]).toString('base64') }])).toBe('image_too_large');
    expect(code([1, 2, 3].map(() => ({ data: gif.toString('base64') })))).toBe('bad_images');
    expect(code('a picture')).toBe('bad_images');
  });

  it('may come without text (the text is then what kefu reads in the image), but a message needs one or the other', () => {
    expect(parseMessageBody({ text: '', clientMessageId: 'c3', images: [{ data: gif.toString('base64') }] }, 4000).text).toBe('');
    expect(() => parseMessageBody({ text: ' ', clientMessageId: 'c4', images: [] }, 4000)).toThrow(/non-empty/);
  });
});
