import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import type { Kefu } from '../../../bot/app.ts';
import { photo } from '../../helpers/images.ts';
import { newSession, postMessage, startDemo, type Session } from '../../helpers/kefu.ts';

let kefu: Kefu;
beforeAll(async () => {
  kefu = await startDemo({ flood: { burst: 3, perSecond: 20, maxWaiting: 4 } });
});
afterAll(async () => kefu?.close());

const countMessages = async () => Number((await kefu.db.query<{ n: number }>('select count(*)::int as n from messages'))[0]!.n);

async function expectRefused(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(10);
}

describe('web chat over HTTP', () => {
  it('answers an English shipping question from the help centre with its source', async () => {
    const s = await newSession(kefu.url, 'en');
    const res = await postMessage(kefu.url, s, { text: 'How long does delivery take?', clientMessageId: 'q1' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.message).toMatchObject({ direction: 'in', author: 'customer', text: 'How long does delivery take?', clientMessageId: 'q1' });
    expect(body.reply.author).toBe('bot');
    expect(body.reply.sources[0].url).toBe('/help/en/shipping#delivery-time');
  });

  it('answers a Chinese question from the Chinese help centre', async () => {
    const s = await newSession(kefu.url, 'zh');
    const body = await (await postMessage(kefu.url, s, { text: '退货政策是什么？', clientMessageId: 'q1' })).json();
    expect(body.reply.sources[0].url).toMatch(/^\/help\/zh\/returns#/);
    expect(body.reply.text).toMatch(/15/);
  });

  it('says it does not know, and offers a human, when nothing relevant is found', async () => {
    const s = await newSession(kefu.url, 'en');
    const body = await (await postMessage(kefu.url, s, { text: 'Can you recommend a good sushi restaurant in Paris?', clientMessageId: 'q1' })).json();
    expect(body.reply.sources).toEqual([]);
    expect(body.reply.text).toMatch(/don't know/);
    expect(body.reply.quickReplies[0].label).toMatch(/person/);
  });

  it("answers the entry a pressed quick reply's payload names, and stores the button's label as the customer's message", async () => {
    const s = await newSession(kefu.url, 'en');
    const label = 'How much does shipping cost?';
    const body = await (await postMessage(kefu.url, s, { text: label, payload: 'entry:shipping#shipping-fees', clientMessageId: 'b1' })).json();
    expect(body.message).toMatchObject({ author: 'customer', text: label });
    expect(body.reply.sources[0].url).toMatch(/#shipping-fees$/);
    expect(body.reply.text).toContain('| Destination | Fee |');

    // the payload, not the label, chooses the entry
    const other = await (await postMessage(kefu.url, s, { text: 'That one', payload: 'entry:shipping#express-delivery', clientMessageId: 'b2' })).json();
    expect(other.reply.sources[0].url).toMatch(/#express-delivery$/);

    const { messages } = await (await fetch(`${kefu.url}/api/conversations/${s.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } })).json();
    const asked = messages.filter((m: { author: string }) => m.author === 'customer').map((m: { text: string }) => m.text);
    expect(asked).toEqual([label, 'That one']);
  });

  it('a repeated clientMessageId is acknowledged with the first reply and not processed again', async () => {
    const s = await newSession(kefu.url, 'en');
    const first = await (await postMessage(kefu.url, s, { text: 'How do I get an invoice?', clientMessageId: 'same' })).json();
    const before = await countMessages();
    const again = await (await postMessage(kefu.url, s, { text: 'How do I get an invoice?', clientMessageId: 'same' })).json();
    expect(again.duplicate).toBe(true);
    expect(again.reply.id).toBe(first.reply.id);
    expect(await countMessages()).toBe(before);
  });

  it('reading the history with the token restores the whole conversation', async () => {
    const s = await newSession(kefu.url, 'en');
    await postMessage(kefu.url, s, { text: 'hello', clientMessageId: 'a' });
    await postMessage(kefu.url, s, { text: 'what payment methods do you accept?', clientMessageId: 'b' });
    const res = await fetch(`${kefu.url}/api/conversations/${s.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } });
    const { messages } = await res.json();
    expect(messages.map((m: { author: string }) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
  });

  it("the history lists a customer's kept pictures, and only that conversation's token fetches them", async () => {
    const s = await newSession(kefu.url, 'en');
    const other = await newSession(kefu.url, 'en');
    const picture = await photo('#8b5a2b');
    await postMessage(kefu.url, s, { text: 'the box came like this', clientMessageId: 'p1', images: [{ data: Buffer.from(picture).toString('base64'), name: 'box.png' }] });
    const { messages } = await (await fetch(`${kefu.url}/api/conversations/${s.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } })).json();
    const sent = messages.find((m: { clientMessageId?: string }) => m.clientMessageId === 'p1');
    // a JPEG named .png: its type is told by its bytes
    expect(sent.images).toEqual([{ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), mime: 'image/jpeg', name: 'box.png' }]);
    expect(messages.filter((m: { images?: unknown }) => m.images).length).toBe(1); // the bot's replies carry none

    const url = `${kefu.url}/api/conversations/${s.conversationId}/images/${sent.images[0].sha256}`;
    const got = await fetch(url, { headers: { authorization: `Bearer ${s.token}` } });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/jpeg');
    const bytes = new Uint8Array(await got.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sent.images[0].sha256);

    await expectRefused(await fetch(url), 401, 'missing_token');
    await expectRefused(await fetch(url, { headers: { authorization: `Bearer ${other.token}` } }), 403, 'forbidden');
    // the same hash under another conversation is not that conversation's picture
    await expectRefused(await fetch(`${kefu.url}/api/conversations/${other.conversationId}/images/${sent.images[0].sha256}`, { headers: { authorization: `Bearer ${other.token}` } }), 404, 'not_found');
    await expectRefused(await fetch(`${kefu.url}/api/conversations/${s.conversationId}/images/..%2F..%2Fetc`, { headers: { authorization: `Bearer ${s.token}` } }), 404, 'not_found');
  });

  it('turns of one conversation are answered in the order they arrived', async () => {
    const s = await newSession(kefu.url, 'en');
    const texts = ['how long does delivery take', 'how do refunds work', 'can I change my address'];
    const bodies = await Promise.all(texts.map(async (text, i) => (await postMessage(kefu.url, s, { text, clientMessageId: `o${i}` })).json()));
    const { messages } = await (await fetch(`${kefu.url}/api/conversations/${s.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } })).json();
    // Each question is stored when it arrives (the next may arrive while the first is answered); the
    // replies come one at a time in the questions' order, each after its own question.
    const turns = texts.map((_, i) => ({
      question: messages.find((m: { clientMessageId?: string }) => m.clientMessageId === `o${i}`).id as number,
      reply: bodies[i].reply.id as number,
    }));
    turns.sort((a, b) => a.question - b.question);
    for (const [i, t] of turns.entries()) {
      expect(t.reply).toBeGreaterThan(t.question);
      if (i > 0) expect(t.reply).toBeGreaterThan(turns[i - 1]!.reply);
    }
  });
});

describe('web chat refuses bad input with a clear 4xx and stores nothing', () => {
  let s: Session;
  let other: Session;
  beforeAll(async () => {
    s = await newSession(kefu.url, 'en');
    other = await newSession(kefu.url, 'en');
  });

  const cases: [string, () => Promise<Response>, number, string][] = [
    ['malformed JSON', () => postMessage(kefu.url, s, '{"text": "hi", '), 400, 'malformed_json'],
    ['a message over 4,000 characters', () => postMessage(kefu.url, s, { text: 'x'.repeat(4001), clientMessageId: 'big' }), 413, 'message_too_long'],
    ['an empty message', () => postMessage(kefu.url, s, { text: '   ', clientMessageId: 'e' }), 400, 'empty_text'],
    ['a missing clientMessageId', () => postMessage(kefu.url, s, { text: 'hi' }), 400, 'bad_client_message_id'],
    ['a body that is not an object', () => postMessage(kefu.url, s, '[1,2]'), 400, 'bad_request'],
    ['a payload that is not a string', () => postMessage(kefu.url, s, { text: 'hi', clientMessageId: 'p1', payload: 42 }), 400, 'bad_payload'],
    ['an empty payload', () => postMessage(kefu.url, s, { text: 'hi', clientMessageId: 'p2', payload: '' }), 400, 'bad_payload'],
    ['a payload over 200 characters', () => postMessage(kefu.url, s, { text: 'hi', clientMessageId: 'p3', payload: `entry:${'x'.repeat(195)}` }), 400, 'bad_payload'],
    ['a payload with a control character', () => postMessage(kefu.url, s, { text: 'hi', clientMessageId: 'p4', payload: 'entry:shipping\n#fees' }), 400, 'bad_payload'],
    ['a missing token', () => postMessage(kefu.url, s, { text: 'hi', clientMessageId: 'n' }, ''), 401, 'missing_token'],
    ['a forged token', () => postMessage(kefu.url, s, { text: 'hi', clientMessageId: 'f' }, `${s.token.split('.')[0]}.AAAA`), 401, 'invalid_token'],
    ["another customer's conversation id", () => postMessage(kefu.url, other, { text: 'hi', clientMessageId: 'x' }, s.token), 403, 'forbidden'],
  ];
  for (const [what, send, status, code] of cases) {
    it(`refuses ${what} (${status} ${code})`, async () => {
      const before = await countMessages();
      await expectRefused(await send(), status, code);
      expect(await countMessages()).toBe(before);
    });
  }

  it("refuses to read another customer's history", async () => {
    const res = await fetch(`${kefu.url}/api/conversations/${other.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } });
    await expectRefused(res, 403, 'forbidden');
  });

  it('refuses a message sent with a revoked token (401 invalid_token), checked as the message is stored, and stores nothing', async () => {
    const mine = await newSession(kefu.url, 'en');
    expect((await postMessage(kefu.url, mine, { text: 'hi', clientMessageId: 'before' })).status).toBe(200);
    expect((await fetch(`${kefu.url}/api/conversations/${mine.conversationId}/tokens`, { method: 'DELETE', headers: { authorization: `Bearer ${mine.token}` } })).status).toBe(204);
    const before = await countMessages();
    await expectRefused(await postMessage(kefu.url, mine, { text: 'hi again', clientMessageId: 'after' }), 401, 'invalid_token');
    expect(await countMessages()).toBe(before);
  });

  it('refuses a token re-signed for a conversation it was not issued for', async () => {
    const payload = JSON.parse(Buffer.from(s.token.split('.')[0]!, 'base64url').toString());
    const tampered = `${Buffer.from(JSON.stringify({ ...payload, c: other.conversationId })).toString('base64url')}.${s.token.split('.')[1]}`;
    await expectRefused(await postMessage(kefu.url, other, { text: 'hi', clientMessageId: 't' }, tampered), 401, 'invalid_token');
  });
});

describe('web chat over WebSocket', () => {
  const open = (s: Session) =>
    new Promise<{ ws: WebSocket; frames: any[]; next: (pred: (f: any) => boolean) => Promise<any> }>((resolve, reject) => {
      const ws = new WebSocket(`${kefu.url.replace('http', 'ws')}/api/conversations/${s.conversationId}/ws?token=${encodeURIComponent(s.token)}`);
      const frames: any[] = [];
      const waiters: [(f: any) => boolean, (f: any) => void][] = [];
      ws.on('message', (d) => {
        const f = JSON.parse(d.toString());
        frames.push(f);
        for (const w of [...waiters]) if (w[0](f)) (waiters.splice(waiters.indexOf(w), 1), w[1](f));
      });
      const next = (pred: (f: any) => boolean) => new Promise<any>((res) => {
        const seen = frames.find(pred);
        if (seen) return res(seen);
        waiters.push([pred, res]);
      });
      ws.on('open', () => resolve({ ws, frames, next }));
      ws.on('error', reject);
    });

  it('acknowledges the customer message and pushes the reply with its sources', async () => {
    const s = await newSession(kefu.url, 'en');
    const { ws, next } = await open(s);
    ws.send(JSON.stringify({ type: 'message', text: 'Which payment methods can I use?', clientMessageId: 'w1' }));
    const ack = await next((f) => f.type === 'message' && f.message.author === 'customer');
    expect(ack.message.clientMessageId).toBe('w1');
    const reply = await next((f) => f.type === 'message' && f.message.author === 'bot');
    expect(reply.message.sources[0].url).toMatch(/^\/help\/en\/payments#/);
    ws.close();
  });

  it('a flooding customer is slowed with a notice, and every message is still answered', async () => {
    const s = await newSession(kefu.url, 'en');
    const { ws, frames, next } = await open(s);
    // questions the bot answers: vague ones would, three in a row, hand the conversation to people (handoff.when)
    for (let i = 0; i < 6; i++) ws.send(JSON.stringify({ type: 'message', text: i % 2 ? 'How long does delivery take?' : '退货政策是什么？', clientMessageId: `f${i}` }));
    await next((f) => f.type === 'notice' && f.code === 'slow_down');
    await new Promise<void>((res) => {
      const check = () => (frames.filter((f) => f.type === 'message' && f.message.author === 'bot').length >= 6 ? res() : setTimeout(check, 20));
      check();
    });
    expect(frames.find((f) => f.type === 'notice').text).toMatch(/in order/);
    ws.close();
  });

  it('refuses to open without a valid token, and a malformed frame gets an error, not a crash', async () => {
    const s = await newSession(kefu.url, 'en');
    const bad = new WebSocket(`${kefu.url.replace('http', 'ws')}/api/conversations/${s.conversationId}/ws?token=forged`);
    const code = await new Promise<number>((res) => bad.on('close', (c) => res(c)));
    expect(code).toBe(4401);
    const { ws, next } = await open(s);
    ws.send('{not json');
    expect((await next((f) => f.type === 'error')).code).toBe('malformed_json');
    ws.send(JSON.stringify({ type: 'message', text: 'y'.repeat(4001), clientMessageId: 'big' }));
    expect((await next((f) => f.type === 'error' && f.code !== 'malformed_json')).code).toBe('message_too_long');
    ws.send(JSON.stringify({ type: 'message', text: 'That one', payload: 'entry:\u0000', clientMessageId: 'bad' }));
    expect((await next((f) => f.type === 'error' && f.code === 'bad_payload')).text).toMatch(/payload/);
    ws.close();
  });

  it("passes a frame's quick-reply payload on: the bot answers the entry it names", async () => {
    const s = await newSession(kefu.url, 'en');
    const { ws, next } = await open(s);
    ws.send(JSON.stringify({ type: 'message', text: 'That one', payload: 'entry:shipping#express-delivery', clientMessageId: 'w1' }));
    expect((await next((f) => f.type === 'message' && f.message.author === 'customer')).message.text).toBe('That one');
    const reply = await next((f) => f.type === 'message' && f.message.author === 'bot');
    expect(reply.message.sources[0].url).toMatch(/#express-delivery$/);
    ws.close();
  });
});
