/** A turn's cost in database round trips, counted on a wrapper around the real database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation } from '../../../bot/store/conversations.ts';
import type { Db, Queryable } from '../../../bot/store/db.ts';
import { openDb } from '../../../bot/store/open.ts';
import type { Stage } from '../../../bot/turn/types.ts';
import { deliveryOn, recordingChannel } from '../../helpers/delivery.ts';

let db: Db;
beforeAll(async () => {
  db = (await openDb({})).db;
});
afterAll(() => db.close());

/** The database with every statement it is sent counted (a transaction counts each of its statements, plus begin and commit). */
function counting(inner: Db) {
  const statements: string[] = [];
  const count = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      statements.push(sql.replace(/\s+/g, ' ').trim().slice(0, 60));
      return q.query(sql, params);
    },
  });
  const db: Db = {
    ...inner,
    ...count(inner),
    exec: (sql) => (statements.push(sql.slice(0, 60)), inner.exec(sql)),
    transaction: (fn) => {
      statements.push('begin', 'commit');
      return inner.transaction((tx) => fn(count(tx)));
    },
    withLock: (key, fn) => inner.withLock(key, fn),
    close: () => inner.close(),
  };
  return { db, statements };
}

const answer: Stage = { name: 'compose', run: (t) => ((t.drafts = [{ text: 'Standard delivery takes 3–5 days.', sources: [], quickReplies: [] }]), { decision: 'answer' }) };
const allowAll: Stage = { name: 'guard-out', always: true, run: (t) => ((t.replies = t.drafts), { decision: 'allow' }) };

describe('a turn\'s cost', () => {
  it('is at most four database round trips from the customer\'s message to the sent answer', async () => {
    const { db: counted, statements } = counting(db);
    const { inbox, runner } = deliveryOn(counted, { stages: { compose: answer, 'guard-out': allowAll }, channels: { web: recordingChannel().channel } });
    const c = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'u1', locale: 'en' });
    for (let i = 0; i < 3; i++) {
      // a conversation with some history: every turn reads it, and the cost stays the same
      statements.length = 0;
      const accepted = await inbox.accept({ channel: 'web', channelMessageId: `${c.id}/${i}`, conversationId: c.id, customerId: 'u1', text: 'how long does delivery take', images: [], receivedAt: new Date() });
      const replies = await accepted.replies;
      await runner.idle();
      expect(replies.map((r) => r.status)).toEqual(['sent']);
      expect(statements, statements.join('\n')).toHaveLength(4);
    }
  });
});
