/**
 * A turn sends any number of messages through the outbox: each stored once, delivered once, in order, with
 * its author; messages are sent outside turns too; what a channel could not take stays pending and is sent at
 * recovery.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recover } from '../../../bot/inbox/recovery.ts';
import { createConversation } from '../../../bot/store/conversations.ts';
import type { Db } from '../../../bot/turn/database.ts';
import { insertInbound, listMessages } from '../../../bot/store/messages.ts';
import { openDb } from '../../../bot/store/open.ts';
import type { Reply, Stage, StoredMessage } from '../../../bot/turn/types.ts';
import { deliveryOn, recordingChannel } from '../../helpers/delivery.ts';

let db: Db;
beforeAll(async () => {
  db = (await openDb({})).db;
});
afterAll(() => db.close());

const say = (text: string): Reply => ({ text, sources: [], quickReplies: [] });

/** A compose stage that drafts as many messages as the customer asks for ("3" → three). */
const counting: Stage = {
  name: 'compose',
  run(turn) {
    const n = Number(turn.text);
    turn.drafts = Array.from({ length: n }, (_, i) => say(`${turn.text}: ${i + 1} of ${n}`));
    return { decision: `${n} messages` };
  },
};

/** A guard-out that lets every draft through (the real one is tested in test/compliance). */
const allowAll: Stage = { name: 'guard-out', always: true, run: (turn) => ((turn.replies = turn.drafts), { decision: 'allow' }) };
const stages = { compose: counting, 'guard-out': allowAll };

async function conversation(channel = 'web') {
  return createConversation(db, { botId: 'demo', channel, customerId: 'u1', locale: 'en', ref: { thread: `t-${Math.random()}` } });
}

describe('a turn sends 0, 1 or 3 messages', () => {
  it('delivers each once, in order, live and through the channel, and answers with all of them', async () => {
    const web = recordingChannel();
    const { inbox, runner, bus } = deliveryOn(db, { stages, channels: { web: web.channel } });
    const c = await conversation();
    const live: StoredMessage[] = [];
    bus.subscribe(c.id, (m) => live.push(m));
    const answers: StoredMessage[][] = [];
    for (const [i, text] of ['0', '1', '3'].entries()) {
      const accepted = await inbox.accept({ channel: 'web', channelMessageId: `${c.id}/n${i}`, conversationId: c.id, customerId: 'u1', text, images: [], receivedAt: new Date() });
      answers.push(await accepted.replies);
    }
    await runner.idle();
    expect(answers.map((a) => a.map((m) => m.text))).toEqual([[], ['1: 1 of 1'], ['3: 1 of 3', '3: 2 of 3', '3: 3 of 3']]);
    const expected = ['1: 1 of 1', '3: 1 of 3', '3: 2 of 3', '3: 3 of 3'];
    expect(web.sent.map((s) => s.message.text)).toEqual(expected);
    expect(web.sent.every((s) => s.ref.thread === c.ref!.thread)).toBe(true);
    expect(live.map((m) => m.text)).toEqual(expected);
    const stored = await listMessages(db, c.id);
    expect(stored.map((m) => [m.author, m.text, m.status])).toEqual([
      ['customer', '0', 'processed'],
      ['customer', '1', 'processed'],
      ['bot', '1: 1 of 1', 'sent'],
      ['customer', '3', 'processed'],
      ['bot', '3: 1 of 3', 'sent'],
      ['bot', '3: 2 of 3', 'sent'],
      ['bot', '3: 3 of 3', 'sent'],
    ]);
  });

  it('answers a repeated message with the first turn\'s messages and sends nothing again', async () => {
    const web = recordingChannel();
    const { inbox, runner } = deliveryOn(db, { stages, channels: { web: web.channel } });
    const c = await conversation();
    const message = { channel: 'web', channelMessageId: `${c.id}/dup`, conversationId: c.id, customerId: 'u1', text: '3', images: [], receivedAt: new Date() };
    const [first, again] = await Promise.all([inbox.accept(message), inbox.accept(message)]);
    const [a, b] = await Promise.all([first.replies, again.replies]);
    await runner.idle();
    expect([first.duplicate, again.duplicate].sort()).toEqual([false, true]);
    expect(b.map((m) => m.id)).toEqual(a.map((m) => m.id));
    expect(web.sent).toHaveLength(3);
  });
});

