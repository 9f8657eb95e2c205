// A customer sends screenshots and a photo to the demo shop over the web API: the bot reads them, says what it
// saw and answers on it; the text in an image fills entities and drives intent recognition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kefu } from '../../../bot/app.ts';
import type { Turn } from '../../../bot/turn/types.ts';
import { newSession, postMessage, startDemo } from '../../helpers/kefu.ts';
import { photo, screenshot } from '../../helpers/images.ts';

let kefu: Kefu;
const turns: Turn[] = [];
beforeAll(async () => {
  kefu = await startDemo({ onTurn: (t) => turns.push(t) });
});
afterAll(() => kefu?.close());

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

async function send(locale: 'zh' | 'en', text: string, images: Uint8Array[]) {
  const s = await newSession(kefu.url, locale);
  const res = await postMessage(kefu.url, s, { text, clientMessageId: 'm1', images: images.map((bytes, i) => ({ data: b64(bytes), name: `shot-${i}.png` })) });
  expect(res.status).toBe(200);
  const { replies } = (await res.json()) as { replies: { text: string; sources: { url?: string }[] }[] };
  const turn = turns.find((t) => t.conversation.id === s.conversationId)!;
  return { reply: replies.at(-1)!, turn };
}

describe('a conversation about an image', () => {
  it('a Chinese payment-error screenshot alone: says it saw a payment failure with the code, and answers with the payment-failed entry', async () => {
    const { reply, turn } = await send('zh', '', [await screenshot({ banner: { text: '支付失败 错误代码 1024', color: '#d93025' }, lines: ['请更换支付方式后重试'] })]);
    expect(reply.text.split('\n\n')[0]).toBe('我看到截图里是支付失败，错误代码 1024。');
    expect(reply.sources.map((s) => s.url)).toEqual([expect.stringMatching(/payments#payment-failed$/)]);
    expect(turn.understanding?.intent).toBe('payment_problem');
    const perceive = turn.trace.find((s) => s.stage === 'perceive')!;
    expect(perceive.decision).toBe('issue payment_failed');
    // the image's text is kept apart from what the customer typed
    expect(perceive.detail).toMatchObject({ customerText: '', images: [{ index: 0, issue: 'payment_failed', by: 'text', errorCode: '1024' }] });
  }, 120_000);

  it('an English question with a declined-card screenshot: "I can see a payment error, code E-502." and the payment answer', async () => {
    const { reply, turn } = await send('en', 'what does this mean?', [await screenshot({ banner: { text: 'Payment declined', color: '#b3261e' }, lines: ['Error code: E-502'] })]);
    expect(reply.text.split('\n\n')[0]).toBe('I can see a payment error, code E-502.');
    expect(reply.sources.map((s) => s.url)).toEqual([expect.stringMatching(/payments#payment-failed$/)]);
    expect(turn.trace.find((s) => s.stage === 'perceive')!.detail).toMatchObject({ customerText: 'what does this mean?' });
  }, 120_000);

  it('an order number read in a screenshot fills the order-number entity', async () => {
    const { turn } = await send('en', 'where is this order?', [await screenshot({ lines: ['Order A20240512', 'Status: in transit'] })]);
    expect(turn.understanding?.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'order_number', value: 'A20240512' })]));
    expect(turn.seen?.[0]?.issue?.id).toBe('delivery_problem');
  }, 120_000);

  it("an order number in a screenshot fills the tracking flow's slot: the bot looks that order up (zh)", async () => {
    const { reply, turn } = await send('zh', '帮我查一下这个订单到哪了', [await screenshot({ lines: ['订单号 LM202611280042', '下单时间 2026-11-28'] })]);
    expect(turn.flow).toMatchObject({ name: 'track_order', status: 'done', slots: { order_number: 'LM202611280042' } });
    expect(reply.text).toContain('SF1409235588'); // that order's own tracking number, from the demo orders API
  }, 120_000);

  it('a photo with no text and no issue: the bot says it could not make it out, and answers the words', async () => {
    const { reply, turn } = await send('en', 'How long does delivery take?', [await photo('#a0c4ff')]);
    expect(reply.text.split('\n\n')[0]).toBe("I've received your image, but I couldn't make out what it shows.");
    expect(reply.sources.length).toBeGreaterThan(0);
    expect(turn.trace.find((s) => s.stage === 'perceive')!.decision).toBe('nothing seen');
  }, 120_000);
});
