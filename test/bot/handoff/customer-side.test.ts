/**
 * What a customer sees of a handoff, through the web API, on both backends: their place (updated as the queue
 * moves), the agent's name, the agent's replies, the end with the rating buttons, and — when nobody claims
 * them in time — that their message is taken for an agent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBotConfig } from '../../../bot/bot-config.ts';
import { loadResponses } from '../../../bot/compose/responses.ts';
import { parseBusinessHours } from '../../../bot/handoff/hours.ts';
import { createHandoffNotices } from '../../../bot/handoff/notices.ts';
import { sweepUnclaimed } from '../../../bot/handoff/unclaimed.ts';
import { addStaffUser } from '../../../bot/staff/accounts.ts';
import { getConversation } from '../../../bot/store/conversations.ts';
import type { Kefu } from '../../../bot/app.ts';
import { BACKENDS, type RunningKefu } from '../../helpers/backends.ts';
import { consoleAgent } from '../../helpers/console.ts';
import { newSession, postMessage, type Session } from '../../helpers/kefu.ts';

interface Out {
  id: number;
  author: string;
  text: string;
  authorName?: string;
  handoffNotice?: { state: string; position?: number; minutes?: number; agent?: string };
  quickReplies: { label: string; payload: string }[];
}

const bot = loadBotConfig('examples/demo-shop');

for (const backend of BACKENDS) {
  describe(`the customer's side of a handoff (${backend.name})`, () => {
    let running: RunningKefu | undefined;
    let kefu: Kefu;
    beforeAll(async () => {
      running = await backend.start();
      if (!running) return;
      kefu = running.kefu;
      await addStaffUser(kefu.db, { login: 'mei', displayName: 'Mei', role: 'agent', password: 'a long password' });
    }, 300_000); // the embedded database's first start trains and indexes the demo shop: minutes on a loaded machine
    afterAll(async () => running?.dispose());

    const say = async (s: Session, text: string) => (await (await postMessage(kefu.url, s, { text, clientMessageId: `m${Math.random()}` })).json()) as { replies: Out[] };
    const history = async (s: Session) =>
      ((await (await fetch(`${kefu.url}/api/conversations/${s.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { messages: Out[] }).messages;
    const handoffOf = async (s: Session) => (await kefu.db.query<{ id: string }>('select id from handoffs where conversation_id = $1 order by id desc limit 1', [s.conversationId]))[0]!.id;

    it('tells a waiting customer their place, their new place when the one ahead is claimed, the agent’s name, the agent’s words, and the end with rating buttons', async (ctx) => {
      if (!running) return ctx.skip();
      const first = await newSession(kefu.url, 'en');
      const second = await newSession(kefu.url, 'zh');
      await say(first, 'I want to talk to a real person');
      const queued = (await say(second, '我要转人工')).replies.find((r) => r.handoffNotice)!;
      expect(queued.handoffNotice).toEqual({ state: 'queued', position: 2, minutes: expect.any(Number) });
      expect(queued.text).toContain('排第 2 位');

      const mei = await consoleAgent(kefu.url, 'mei');
      expect((await mei('POST', `/handoffs/${await handoffOf(first)}/claim`)).status).toBe(200);
      expect((await history(first)).at(-1)).toMatchObject({ author: 'system', text: 'Mei has joined the conversation.', handoffNotice: { state: 'claimed', agent: 'Mei' } });
      // the queue moved: the second customer hears their new place (sent after the claim's answer)
      await expect
        .poll(async () => (await history(second)).filter((m) => m.author === 'system' && m.handoffNotice?.state === 'queued').map((m) => [m.handoffNotice!.position, m.text]), { timeout: 20_000 })
        .toEqual([[1, expect.stringContaining('您现在排第 1 位')]]);

      expect((await mei('POST', `/conversations/${first.conversationId}/messages`, { text: 'Hi, Mei here.' })).status).toBe(201);
      expect((await history(first)).at(-1)).toMatchObject({ author: 'agent', authorName: 'Mei', text: 'Hi, Mei here.' });

      expect((await mei('POST', `/handoffs/${await handoffOf(first)}/resolve`)).status).toBe(200);
      const end = (await history(first)).at(-1)!;
      expect(end).toMatchObject({ author: 'bot', handoffNotice: { state: 'ended' } });
      expect(end.quickReplies.map((q) => q.payload)).toEqual(['rating:1', 'rating:2', 'rating:3', 'rating:4', 'rating:5']);
    }, 120_000);

    it('turns a handoff nobody claimed in time into a message taken: the customer is told once, the bot stays quiet, agents find it under messages left and may still claim it', async (ctx) => {
      if (!running) return ctx.skip();
      const s = await newSession(kefu.url, 'en');
      await say(s, 'I want to talk to a real person');
      const notices = createHandoffNotices({ db: kefu.db, botId: bot.id, responses: loadResponses(bot.dir, bot.name), conversation: (id) => getConversation(kefu.db, id), send: kefu.outbox.send });
      const deps = { db: kefu.db, botId: bot.id, afterMinutes: 15, notices };

      expect(await sweepUnclaimed(deps, new Date(Date.now() + 5 * 60_000))).toBe(0); // not yet
      // out of hours (and while the timeout reaches back before opening) the sweep waits
      const closed = parseBusinessHours({ timeZone: 'UTC', weekly: { 'mon-sun': '00:00-00:01' } });
      expect(await sweepUnclaimed({ ...deps, hours: closed }, new Date(Date.now() + 16 * 60_000))).toBe(0);

      const later = new Date(Date.now() + 16 * 60_000);
      const [a, b] = await Promise.all([sweepUnclaimed(deps, later), sweepUnclaimed(deps, later)]);
      expect(a + b).toBeGreaterThanOrEqual(1);
      expect(await sweepUnclaimed(deps, later)).toBe(0);
      const taken = (await history(s)).filter((m) => m.handoffNotice?.state === 'message_taken');
      expect(taken).toHaveLength(1);
      expect(taken[0]!.text).toMatch(/leave your message here/);
      const [{ status }] = await kefu.db.query<{ status: string }>('select status from handoffs where conversation_id = $1', [s.conversationId]);
      expect(status).toBe('timed_out');

      expect((await say(s, 'My order 12345 arrived broken, please call me.')).replies).toEqual([]);
      const mei = await consoleAgent(kefu.url, 'mei');
      const queue = (await (await mei('GET', '/queue')).json()) as { waiting: { conversationId: string }[]; left: { handoffId: number; conversationId: string; preview: string }[] };
      expect(queue.waiting.map((h) => h.conversationId)).not.toContain(s.conversationId);
      const left = queue.left.find((h) => h.conversationId === s.conversationId)!;
      expect(left.preview).toBe('My order 12345 arrived broken, please call me.');
      expect((await mei('POST', `/handoffs/${left.handoffId}/claim`)).status).toBe(200);
      expect((await history(s)).at(-1)).toMatchObject({ handoffNotice: { state: 'claimed', agent: 'Mei' } });
    }, 120_000);

    it('hands over after three turns in a row the bot could not help with (read from the stored traces), with that reason, and not when it helped in between', async (ctx) => {
      if (!running) return ctx.skip();
      const lost = ['What will the weather be like on Mars tomorrow?', 'Who won the football world cup in 1998?', 'Can you write me a poem about my cat?'];
      const reasonOf = async (s: Session) => (await kefu.db.query<{ reason: string }>('select reason from handoffs where conversation_id = $1', [s.conversationId]))[0]?.reason ?? null;

      const helped = await newSession(kefu.url, 'en');
      await say(helped, lost[0]!);
      await say(helped, 'How long does delivery take?');
      await say(helped, lost[1]!);
      await say(helped, lost[2]!);
      expect(await reasonOf(helped)).toBeNull();

      const s = await newSession(kefu.url, 'en');
      await say(s, lost[0]!);
      await say(s, lost[1]!);
      expect(await reasonOf(s)).toBeNull();
      const third = await say(s, lost[2]!);
      expect(await reasonOf(s)).toBe('bot_could_not_help');
      expect(third.replies.map((r) => r.text).join(' ')).toMatch(/asked a colleague to take over.*number \d+ in the queue/);
    }, 120_000);
  });
}