describe('the outbox', () => {
  it('sends a message outside any turn with its author, through the conversation\'s channel and reference', async () => {
    const echo = recordingChannel('echo');
    const { outbox, bus } = deliveryOn(db, { stages: {}, channels: { echo: echo.channel } });
    const c = await conversation('echo');
    const live: StoredMessage[] = [];
    bus.subscribe(c.id, (m) => live.push(m));
    const notice = await outbox.send(c, { author: 'system', text: 'An agent will join shortly.' });
    const agent = await outbox.send(c, { author: 'agent', text: 'Hi, I am Li from support.' });
    expect([notice.status, agent.status]).toEqual(['sent', 'sent']);
    expect(echo.sent.map((s) => [s.ref, s.message.author, s.message.text])).toEqual([
      [c.ref, 'system', 'An agent will join shortly.'],
      [c.ref, 'agent', 'Hi, I am Li from support.'],
    ]);
    expect(live.map((m) => m.author)).toEqual(['system', 'agent']);
  });

  it('retries a failing channel and sends once it recovers', async () => {
    const web = recordingChannel();
    const { outbox } = deliveryOn(db, { stages: {}, channels: { web: web.channel } });
    const c = await conversation();
    web.failNext(2);
    const sent = await outbox.send(c, { author: 'system', text: 'third time lucky' });
    expect(sent.status).toBe('sent');
    expect(web.sent.map((s) => s.message.text)).toEqual(['third time lucky']);
  });

  it('leaves a turn\'s messages pending while the channel is down, and sends them in order at recovery, once', async () => {
    const web = recordingChannel();
    const { inbox, runner, outbox } = deliveryOn(db, { stages, channels: { web: web.channel } });
    const c = await conversation();
    web.failNext(3); // every attempt at the first message fails
    const accepted = await inbox.accept({ channel: 'web', channelMessageId: `${c.id}/down`, conversationId: c.id, customerId: 'u1', text: '3', images: [], receivedAt: new Date() });
    await accepted.replies;
    await runner.idle();
    expect(web.sent).toEqual([]);
    expect((await listMessages(db, c.id)).filter((m) => m.author === 'bot').map((m) => m.status)).toEqual(['pending', 'pending', 'pending']);

    await recover({ db, runner, outbox });
    await recover({ db, runner, outbox }); // a second recovery finds nothing left to send
    expect(web.sent.map((s) => s.message.text)).toEqual(['3: 1 of 3', '3: 2 of 3', '3: 3 of 3']);
    expect((await listMessages(db, c.id)).filter((m) => m.author === 'bot').map((m) => m.status)).toEqual(['sent', 'sent', 'sent']);
  });

  it('runs a message stored but never processed at recovery with the payload of the button that was pressed', async () => {
    const web = recordingChannel();
    /** A compose stage that says back the pressed button's payload. */
    const payloadBack: Stage = { name: 'compose', run: (turn) => ((turn.drafts = [say(`payload ${turn.inbound.payload}`)]), { decision: 'echo payload' }) };
    const { runner, outbox } = deliveryOn(db, { stages: { compose: payloadBack, 'guard-out': allowAll }, channels: { web: web.channel } });
    const c = await conversation();
    // the process stopped right after storing the press: no turn ran
    await insertInbound(db, { channel: 'web', channelMessageId: `${c.id}/press`, conversationId: c.id, customerId: 'u1', text: '★★★★', payload: 'rating:4', images: [], receivedAt: new Date() });
    await recover({ db, runner, outbox });
    await runner.idle();
    expect(web.sent.map((s) => s.message.text)).toEqual(['payload rating:4']);
  });
});

describe('a customer who types a button\'s label', () => {
  /** A compose stage that offers a button, then says which payload (if any) the next message came with. */
  const offering: Stage = {
    name: 'compose',
    run(turn) {
      turn.drafts = [turn.inbound.payload ? say(`pressed ${turn.inbound.payload}`) : { ...say(`heard ${turn.text}`), quickReplies: [{ label: 'Track an order', payload: 'flow:track_order' }] }];
      return { decision: 'answered' };
    },
  };

  it('pressed that button: the turn gets its payload; the same words when the last answer offered no button are plain text', async () => {
    const web = recordingChannel();
    const { inbox } = deliveryOn(db, { stages: { compose: offering, 'guard-out': allowAll }, channels: { web: web.channel } });
    const c = await conversation();
    const texts: string[] = [];
    for (const [i, text] of ['where is my order', 'ＴＲＡＣＫ an order', 'Track an order', 'track an order'].entries()) {
      const accepted = await inbox.accept({ channel: 'web', channelMessageId: `${c.id}/typed${i}`, conversationId: c.id, customerId: 'u1', text, images: [], receivedAt: new Date() });
      texts.push(...(await accepted.replies).map((m) => m.text));
    }
    expect(texts).toEqual(['heard where is my order', 'pressed flow:track_order', 'heard Track an order', 'pressed flow:track_order']);
  });
});
