import { describe, expect, it } from 'vitest';
import type { Channel } from '../../../../bot/turn/channel.ts';
import type { Conversation, StoredMessage, Turn } from '../../../../bot/turn/types.ts';
import { turnWatch } from './turn-watch.ts';

const conversation = (id: string) => ({ id, channel: 'slack', ref: { channel: id } }) as unknown as Conversation;
const turnOf = (c: Conversation, messageIds: number[]) => ({ conversation: c, trace: [{ stage: 'commit', decision: 'stored', ms: 1, detail: { messageIds } }] }) as unknown as Turn;
const message = (id: number) => ({ id }) as StoredMessage;

describe('the turn watch', () => {
  it('says a message was answered only once its turn finished and every message the turn stored was sent', async () => {
    const watch = turnWatch();
    const sent: number[] = [];
    const channel = watch.observe({ name: 'slack', prefix: '/slack', routes: async () => undefined, send: async (_ref: unknown, m: StoredMessage) => void sent.push(m.id) } as unknown as Channel);
    const c = conversation('D1');
    let answered: Turn | undefined;
    void watch.answered((x) => x.id === 'D1').then((t) => (answered = t));
    const other = turnOf(conversation('D2'), []);
    watch.onTurn(other); // another conversation's turn is not this one
    const turn = turnOf(c, [7, 8]);
    watch.onTurn(turn);
    await channel.send({}, message(7), c);
    await Promise.resolve();
    expect(answered).toBeUndefined(); // message 8 is not sent yet
    await channel.send({}, message(8), c);
    await Promise.resolve();
    expect(answered).toBe(turn);
    expect(sent).toEqual([7, 8]); // the channel's own send ran
    expect(watch.lastTurn('D2')).toBe(other);
  });

  it('a turn that stored nothing (the conversation is with an agent) is answered when it finishes', async () => {
    const watch = turnWatch();
    const c = conversation('D3');
    const waiting = watch.answered((x) => x.id === 'D3');
    const turn = turnOf(c, []);
    watch.onTurn(turn);
    expect(await waiting).toBe(turn);
  });
});
