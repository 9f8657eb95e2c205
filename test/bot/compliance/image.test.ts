import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../../bot/compliance/audit.ts';
import { decodeImage, loadImageModerator, pixelate, type ImageModerator } from '../../../bot/compliance/image.ts';
import { loadGuard } from '../../../bot/compliance/load.ts';
import { guardInStage } from '../../../bot/compliance/stage.ts';
import type { Turn } from '../../../bot/turn/types.ts';

function plainPng(width: number, height: number, rgb: [number, number, number]): Uint8Array {
  const png = new PNG({ width, height });
  for (let i = 0; i < width * height; i++) png.data.set([...rgb, 255], i * 4);
  return new Uint8Array(PNG.sync.write(png));
}

function stripesJpeg(width: number, height: number): Uint8Array {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(x % 16 < 8 ? [20, 40, 200, 255] : [240, 240, 240, 255], (y * width + x) * 4);
  return new Uint8Array(jpeg.encode({ data, width, height }, 80).data);
}

let moderator: ImageModerator;
beforeAll(async () => {
  moderator = await loadImageModerator();
}, 60_000);
afterAll(() => moderator.dispose());

describe('image moderation (nsfwjs MobileNetV2 bundled in the package)', () => {
  it('returns a verdict for a plain PNG and a JPEG the test made', async () => {
    for (const [bytes, mime] of [[plainPng(64, 48, [200, 180, 160]), 'image/png'], [stripesJpeg(120, 90), 'image/jpeg']] as const) {
      const v = await moderator.moderateImage(bytes, mime);
      expect(v.ruleId).toBe('image.nsfw');
      expect(['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']).toContain(v.label);
      const total = Object.values(v.scores).reduce((a, b) => a + b, 0);
      expect(total).toBeGreaterThan(0.99);
      expect(v.safe).toBe(true);
    }
  });

  it('says unreadable for bytes that are no image', async () => {
    expect(await moderator.moderateImage(new Uint8Array([1, 2, 3]), 'image/webp')).toMatchObject({ label: 'unreadable', ruleId: 'image.unreadable' });
  });

  it('pixelates an image to a tiny PNG', () => {
    const blurred = pixelate(decodeImage(plainPng(300, 200, [10, 20, 30]), 'image/png')!);
    const back = decodeImage(blurred, 'image/png')!;
    expect([back.width, back.height]).toEqual([12, 8]);
    expect([...back.rgba.slice(0, 3)]).toEqual([10, 20, 30]);
  });
});

describe('guard-in with images', () => {
  it('refuses an unsafe image politely and keeps only a blurred copy for agents', async () => {
    const guard = await loadGuard({ pollMs: 0 });
    const recorded: string[] = [];
    const audit = { recordMany: async (e: { ruleId: string }[]) => void recorded.push(...e.map((x) => x.ruleId)) } as unknown as AuditLog;
    const blurred = new Uint8Array([9, 9, 9]);
    const unsafe: ImageModerator = { moderateImage: async () => ({ safe: false, label: 'Porn', scores: { Porn: 0.97 }, ruleId: 'image.nsfw', blurred }), dispose: () => undefined };
    const original = plainPng(8, 8, [1, 2, 3]);
    const t = {
      conversation: { id: 'c', botId: 'b', channel: 'web', customerId: 'u', mode: 'bot', locale: 'en', createdAt: new Date() },
      inbound: { channel: 'web', channelMessageId: 'm', conversationId: 'c', customerId: 'u', text: 'look', images: [{ mime: 'image/jpeg', bytes: original, url: 'https://x/y.jpg' }], receivedAt: new Date() },
      messageId: 1,
      text: 'look',
      locale: 'en',
      history: [],
      drafts: [],
      replies: [],
      trace: [],
    } as Turn;
    const outcome = await guardInStage(guard, audit, { images: unsafe }).run(t);
    expect(outcome.decision).toBe('block');
    expect(t.stopped).toBe('blocked by image.nsfw');
    expect(t.replies[0]?.text).toMatch(/image you sent can't be shown/);
    expect(t.inbound.images[0]).toEqual({ mime: 'image/png', bytes: blurred });
    expect(recorded).toEqual(['image.nsfw']);
    guard.close();
  });
});
