/**
 * Channels' outbound pace: the outbox sends into one place (a Slack channel, a Teams conversation) no
 * faster than the channel's service takes, waits out a 429's Retry-After, and — with Redis — keeps one
 * pace across kefu processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox } from '../../../bot/inbox/outbox.ts';
import { createPacer } from '../../../bot/inbox/pacer.ts';
import { createLocalBus } from '../../../bot/live/bus.ts';
import { createConversation } from '../../../bot/store/conversations.ts';
import { openDb } from '../../../bot/store/open.ts';
import { ChannelBusy, type Channel } from '../../../bot/turn/channel.ts';
import type { Db } from '../../../bot/turn/database.ts';

let db: Db;
beforeAll(async () => {
  db = (await openDb({})).db;
});
afterAll(() => db.close());

/** A channel that records when each message went out, paced per `place`, optionally busy at first. */
function placeChannel(minTimeMs: number, busyFirst?: number) {
  const sent: { place: string; text: string; at: number }[] = [];
  let busy = busyFirst;
  const channel: Pick<Channel<{ place: string }>, 'send' | 'pace'> = {
    async send(ref, message) {
      if (busy !== undefined) {
        const retryAfterMs = busy;
        busy = undefined;
        sent.push({ place: ref.place, text: '(refused: 429)', at: performance.now() });
        throw new ChannelBusy('slow down', retryAfterMs);
      }
      sent.push({ place: ref.place, text: message.text, at: performance.now() });
    },
    pace: { key: (ref) => ref.place, minTimeMs },
  };
  return { channel: channel as Pick<Channel, 'send' | 'pace'>, sent };
}

const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
const conversationIn = (place: string) => createConversation(db, { botId: 'demo', channel: 'paced', customerId: 'u', locale: 'en', ref: { place } });

describe('outbound pace', () => {
  it('sends into one place at least minTime apart, in order, without holding up another place', async () => {
    const pacer = createPacer();
    const { channel, sent } = placeChannel(250);
    const outbox = createOutbox({ db, bus: createLocalBus(), pacer, channels: new Map([['paced', channel]]) });
    const [a, b] = [await conversationIn('C-A'), await conversationIn('C-B')];
    await Promise.all([...['1', '2', '3'].map((t) => outbox.send(a, { author: 'bot', text: `a${t}` })), outbox.send(b, { author: 'bot', text: 'b1' })]);
    const inA = sent.filter((s) => s.place === 'C-A');
    expect(inA.map((s) => s.text)).toEqual(['a1', 'a2', 'a3']);
    // Bottleneck launches each send 250 ms after the last launch; a send is recorded when it runs, which on a
    // busy machine can lag its launch by the event loop's delay, so a recorded gap may come out a little short
    // (unpaced, the three sends go out within a millisecond or two)
    for (const gap of gaps(inA.map((s) => s.at))) expect(gap).toBeGreaterThanOrEqual(180);
    expect(sent.find((s) => s.place === 'C-B')!.at).toBeLessThan(inA[2]!.at); // B did not queue behind A
    await pacer.close();
  });

  it('waits out the Retry-After of a 429 before sending again', async () => {
    const { channel, sent } = placeChannel(0, 400);
    const outbox = createOutbox({ db, bus: createLocalBus(), pacer: createPacer(), channels: new Map([['paced', channel]]), backoffMs: 1 });
    const stored = await outbox.send(await conversationIn('C-429'), { author: 'agent', text: 'hello' });
    expect(stored.status).toBe('sent');
    expect(sent.map((s) => s.text)).toEqual(['(refused: 429)', 'hello']);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(390);
  });

  it.skipIf(!process.env.KEFU_TEST_REDIS_URL)('keeps one pace for a place across two processes sharing Redis', async () => {
    const [first, second] = [createPacer({ redisUrl: process.env.KEFU_TEST_REDIS_URL }), createPacer({ redisUrl: process.env.KEFU_TEST_REDIS_URL })];
    const place = `C-shared-${Date.now()}`;
    const times: number[] = [];
    const task = async () => void times.push(performance.now());
    await Promise.all([0, 1, 2].flatMap(() => [first.schedule('slack', place, 400, task), second.schedule('slack', place, 400, task)]));
    times.sort((x, y) => x - y);
    expect(times).toHaveLength(6);
    // Redis's clock spaces the starts; each process hears its turn a little late or early, so allow
    // some jitter. Two processes pacing alone would start their first tasks together (a gap near 0).
    for (const gap of gaps(times)) expect(gap).toBeGreaterThanOrEqual(300);
    await Promise.all([first.close(), second.close()]);
  });
});
