import { describe, expect, it } from 'vitest';
import { parseConversationTests } from '../../../bot/conversation-tests/format.ts';
import { check, report } from '../../../bot/conversation-tests/run.ts';
import type { Turn } from '../../../bot/turn/types.ts';

describe('conversation test files', () => {
  it('read the customer’s lines and every kind of expectation', () => {
    const [t] = parseConversationTests('t.yaml', `- name: tracks
  locale: zh
  turns:
    - say: 我的订单到哪了
      intent: order_status
      flow: track_order
      state: waiting
      reply: 订单号
    - press: 取消
      slots: { order_number: LM202611280042 }
      not_reply: [错误]
      handoff: false
`);
    expect(t).toMatchObject({ name: 'tracks', locale: 'zh', line: 1 });
    expect(t!.turns).toEqual([
      { say: '我的订单到哪了', line: 4, reply: ['订单号'], notReply: undefined, intent: 'order_status', flow: 'track_order', state: 'waiting', slots: undefined, handoff: undefined },
      { press: '取消', line: 9, reply: undefined, notReply: ['错误'], intent: undefined, flow: undefined, state: undefined, slots: { order_number: 'LM202611280042' }, handoff: false },
    ]);
  });

  it('refuse mistakes with the file, the line and what is wrong', () => {
    const text = `- name: a
  turns:
    - say: hi
      press: Yes
    - say: hi
      replies: [x]
- locale: fr
  turns: []
`;
    expect(() => parseConversationTests('t.yaml', text)).toThrow(
      /t\.yaml:3: a turn has either say .*\n.*t\.yaml:6: unknown field 'replies'.*\n.*t\.yaml:7: a test needs a name.*\n.*t\.yaml:7: locale must be 'en' or 'zh'\n.*t\.yaml:8: turns must list/,
    );
  });

  it('check each expectation against the replies and the turn, saying what was expected and what came', () => {
    const turn = { understanding: { intent: 'order_status' }, flow: { name: 'track_order', status: 'waiting', slots: { order_number: 'LM1' } }, replies: [{ text: 'x', sources: [], quickReplies: [] }] } as unknown as Turn;
    const replies = [{ text: 'What is your order number?', quickReplies: [] }];
    expect(check({ line: 1, reply: ['ORDER NUMBER'], intent: 'order_status', flow: 'track_order', state: 'waiting', slots: { order_number: 'LM1' }, handoff: false }, replies, turn)).toEqual([]);
    expect(check({ line: 1, reply: ['tracking'], notReply: ['order'], intent: 'return_item', state: 'done', slots: { order_number: 'LM2' }, handoff: true }, replies, turn)).toEqual([
      'the reply should contain "tracking"; it was "What is your order number?"',
      'the reply should not contain "order"; it was "What is your order number?"',
      'the intent should be return_item; it was order_status',
      "the flow's state should be done; it was waiting",
      'slot order_number should be "LM2"; it was "LM1"',
      'the conversation should have gone to a person; it did not',
    ]);
    expect(check({ line: 1, flow: 'none' }, replies, { ...turn, flow: { name: 'track_order', status: 'offered', slots: {} } } as Turn)).toEqual([]);
  });

  it('report one line a conversation and a summary', () => {
    const test = { name: 'n', file: 'f', line: 1, locale: 'en' as const, turns: [] };
    expect(report([{ test, failures: [], ms: 10 }, { test, failures: ['f:3: bad'], ms: 20 }])).toEqual(['✓ n  (en, 0 turns, 10 ms)', '✗ n  (en, 0 turns, 20 ms)', '    f:3: bad', '1 passed, 1 failed, 2 conversations']);
  });
});
