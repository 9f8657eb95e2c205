import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../bot/store/db.ts';
import { migrate } from '../../../bot/store/migrate.ts';
import { createConversation, findOrStartConversation, getConversation } from '../../../bot/store/conversations.ts';
import { commitTurn, ensureSetting, getRepliesTo, getTrace, insertInbound, listMessages, listUnfinished, loadImages, markSent } from '../../../bot/store/messages.ts';
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

    test('committing a turn stores its messages as pending, in order, and the inbound as processed with the trace; sending marks them sent', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      const { message } = await insertInbound(db, inbound(c.id, 'm2'));
      const trace = [{ stage: 'guard-in' as const, decision: 'allow', ms: 0.1 }];
      const replies = await commitTurn(db, {
        conversationId: c.id,
        channel: 'web',
        inboundId: message.id,
        replies: [
          { text: 'Hi!', sources: [{ title: 'FAQ', url: '/help/en/faq#a' }], quickReplies: [{ label: 'Human', payload: 'human' }] },
          { text: 'Anything else?', sources: [], quickReplies: [] },
        ],
        trace,
      });
      expect(replies!.map((r) => [r.text, r.author, r.status, r.replyTo])).toEqual([['Hi!', 'bot', 'pending', message.id], ['Anything else?', 'bot', 'pending', message.id]]);
      expect(replies![0]!.sources).toEqual([{ title: 'FAQ', url: '/help/en/faq#a' }]);
      expect(replies![0]!.quickReplies).toEqual([{ label: 'Human', payload: 'human' }]);
      expect(await getTrace(db, message.id)).toEqual(trace);
      const unfinished = (await listUnfinished(db)).map((m) => m.id);
      expect(unfinished).toEqual(expect.arrayContaining(replies!.map((r) => r.id)));
      expect(unfinished).not.toContain(message.id);
      await markSent(db, replies!.map((r) => r.id));
      expect((await listUnfinished(db)).map((m) => m.id)).not.toContain(replies![0]!.id);
      expect((await getRepliesTo(db, message.id)).map((r) => r.id)).toEqual(replies!.map((r) => r.id));
    });

    test('a turn that sends nothing still marks its message processed', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      const { message } = await insertInbound(db, inbound(c.id, 'm-none'));
      expect(await commitTurn(db, { conversationId: c.id, channel: 'web', inboundId: message.id, replies: [] })).toEqual([]);
      expect((await listMessages(db, c.id)).map((m) => m.status)).toEqual(['processed']);
    });

    test("a message's turn is committed once: a second commit stores nothing and leaves the first", async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      const { message } = await insertInbound(db, inbound(c.id, 'm3'));
      const commit = () => commitTurn(db, { conversationId: c.id, channel: 'web', inboundId: message.id, replies: [{ text: 'once', sources: [], quickReplies: [] }] });
      const [first, second] = await Promise.all([commit(), commit()]);
      expect([first, second].filter((r) => r === null)).toHaveLength(1);
      expect((await listMessages(db, c.id)).filter((m) => m.direction === 'out').map((m) => m.text)).toEqual(['once']);
    });

    test('an inbound message is stored with its images\' bytes, once per content', async () => {
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
      const image = { mime: 'image/png', bytes, sha256: 'a'.repeat(64), name: 'receipt.png' };
      const { message } = await insertInbound(db, { ...inbound(c.id, 'img1'), images: [image] });
      await insertInbound(db, { ...inbound(c.id, 'img2'), images: [image] });
      expect(await loadImages(db, message.id)).toEqual([image]);
      expect(await db.query('select sha256 from attachments where sha256 = $1', [image.sha256])).toHaveLength(1);
    });

    test('a message to a conversation that does not exist or is closed is refused and not stored', async () => {
      await expect(insertInbound(db, inbound('no-such-conversation', 'x'))).rejects.toMatchObject({ code: 'unknown_conversation' });
      const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'c1', locale: 'en' });
      await db.query(`update conversations set mode = 'closed' where id = $1`, [c.id]);
      await expect(insertInbound(db, inbound(c.id, 'x'))).rejects.toMatchObject({ code: 'conversation_closed' });
      expect(await listMessages(db, c.id)).toEqual([]);
    });

    test('a thread-shaped channel finds its conversation by reference, and starts it only once', async () => {
      const ref = { team: 'T1', thread: '1700000000.0001' };
      const started = await Promise.all([1, 2, 3].map(() => findOrStartConversation(db, { botId: 'demo', channel: 'echo', customerId: 'U1', locale: 'en', ref })));
      expect(new Set(started.map((s) => s.id)).size).toBe(1);
      expect(started[0]!.ref).toEqual(ref);
      const other = await findOrStartConversation(db, { botId: 'demo', channel: 'echo', customerId: 'U1', locale: 'en', ref: { ...ref, thread: '2' } });
      expect(other.id).not.toBe(started[0]!.id);
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
