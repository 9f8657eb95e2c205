/** A turn's cost in database round trips, counted on a wrapper around the real database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../adapters/index.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { createConversation } from '../../../bot/store/conversations.ts';
import type { Channel } from '../../../bot/turn/channel.ts';
import type { Db } from '../../../bot/turn/database.ts';
import { openDb } from '../../../bot/store/open.ts';
import type { Stage } from '../../../bot/turn/types.ts';
import { countingDb } from '../../helpers/counting-db.ts';
import { deliveryOn, recordingChannel } from '../../helpers/delivery.ts';
import { newSession, postMessage } from '../../helpers/kefu.ts';

let db: Db;
beforeAll(async () => {
  db = (await openDb({})).db;
});
afterAll(() => db.close());

const answer: Stage = { name: 'compose', run: (t) => ((t.drafts = [{ text: 'Standard delivery takes 3–5 days.', sources: [], quickReplies: [] }]), { decision: 'answer' }) };
const allowAll: Stage = { name: 'guard-out', always: true, run: (t) => ((t.replies = t.drafts), { decision: 'allow' }) };

describe("a turn's own statements", () => {
  async function turns(channel: Pick<Channel, 'send' | 'pushes'>, expected: RegExp[]) {
    const { db: counted, statements } = countingDb(db);
    const { inbox, runner } = deliveryOn(counted, { stages: { compose: answer, 'guard-out': allowAll }, channels: { web: channel } });
    const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'u1', locale: 'en' });
    for (let i = 0; i < 3; i++) {
      // a conversation with some history: every turn reads it, and the cost stays the same
      statements.length = 0;
      const accepted = await inbox.accept({ channel: 'web', channelMessageId: `${c.id}/${i}`, conversationId: c.id, customerId: 'u1', text: 'how long does delivery take', images: [], receivedAt: new Date() });
      const replies = await accepted.replies;
      await runner.idle();
      expect(replies.map((r) => r.status)).toEqual(['sent']);
      expect(replies[0]!.text).toBe('Standard delivery takes 3–5 days.');
      expect(statements, statements.join('\n')).toHaveLength(expected.length);
      expected.forEach((pattern, k) => expect(statements[k]).toMatch(pattern));
    }
  }

  it('are three for a channel that pushes: the message stored with its context read, the commit, the reply marked sent', async () => {
    await turns(recordingChannel().channel, [/^with c as .*insert into/, /^with processed as/, /^update messages set status = 'sent'/]);
  });

  it("are two for a channel that pushes nothing itself (web): the reply is stored sent in the turn's commit", async () => {
    await turns({ send: async () => {}, pushes: false }, [/^with c as .*insert into/, /^with processed as/]);
  });

  it('read the context again, under the lock, when an earlier turn of the conversation was still waiting as the message was stored', async () => {
    const { db: counted, statements } = countingDb(db);
    // the first turn changes its conversation (as a handoff does): the turn after it must start from that
    const seen: string[] = [];
    const changes: Stage = {
      name: 'decide',
      async run(t) {
        seen.push(`${t.text}: ${t.conversation.mode}`);
        if (t.text === 'first') await db.query("update conversations set mode = 'queued' where id = $1", [t.conversation.id]);
        return { decision: 'answer' };
      },
    };
    const { inbox, runner } = deliveryOn(counted, { stages: { decide: changes, compose: answer, 'guard-out': allowAll }, channels: { web: { send: async () => {}, pushes: false } } });
    const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'u2', locale: 'en' });
    const first = await inbox.accept({ channel: 'web', channelMessageId: `${c.id}/a`, conversationId: c.id, customerId: 'u2', text: 'first', images: [], receivedAt: new Date() });
    const second = await inbox.accept({ channel: 'web', channelMessageId: `${c.id}/b`, conversationId: c.id, customerId: 'u2', text: 'second', images: [], receivedAt: new Date() });
    await Promise.all([first.replies, second.replies]);
    await runner.idle();
    expect(seen).toEqual(['first: bot', 'second: queued']);
    expect(statements.filter((s) => s.startsWith('select c.*'))).toHaveLength(1); // the second turn's context, read again
  });
});

describe("a demo-shop customer's turn over HTTP", () => {
  let kefu: Kefu;
  let statements: string[];
  beforeAll(async () => {
    const counting = countingDb((await openDb({})).db);
    statements = counting.statements;
    // the selector's knowledge poll is put off; the handoff sweep's first run is 30 s away, after these turns
    kefu = await startKefu({ channels: channels(), botDir: 'examples/demo-shop', port: 0, db: counting.db, knowledgePollMs: 3_600_000 });
  });
  afterAll(async () => kefu?.close());

  it('makes at most three database round trips from the posted question to the answer, with history and Chinese included', async () => {
    const s = await newSession(kefu.url, 'en');
    // the first search after start reads the knowledge base into memory, once per knowledge version
    expect((await postMessage(kefu.url, s, { text: 'which payment methods do you accept', clientMessageId: 'warm-up' })).status).toBe(200);
    for (const [i, text] of ['How long does delivery take?', 'can i return a shirt i wore once', '怎么开发票'].entries()) {
      statements.length = 0;
      const res = await postMessage(kefu.url, s, { text, clientMessageId: `q${i}` });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { reply: { sources: unknown[] } | null };
      expect(body.reply?.sources.length).toBeGreaterThan(0); // answered from the help centre: the common path
      expect(statements.length, statements.join('\n')).toBeLessThanOrEqual(3);
    }
  });

  it("a turn inside a flow makes two: the flow state is read with the turn's context and kept by the commit, no statement of its own", async () => {
    const s = await newSession(kefu.url, 'en');
    for (const [i, [text, payload]] of [['Track an order', 'flow:start:track_order'], ['how long does delivery take?', undefined]].entries()) {
      // the flow starts (and asks for the order number), then a question mid-flow keeps it alive
      statements.length = 0;
      const res = await postMessage(kefu.url, s, { text: text!, ...(payload ? { payload } : {}), clientMessageId: `f${i}` });
      expect(res.status).toBe(200);
      expect(statements, statements.join('\n')).toHaveLength(2);
      expect(statements[0]).toMatch(/^with c as .*insert into/);
      expect(statements[1]).toMatch(/^with processed as/);
    }
    const [row] = await kefu.db.query<{ flow: string }>('select flow from flow_states where conversation_id = $1', [s.conversationId]);
    expect(row?.flow).toBe('track_order');
  });
});
