/**
 * A conversation's flow state travels with its turn: read with the turn's context, stored by the turn's commit
 * in the same statement as its replies — or not at all when the commit does not happen.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation } from '../../../bot/store/conversations.ts';
import { commitTurn, insertInbound, readTurnContext } from '../../../bot/store/messages.ts';
import type { Db } from '../../../bot/turn/database.ts';
import type { FlowState, Stage } from '../../../bot/turn/types.ts';
import { MIGRATED_DATABASES, type TestDatabase } from '../../helpers/databases.ts';
import { deliveryOn } from '../../helpers/delivery.ts';

const reply = (text: string) => ({ text, sources: [], quickReplies: [] });

for (const backend of MIGRATED_DATABASES) {
  describe(`flow state per conversation, kept by the turn's commit (${backend.name})`, () => {
    let h: TestDatabase | undefined;
    beforeAll(async () => void (h = await backend.open(4)));
    afterAll(async () => h?.dispose());
    const conversation = async (db: Db) => (await createConversation(db, { botId: 'b', channel: 'web', customerId: `c${Math.random()}`, locale: 'en' })).id;
    const inbound = async (db: Db, conversationId: string, text = 'hello') =>
      (await insertInbound(db, { channel: 'web', channelMessageId: `m${Math.random()}`, conversationId, customerId: 'c', text, images: [], receivedAt: new Date() })).message;
    const stateOf = async (db: Db, conversationId: string) => (await readTurnContext(db, conversationId, Number.MAX_SAFE_INTEGER, 5))!.flowState;
    const commit = (db: Db, conversationId: string, inboundId: number, flowState?: FlowState | null) =>
      commitTurn(db, { conversationId, channel: 'web', inboundId, replies: [reply('ok')], ...(flowState !== undefined ? { flowState } : {}) });

    it('keeps each conversation’s flow apart, replaces it on a commit, leaves it on a commit that names none and forgets it on one that clears it', async (ctx) => {
      if (!h) return ctx.skip();
      const { db } = h;
      const [a, b] = [await conversation(db), await conversation(db)];
      expect(await stateOf(db, a)).toBeNull();
      await commit(db, a, (await inbound(db, a)).id, { flow: 'track_order', step: 0, slots: {}, attempts: 1, result: null, locale: 'zh' });
      await commit(db, b, (await inbound(db, b)).id, { flow: 'start_return', step: 4, slots: { order_number: 'LM202611200008' }, attempts: 0, result: { item: { en: 'shoes' } }, locale: 'en' });
      await commit(db, a, (await inbound(db, a)).id, { flow: 'track_order', step: 1, slots: { order_number: 'LM202611280042' }, attempts: 0, result: null, locale: 'zh' });
      expect(await stateOf(db, a)).toMatchObject({ flow: 'track_order', step: 1, slots: { order_number: 'LM202611280042' }, attempts: 0, result: null, locale: 'zh', updatedAt: expect.any(Date) });
      expect(await stateOf(db, b)).toMatchObject({ flow: 'start_return', step: 4, slots: { order_number: 'LM202611200008' }, result: { item: { en: 'shoes' } } });
      // the context the message insert returns carries it too
      const next = await insertInbound(db, { channel: 'web', channelMessageId: `m${Math.random()}`, conversationId: b, customerId: 'c', text: 'hi', images: [], receivedAt: new Date() });
      expect(next.context?.flowState).toMatchObject({ flow: 'start_return', step: 4 });
      await commit(db, b, next.message.id);
      expect(await stateOf(db, b)).toMatchObject({ flow: 'start_return', step: 4 });
      await commit(db, a, (await inbound(db, a)).id, null);
      expect(await stateOf(db, a)).toBeNull();
      expect(await stateOf(db, b)).not.toBeNull();
    });

    it('a commit that finds its message already processed stores no flow state: neither a new step nor a clear', async (ctx) => {
      if (!h) return ctx.skip();
      const { db } = h;
      const c = await conversation(db);
      const m = await inbound(db, c);
      await commit(db, c, m.id, { flow: 'track_order', step: 1, slots: {}, attempts: 0, result: null, locale: 'en' });
      expect(await commit(db, c, m.id, { flow: 'track_order', step: 2, slots: { order_number: 'LM1' }, attempts: 0, result: null, locale: 'en' })).toBeNull();
      expect(await stateOf(db, c)).toMatchObject({ step: 1, slots: {} });
      expect(await commit(db, c, m.id, null)).toBeNull();
      expect(await stateOf(db, c)).toMatchObject({ step: 1 });
    });

    it('a turn whose pipeline throws before its commit leaves the flow where it was, and the turn run again sees that step', async (ctx) => {
      if (!h) return ctx.skip();
      const { db } = h;
      const c = await conversation(db);
      await commit(db, c, (await inbound(db, c)).id, { flow: 'track_order', step: 1, slots: {}, attempts: 0, result: null, locale: 'en' });
      const seen: (number | undefined)[] = [];
      let crash = true;
      const flow: Stage = {
        name: 'flow',
        run(t) {
          seen.push(t.flowState?.step);
          t.nextFlowState = { ...t.flowState!, step: t.flowState!.step + 1 };
          t.drafts = [reply(`step ${t.flowState!.step + 1}`)];
          return { decision: 'flow' };
        },
      };
      const compose: Stage = {
        name: 'compose',
        run() {
          if (crash) throw new Error('the process stops here');
          return { decision: 'kept' };
        },
      };
      const allow: Stage = { name: 'guard-out', always: true, run: (t) => ((t.replies = t.drafts), { decision: 'allow' }) };
      const { runner } = deliveryOn(db, { stages: { flow, compose, 'guard-out': allow }, channels: { web: { send: async () => {}, pushes: false } } });
      const m = await inbound(db, c, 'LM202611280042');
      await expect(runner.schedule(m, { channel: 'web', channelMessageId: 'x', conversationId: c, customerId: 'c', text: m.text, images: [], receivedAt: new Date() })).rejects.toThrow('the process stops here');
      expect(await stateOf(db, c)).toMatchObject({ step: 1 });
      crash = false; // recovery runs the turn again
      const replies = await runner.schedule(m, { channel: 'web', channelMessageId: 'x', conversationId: c, customerId: 'c', text: m.text, images: [], receivedAt: new Date() });
      expect(seen).toEqual([1, 1]);
      expect(replies.map((r) => r.text)).toEqual(['step 2']);
      expect(await stateOf(db, c)).toMatchObject({ step: 2 });
    });
  });
}
