import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { prepareImages } from '../../../bot/inbox/attachments.ts';
import { ChatRefusal } from '../../../bot/turn/channel.ts';
import { photo, pngBomb, screenshot } from '../../helpers/images.ts';

const refusalOf = (p: Promise<unknown>) =>
  p.then(
    () => 'accepted',
    (err: unknown) => (err instanceof ChatRefusal ? `${err.code}/${err.reason}: ${err.message}` : `not a refusal: ${String(err)}`),
  );

describe('images a customer sends', () => {
  it('are typed by their bytes, not by what the channel claims, cleaned, and hashed as stored', async () => {
    const [image] = await prepareImages([{ mime: 'image/png', bytes: await photo('#d0e0ff'), name: 'parcel.png' }]);
    expect(image).toMatchObject({ mime: 'image/jpeg', name: 'parcel.png', sha256: createHash('sha256').update(image!.bytes!).digest('hex') });
    expect((await sharp(image!.bytes!).metadata()).format).toBe('jpeg');
  });

  it('are refused, with the reason, when they are not an image, too large, too many pixels, or too many', async () => {
    const limits = { maxImages: 2, maxImageBytes: 100_000 };
    expect(await refusalOf(prepareImages([{ mime: 'image/png', bytes: new TextEncoder().encode('<svg onload=alert(1)>') }], limits))).toMatch(/^attachment_refused\/not_an_image: image 1: .*not a PNG, JPEG, GIF or WebP/);
    expect(await refusalOf(prepareImages([{ mime: 'image/png', bytes: await screenshot({ lines: ['a'] }) }], { maxImages: 2, maxImageBytes: 100 }))).toMatch(/^attachment_refused\/too_large: .*the limit is 100/);
    expect(await refusalOf(prepareImages([{ mime: 'image/png', bytes: pngBomb() }], limits))).toMatch(/^attachment_refused\/too_many_pixels: .*30000 × 30000/);
    const small = await screenshot({ lines: ['a'], width: 60, height: 40 });
    expect(await refusalOf(prepareImages([1, 2, 3].map(() => ({ mime: 'image/png', bytes: small })), limits))).toMatch(/^attachment_refused\/too_many_images: at most 2 images/);
  });

  it('given as a URL only are kept as they are (the channel fetches them)', async () => {
    expect(await prepareImages([{ mime: 'image/png', url: 'https://example.com/a.png' }])).toEqual([{ mime: 'image/png', url: 'https://example.com/a.png' }]);
  });
});
