import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prepareImages } from '../../../bot/inbox/attachments.ts';

const PNG_START = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const png = (size: number) => new Uint8Array([...PNG_START, ...new Array(Math.max(0, size - PNG_START.length)).fill(7)]);

describe('images a customer sends', () => {
  it('are typed by their bytes, not by what the channel claims, and hashed', () => {
    const bytes = png(64);
    const [image] = prepareImages([{ mime: 'image/jpeg', bytes, name: 'a.jpg' }]);
    expect(image).toMatchObject({ mime: 'image/png', name: 'a.jpg', sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('are refused when they are not an image, too large, or too many', () => {
    const limits = { maxImages: 2, maxImageBytes: 100 };
    expect(() => prepareImages([{ mime: 'image/png', bytes: new TextEncoder().encode('<svg onload=alert(1)>') }], limits)).toThrow(/not a PNG, JPEG, GIF or WebP/);
    expect(() => prepareImages([{ mime: 'image/png', bytes: png(101) }], limits)).toThrow(/the limit is 100/);
    expect(() => prepareImages([1, 2, 3].map(() => ({ mime: 'image/png', bytes: png(10) })), limits)).toThrow(/at most 2 images/);
  });

  it('given as a URL only are kept as they are (the channel fetches them)', () => {
    expect(prepareImages([{ mime: 'image/png', url: 'https://example.com/a.png' }])).toEqual([{ mime: 'image/png', url: 'https://example.com/a.png' }]);
  });
});
