import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../bot/store/db.ts';
import { migrate } from '../../../bot/store/migrate.ts';
import { createConversation, getConversation } from '../../../bot/store/conversations.ts';
import { commitTurn, ensureSetting, getReplyTo, insertInbound, listMessages, listUnfinished, markSent, saveTrace, getTrace } from '../../../bot/store/messages.ts';
import type { InboundMessage } from '../../../bot/turn/types.ts';
import type { TestDatabase } from '../../helpers/databases.ts';

const inbound = (conversationId: string, id: string, text = 'hello'): InboundMessage => ({
  channel: 'web',
  channelMessageId: `${conversationId}/${id}`,
  conversationId,
  customerId: 'c1',
  text,
  images: [],
  receivedAt: new Date(),
});

/** The store's behaviour, the same on every backend. */
export function storeSuite(name: string, open: () => Promise<TestDatabase | undefined>) {
  describe(`store on ${name}`, () => {
    let t: TestDatabase | undefined;
    let db: Db;
    beforeAll(async () => {
      t = await open();
      if (t) {
        db = t.db;
        await migrate(db);
      }
    });
    afterAll(async () => t?.dispose());
    const test = (title: string, fn: () => Promise<void>) => it(title, async (ctx) => (t ? fn() : ctx.skip()));

    test('migrations are applied once: a second run applies nothing', async () => {
      const again = await migrate(db);
      expect(again.applied).toEqual([]);
      const rows = await db.query<{ name: string }>('select name from schema_migrations order by name');
      expect(rows.map((r) => r.name)).toContain('001_core.sql');
    });

    test('a conversation is stored and read back with its mode and locale', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'zh' });
      const read = await getConversation(db, c.id);
      expect(read).toMatchObject({ id: c.id, botId: 'demo', channel: 'web', customerId: 'c1', mode: 'bot', locale: 'zh' });
      expect(await getConversation(db, 'no-such-id')).toBeUndefined();
    });

    test('an inbound message is persisted as received; a repeated channel message id is a duplicate, not a second row', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      const first = await insertInbound(db, inbound(c.id, 'm1', 'where is my order'));
      expect(first.duplicate).toBe(false);
      expect(first.message.status).toBe('received');
      const again = await insertInbound(db, inbound(c.id, 'm1', 'where is my order'));
      expect(again.duplicate).toBe(true);
      expect(again.message.id).toBe(first.message.id);
      expect(await listMessages(db, c.id)).toHaveLength(1);
    });

    test('committing a turn stores the reply as pending and the inbound as processed; sending marks it sent', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      const { message } = await insertInbound(db, inbound(c.id, 'm2'));
      const reply = await db.transaction((tx) =>
        commitTurn(tx, { conversationId: c.id, channel: 'web', inboundId: message.id, reply: { text: 'Hi!', sources: [{ title: 'FAQ', url: '/help/en/faq#a' }], quickReplies: [{ label: 'Human', payload: 'human' }] } }),
      );
      expect(reply).toMatchObject({ direction: 'out', author: 'bot', status: 'pending', text: 'Hi!', replyTo: message.id });
      expect(reply!.sources).toEqual([{ title: 'FAQ', url: '/help/en/faq#a' }]);
      const unfinished = await listUnfinished(db);
      expect(unfinished.map((m) => m.id)).toContain(reply!.id);
      expect(unfinished.map((m) => m.id)).not.toContain(message.id);
      await markSent(db, reply!.id);
      expect((await listUnfinished(db)).map((m) => m.id)).not.toContain(reply!.id);
      expect((await getReplyTo(db, message.id))?.id).toBe(reply!.id);
    });

    test('a message can never get two bot replies (the second commit fails and leaves the first)', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      const { message } = await insertInbound(db, inbound(c.id, 'm3'));
      const commit = () => db.transaction((tx) => commitTurn(tx, { conversationId: c.id, channel: 'web', inboundId: message.id, reply: { text: 'once', sources: [], quickReplies: [] } }));
      await commit();
      await expect(commit()).rejects.toThrow();
      expect((await listMessages(db, c.id)).filter((m) => m.direction === 'out')).toHaveLength(1);
    });

    test('a failed transaction leaves nothing behind', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      await expect(
        db.transaction(async (tx) => {
          await tx.query(`insert into messages (conversation_id, direction, author, channel, text, status) values ($1, 'in', 'customer', 'web', 'x', 'received')`, [c.id]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await listMessages(db, c.id)).toHaveLength(0);
    });

    test('the trace is stored with the message', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      const { message } = await insertInbound(db, inbound(c.id, 'm4'));
      await saveTrace(db, [message.id], [{ stage: 'guard-in', decision: 'allow', ms: 0.1 }]);
      expect(await getTrace(db, message.id)).toEqual([{ stage: 'guard-in', decision: 'allow', ms: 0.1 }]);
    });

    test('history keeps the most recent messages, oldest first', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      for (let i = 0; i < 5; i++) await insertInbound(db, inbound(c.id, `h${i}`, `msg ${i}`));
      expect((await listMessages(db, c.id, 3)).map((m) => m.text)).toEqual(['msg 2', 'msg 3', 'msg 4']);
    });

    test('a setting keeps the first value written (every process agrees on one secret)', async () => {
      expect(await ensureSetting(db, 'k', 'first')).toBe('first');
      expect(await ensureSetting(db, 'k', 'second')).toBe('first');
    });

    test('holders of one lock run one at a time, in call order; other keys do not wait', async () => {
      const order: string[] = [];
      const slow = (tag: string, ms: number) => db.withLock('conversation:x', async () => {
        order.push(`${tag}+`);
        await new Promise((r) => setTimeout(r, ms));
        order.push(`${tag}-`);
      });
      const other = db.withLock('conversation:y', async () => { order.push('y'); });
      await Promise.all([slow('a', 60), slow('b', 10), slow('c', 0), other]);
      const xs = order.filter((o) => o !== 'y');
      expect(xs).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
      expect(order.indexOf('y')).toBeLessThan(order.indexOf('a-'));
    });
  });
}

/** The vector parts of the schema: pgvector with an HNSW cosine index, as knowledge search uses it. */
export function vectorSuite(name: string, open: () => Promise<TestDatabase>) {
  describe(`pgvector on ${name}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await open();
      await migrate(t.db);
    });
    afterAll(async () => t?.dispose());

    it('the vector migrations are applied where pgvector exists', async () => {
      const rows = await t.db.query<{ extname: string }>("select extname from pg_extension where extname = 'vector'");
      expect(rows).toHaveLength(1);
      const applied = await t.db.query<{ name: string }>("select name from schema_migrations where name like '%.vector.sql'");
      expect(applied.length).toBeGreaterThan(0);
    });

    it('an HNSW cosine index answers nearest-neighbour queries', async () => {
      await t.db.exec('create table if not exists vt (id int primary key, v vector(3))');
      await t.db.exec('create index if not exists vt_hnsw on vt using hnsw (v vector_cosine_ops)');
      await t.db.query("insert into vt values (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0.9,0.1,0]')");
      const rows = await t.db.query<{ id: number }>("select id from vt order by v <=> '[1,0,0]' limit 2");
      expect(rows.map((r) => Number(r.id))).toEqual([1, 3]);
    });
  });
}
