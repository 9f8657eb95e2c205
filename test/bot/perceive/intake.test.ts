import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { takeInImage } from '../../../bot/perceive/intake.ts';
import { gifBomb, photo, pngBomb, screenshot } from '../../helpers/images.ts';

const refusal = async (bytes: Uint8Array) => {
  const intake = await takeInImage(bytes);
  return intake.ok ? 'accepted' : intake.reason;
};

describe('image intake', () => {
  it('turns a photo upright by its EXIF orientation and stores it without metadata', async () => {
    const wide = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#c00' } })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExif({ IFD0: { Copyright: 'phone owner', Software: 'camera 1.0' } })
      .toBuffer();
    expect((await sharp(wide).metadata()).exif).toBeDefined();
    const intake = await takeInImage(new Uint8Array(wide));
    if (!intake.ok) throw new Error(intake.message);
    expect(intake.image).toMatchObject({ mime: 'image/jpeg', width: 20, height: 40 });
    const stored = await sharp(intake.image.bytes).metadata();
    expect([stored.width, stored.height]).toEqual([20, 40]);
    expect(stored.exif).toBeUndefined();
    expect(stored.orientation).toBeUndefined();
  });

  it('reads a JPEG sent under a .png name as the JPEG it is', async () => {
    const intake = await takeInImage(await photo('#88aaff'));
    expect(intake.ok && intake.image.mime).toBe('image/jpeg');
  });

  it('keeps a screenshot PNG a PNG of the same size', async () => {
    const intake = await takeInImage(await screenshot({ lines: ['Order 1234'] }));
    expect(intake.ok && [intake.image.mime, intake.image.width, intake.image.height]).toEqual(['image/png', 720, 400]);
  });

  it('refuses a 0-byte file, an SVG with script, a truncated PNG, a 30,000 × 30,000 PNG and a GIF bomb, each with its reason', async () => {
    const whole = await screenshot({ lines: ['Payment failed'] });
    expect(await refusal(new Uint8Array(0))).toBe('empty');
    expect(await refusal(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBe('not_an_image');
    expect(await refusal(whole.subarray(0, Math.floor(whole.length * 0.6)))).toBe('unreadable');
    expect(await refusal(whole.subarray(0, 40))).toBe('unreadable');
    expect(await refusal(pngBomb(30_000))).toBe('too_many_pixels');
    expect(await refusal(gifBomb(2_000, 1_000))).toBe('too_many_frames');
    expect(await refusal(gifBomb(3, 20_000))).toBe('too_many_pixels');
  });

  it('refuses the bomb from its header, before decoding, in a moment and without the memory its pixels would take', async () => {
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    expect(await refusal(pngBomb(30_000))).toBe('too_many_pixels');
    expect(performance.now() - started).toBeLessThan(2_000); // decoding 2.7 GB of pixels would take far longer
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('refuses an image over the byte limit', async () => {
    const intake = await takeInImage(await photo('#fff'), { maxBytes: 100, maxPixels: 1e6, maxAnimationPixels: 1e7 });
    expect(intake.ok ? 'accepted' : intake.reason).toBe('too_large');
  });
});
