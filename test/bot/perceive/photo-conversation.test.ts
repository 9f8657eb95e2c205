// A photo with no text: the demo shop, taught a few labelled parcel pictures (bot.yaml's vision.examples, here
// passed in), sees a damaged box, says so and answers on it; the trace shows which evidence won.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kefu } from '../../../bot/app.ts';
import type { Turn } from '../../../bot/turn/types.ts';
import { newSession, postMessage, startDemo } from '../../helpers/kefu.ts';
import { parcelPhoto, type PhotoKind } from '../../helpers/photos.ts';

const dir = mkdtempSync(join(tmpdir(), 'kefu-photo-'));
let kefu: Kefu;
const turns: Turn[] = [];
beforeAll(async () => {
  const examples = join(dir, 'vision');
  for (const [kind, issue] of [['damaged', 'damaged_item'], ['wrong_item', 'wrong_item'], ['intact', 'none']] as const) {
    mkdirSync(join(examples, issue), { recursive: true });
    for (let v = 0; v < 4; v++) writeFileSync(join(examples, issue, `${v}.jpg`), await parcelPhoto(kind as PhotoKind, v));
  }
  kefu = await startDemo({ vision: { examples }, dataDir: undefined, onTurn: (t) => turns.push(t) });
}, 180_000);
afterAll(async () => {
  await kefu?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function send(locale: 'zh' | 'en', text: string, image: Uint8Array) {
  const s = await newSession(kefu.url, locale);
  const res = await postMessage(kefu.url, s, { text, clientMessageId: 'm1', images: [{ data: Buffer.from(image).toString('base64'), name: 'photo.jpg' }] });
  expect(res.status).toBe(200);
  const { replies } = (await res.json()) as { replies: { text: string; sources: { url?: string }[] }[] };
  return { reply: replies.at(-1)!, turn: turns.find((t) => t.conversation.id === s.conversationId)! };
}

describe('a photo with no text, with a detector learned from labelled pictures', () => {
  it('an English customer sends only a photo of a crushed box: the bot says it sees damage and answers about damaged items', async () => {
    const { reply, turn } = await send('en', '', await parcelPhoto('damaged', 6));
    expect(reply.text.split('\n\n')[0]).toBe('I can see the item looks damaged.');
    const perceive = turn.trace.find((s) => s.stage === 'perceive')!;
    expect(perceive.decision).toBe('issue damaged_item');
    expect(perceive.detail).toMatchObject({ images: [{ index: 0, text: '', issue: 'damaged_item', by: 'learned', evidence: [{ by: 'learned', id: 'damaged_item' }] }] });
    expect(reply.sources.map((s) => s.url).join(' ')).toMatch(/damage|return|refund/);
  }, 120_000);

  it('a Chinese customer asks about a photo of the wrong item: 我看到这可能不是您订购的商品', async () => {
    const { reply, turn } = await send('zh', '这是什么情况？', await parcelPhoto('wrong_item', 7));
    expect(reply.text.split('\n\n')[0]).toBe('我看到这可能不是您订购的商品。');
    expect(turn.seen?.[0]?.issue).toMatchObject({ id: 'wrong_item', by: 'learned' });
  }, 120_000);

  it('a photo of an intact box is closest to the pictures of no issue: no issue, the bot says it could not make it out', async () => {
    const { reply, turn } = await send('en', 'How long does delivery take?', await parcelPhoto('intact', 6));
    expect(reply.text.split('\n\n')[0]).toBe("I've received your image, but I couldn't make out what it shows.");
    expect(turn.seen?.[0]?.issue).toBeUndefined();
    expect(turn.seen?.[0]?.evidence).toEqual([expect.objectContaining({ by: 'learned', id: 'none' })]);
  }, 120_000);
});
