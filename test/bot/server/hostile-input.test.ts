/**
 * The messages that once froze, crashed or were lost, on both backends: U+FDFA × 4000 (18× longer once
 * normalised), NUL, a WebSocket frame sent the moment the socket opens (dropped on PostgreSQL while the
 * socket was being authorised), concurrent duplicates, and duplicates that used up the flood gate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { issueToken } from '../../../adapters/web/token.ts';
import { getSetting } from '../../../bot/store/messages.ts';
import { BACKENDS, type RunningKefu } from '../../helpers/backends.ts';
import { newSession, postMessage, type Session } from '../../helpers/kefu.ts';

for (const backend of BACKENDS) {
  describe(`hostile input on the ${backend.name}`, () => {
    let running: RunningKefu | undefined;
    beforeAll(async () => {
      running = await backend.start({ flood: { burst: 5, perSecond: 1, maxWaiting: 20 }, web: { newConversations: { burst: 1000, perSecond: 100, maxWaiting: 0 } } });
    });
    afterAll(async () => running?.dispose());

    const url = () => running!.kefu.url;
    const count = async (s: Session) =>
      Number((await running!.kefu.db.query<{ n: number }>('select count(*)::int as n from messages where conversation_id = $1', [s.conversationId]))[0]!.n);
    const skipWithout = (ctx: { skip(): void }) => !running && ctx.skip();

    it('U+FDFA × 4000 (72,000 characters once normalised) is refused at once as too long, and the server stays healthy', async (ctx) => {
      skipWithout(ctx);
      const s = await newSession(url(), 'en');
      const res = await postMessage(url(), s, { text: '\ufdfa'.repeat(4000), clientMessageId: 'fdfa' });
      expect(res.status).toBe(413);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe('message_too_long');
      expect(body.error.message).toMatch(/72000 characters once normalised/);
      expect(await count(s)).toBe(0);
      expect((await fetch(`${url()}/healthz`)).status).toBe(200);
    });

    it('4,000 characters of Chinese, and ligatures up to the limit once normalised, are answered', async (ctx) => {
      skipWithout(ctx);
      const s = await newSession(url(), 'zh');
      for (const [i, text] of ['退货政策是什么'.repeat(571), '\ufdfa'.repeat(222)].entries()) {
        const res = await postMessage(url(), s, { text, clientMessageId: `long${i}` });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { reply: { text: string } }).reply.text.length).toBeGreaterThan(0);
      }
    });

    it('NUL, or half a surrogate pair, is refused with 400 bad_text and nothing is stored', async (ctx) => {
      skipWithout(ctx);
      const s = await newSession(url(), 'en');
      for (const [i, text] of ['a\u0000b', 'broken \ud83d pair', 'tail \udc00'].entries()) {
        const res = await postMessage(url(), s, JSON.stringify({ text, clientMessageId: `bad${i}` }));
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error: { code: string; message: string } };
        expect(body.error.code).toBe('bad_text');
        expect(body.error.message).toMatch(/U\+(0000|D83D|DC00)/);
      }
      expect(await count(s)).toBe(0);
    });

    it('a WebSocket frame sent the moment each socket opens is answered, 20 sockets at once', async (ctx) => {
      skipWithout(ctx);
      const sessions = await Promise.all(Array.from({ length: 20 }, () => newSession(url(), 'en')));
      const replies = await Promise.all(
        sessions.map(
          (s, i) =>
            new Promise<any>((resolve, reject) => {
              const ws = new WebSocket(`${url().replace('http', 'ws')}/api/conversations/${s.conversationId}/ws?token=${encodeURIComponent(s.token)}`);
              ws.on('open', () => ws.send(JSON.stringify({ type: 'message', text: 'How long does delivery take?', clientMessageId: `open${i}` })));
              ws.on('message', (d) => {
                const f = JSON.parse(d.toString());
                if (f.type === 'error') reject(new Error(`socket ${i}: ${f.code}`));
                if (f.type === 'message' && f.message.author === 'bot') (resolve(f.message), ws.close());
              });
              ws.on('error', reject);
            }),
        ),
      );
      expect(replies).toHaveLength(20);
      expect(replies.every((r) => r.sources[0]?.url === '/help/en/shipping#delivery-time')).toBe(true);
    });

    it('a NUL in a WebSocket frame gets a bad_text error frame', async (ctx) => {
      skipWithout(ctx);
      const s = await newSession(url(), 'en');
      const frame = await new Promise<any>((resolve) => {
        const ws = new WebSocket(`${url().replace('http', 'ws')}/api/conversations/${s.conversationId}/ws?token=${encodeURIComponent(s.token)}`);
        ws.on('open', () => ws.send(JSON.stringify({ type: 'message', text: 'a\u0000b', clientMessageId: 'nul' })));
        ws.on('message', (d) => (resolve(JSON.parse(d.toString())), ws.close()));
      });
      expect(frame).toMatchObject({ type: 'error', code: 'bad_text' });
    });

    it('100 concurrent copies of one message all get the one stored reply', async (ctx) => {
      skipWithout(ctx);
      const s = await newSession(url(), 'en');
      const bodies = await Promise.all(
        Array.from({ length: 100 }, async () => (await postMessage(url(), s, { text: 'How do I get an invoice?', clientMessageId: 'dup' })).json() as Promise<any>),
      );
      const replyIds = new Set(bodies.map((b) => b.reply?.id));
      expect([...replyIds].every((id) => typeof id === 'number')).toBe(true);
      expect(replyIds.size).toBe(1);
      expect(bodies.filter((b) => !b.duplicate)).toHaveLength(1);
      expect(await count(s)).toBe(2);
    });

    it('duplicates take nothing from the flood gate: after 10 retries the next messages are not slowed', async (ctx) => {
      skipWithout(ctx);
      const s = await newSession(url(), 'en');
      await postMessage(url(), s, { text: 'hello', clientMessageId: 'first' });
      for (let i = 0; i < 10; i++) expect((await postMessage(url(), s, { text: 'hello', clientMessageId: 'first' })).status).toBe(200);
      const next = await Promise.all([1, 2, 3, 4].map(async (i) => (await postMessage(url(), s, { text: `question ${i}`, clientMessageId: `n${i}` })).json() as Promise<any>));
      expect(next.filter((b) => b.notice)).toEqual([]);
    });

    it('a token signed with the real secret but issued in the far future is refused', async (ctx) => {
      skipWithout(ctx);
      const s = await newSession(url(), 'en');
      const secret = (await getSetting(running!.kefu.db, 'token_secret'))!;
      const customerId = JSON.parse(Buffer.from(s.token.split('.')[0]!, 'base64url').toString()).u as string;
      const future = issueToken(secret, { conversationId: s.conversationId, customerId }, Date.now() + 10 * 365 * 86_400_000);
      const res = await postMessage(url(), s, { text: 'hi', clientMessageId: 'future' }, future);
      expect(res.status).toBe(401);
      const fresh = issueToken(secret, { conversationId: s.conversationId, customerId });
      expect((await postMessage(url(), s, { text: 'hi', clientMessageId: 'now' }, fresh)).status).toBe(200); // the same claim, issued now, is fine
    });
  });
}
