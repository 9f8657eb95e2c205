import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimHandoff, claimNextHandoff, notePositionTold, queuePosition, requestHandoff, resolveHandoff, takeQueueMoves, timeOutUnclaimed } from '../../../bot/handoff/queue.ts';
import { addStaffUser, type StaffUser } from '../../../bot/staff/accounts.ts';
import { createConversation, getConversation } from '../../../bot/store/conversations.ts';
import type { Db } from '../../../bot/turn/database.ts';
import { MIGRATED_DATABASES, type TestDatabase } from '../../helpers/databases.ts';

const BOT = 'demo-shop';
const newConversation = async (db: Db) => (await createConversation(db, { botId: BOT, channel: 'web', customerId: `c${Math.random()}`, locale: 'en' })).id;
const agent = (db: Db, login: string, role: 'agent' | 'admin', teams: string[], capacity = 3) =>
  addStaffUser(db, { login, role, teams, password: 'a long password' }).then(async (u) => {
    await db.query('update staff_users set capacity = $2 where id = $1', [u.id, capacity]);
    return u;
  });


for (const backend of MIGRATED_DATABASES) {
  describe(`handoff queue (${backend.name})`, () => {
    let h: TestDatabase | undefined;
    let db: Db;
    let li: StaffUser, wang: StaffUser, admin: StaffUser;
    beforeAll(async () => {
      h = await backend.open(24);
      if (!h) return;
      db = h.db;
      li = await agent(db, 'li', 'agent', ['returns']);
      wang = await agent(db, 'wang', 'agent', ['returns']);
      admin = await agent(db, 'boss', 'admin', []);
    }, 120_000);
    afterAll(async () => h?.dispose());

    it('queues a conversation once, marks it queued, and gives each waiting customer a place', async (ctx) => {
      if (!h) return ctx.skip();
      const c1 = await newConversation(db);
      const c2 = await newConversation(db);
      const first = await requestHandoff(db, { conversationId: c1, botId: BOT, reason: 'asked for a human', team: 'billing' });
      expect(await requestHandoff(db, { conversationId: c1, botId: BOT, reason: 'asked again', team: 'billing' })).toEqual(first);
      const second = await requestHandoff(db, { conversationId: c2, botId: BOT, reason: 'complaint', team: 'billing' });
      expect((await getConversation(db, c1))!.mode).toBe('queued');
      expect([await queuePosition(db, first.id), await queuePosition(db, second.id)]).toEqual([1, 2]);
      expect((await claimHandoff(db, first.id, admin))!.status).toBe('claimed');
      expect(await queuePosition(db, second.id)).toBe(1);
      expect(await queuePosition(db, first.id)).toBeNull();
    });

    it('lets one agent claim a handoff; the second agent, and an agent of another team, cannot', async (ctx) => {
      if (!h) return ctx.skip();
      const c = await newConversation(db);
      const ho = await requestHandoff(db, { conversationId: c, botId: BOT, reason: 'asked for a human', team: 'returns' });
      const [a, b] = await Promise.all([claimHandoff(db, ho.id, li), claimHandoff(db, ho.id, wang)]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      const other = await agent(db, `x${ho.id}`, 'agent', ['billing']);
      const c2 = await newConversation(db);
      const ho2 = await requestHandoff(db, { conversationId: c2, botId: BOT, reason: 'asked for a human', team: 'returns' });
      expect(await claimHandoff(db, ho2.id, other)).toBeNull();
      expect((await getConversation(db, c))!.mode).toBe('agent');
    });

    it('resolving returns the conversation to the bot, and only its agent can resolve it', async (ctx) => {
      if (!h) return ctx.skip();
      const c = await newConversation(db);
      const ho = await requestHandoff(db, { conversationId: c, botId: BOT, reason: 'asked for a human' });
      await claimHandoff(db, ho.id, admin);
      expect(await resolveHandoff(db, ho.id, li.id)).toBeNull();
      expect((await resolveHandoff(db, ho.id, admin.id))!.status).toBe('resolved');
      expect((await getConversation(db, c))!.mode).toBe('bot');
      // a new request after resolution opens a new handoff
      expect((await requestHandoff(db, { conversationId: c, botId: BOT, reason: 'again' })).id).not.toBe(ho.id);
    });

    it('claim-next takes the longest waiting of the agent’s teams and stops at the agent’s capacity', async (ctx) => {
      if (!h) return ctx.skip();
      const bot = `cap-${backend.name.length}`;
      const solo = await agent(db, `solo-${bot}`, 'agent', ['vip'], 2);
      const ids: number[] = [];
      for (const team of ['vip', 'other', 'vip', 'vip']) ids.push((await requestHandoff(db, { conversationId: await newConversation(db), botId: bot, reason: 'r', team })).id);
      expect((await claimNextHandoff(db, bot, solo))!.id).toBe(ids[0]);
      expect((await claimNextHandoff(db, bot, solo))!.id).toBe(ids[2]);
      expect(await claimNextHandoff(db, bot, solo)).toBeNull(); // capacity 2 reached
    });

    it('a moving queue gives each waiting customer whose place changed their new place once, even to two sweeps at once', async (ctx) => {
      if (!h) return ctx.skip();
      const bot = `moves-${backend.name.length}`;
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) {
        const ho = await requestHandoff(db, { conversationId: await newConversation(db), botId: bot, reason: 'r', team: 'returns' });
        await notePositionTold(db, ho.id, i + 1); // what the handoff stage told each when they joined
        ids.push(ho.id);
      }
      expect(await takeQueueMoves(db, bot)).toEqual([]);
      await claimHandoff(db, ids[0]!, li);
      const [x, y] = await Promise.all([takeQueueMoves(db, bot), takeQueueMoves(db, bot)]);
      const told = [...x, ...y].sort((p, q) => p.handoffId - q.handoffId);
      expect(told.map((m) => [m.handoffId, m.position])).toEqual([[ids[1], 1], [ids[2], 2], [ids[3], 3]]);
      expect(told.every((m) => m.minutes >= 1)).toBe(true);
      expect(await takeQueueMoves(db, bot)).toEqual([]);
    });

    it('times out only handoffs unclaimed since before the cut-off, each once when two sweeps run at once; they can still be claimed', async (ctx) => {
      if (!h) return ctx.skip();
      const bot = `sweep-${backend.name.length}`;
      const old: number[] = [];
      for (let i = 0; i < 6; i++) old.push((await requestHandoff(db, { conversationId: await newConversation(db), botId: bot, reason: 'r' })).id);
      await db.query("update handoffs set requested_at = now() - interval '20 minutes' where id = any($1::bigint[])", [old]);
      const recent = await requestHandoff(db, { conversationId: await newConversation(db), botId: bot, reason: 'r' });
      const cutoff = new Date(Date.now() - 15 * 60_000);
      const [x, y] = await Promise.all([timeOutUnclaimed(db, bot, cutoff), timeOutUnclaimed(db, bot, cutoff)]);
      expect([...x, ...y].map((t) => t.id).sort((p, q) => p - q)).toEqual(old);
      expect([...x, ...y].every((t) => t.status === 'timed_out')).toBe(true);
      expect(await timeOutUnclaimed(db, bot, cutoff)).toEqual([]);
      expect(await queuePosition(db, recent.id)).toBe(1); // timed-out ones no longer stand ahead
      expect((await claimHandoff(db, old[0]!, admin))!.status).toBe('claimed');
    });

    it('20 agents claiming from 100 queued handoffs at once: each handoff claimed exactly once', async (ctx) => {
      if (!h) return ctx.skip();
      const bot = `rush-${backend.name.length}`;
      const queued = new Set<number>();
      for (let i = 0; i < 100; i++) queued.add((await requestHandoff(db, { conversationId: await newConversation(db), botId: bot, reason: 'rush', team: 'rush' })).id);
      const agents = await Promise.all(Array.from({ length: 20 }, (_, i) => agent(db, `rush${i}-${bot}`, 'agent', ['rush'], 10)));
      const claims = await Promise.all(
        agents.map(async (a) => {
          const mine: number[] = [];
          for (let got = await claimNextHandoff(db, bot, a); got; got = await claimNextHandoff(db, bot, a)) mine.push(got.id);
          return mine;
        }),
      );
      const all = claims.flat();
      expect(all).toHaveLength(100);
      expect(new Set(all)).toEqual(queued);
      expect(Math.max(...claims.map((c) => c.length))).toBeLessThanOrEqual(10);
      const [{ n }] = await db.query<{ n: string }>("select count(*) as n from handoffs where bot_id = $1 and status = 'claimed'", [bot]);
      expect(Number(n)).toBe(100);
    }, 120_000);
  });
}
