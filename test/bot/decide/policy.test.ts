import { describe, expect, it } from 'vitest';
import { decidePolicy } from '../../../bot/decide/policy.ts';
import type { Turn } from '../../../bot/turn/types.ts';

/** A turn as decide sees it: the text and what understand made of it. */
const turn = (text: string, intent: string, confidence = 0.95) =>
  ({ text, inbound: { text }, understanding: { intent, confidence, outOfScope: false, ambiguous: false, entities: [] } }) as unknown as Turn;

describe('decide: when a person is fetched', () => {
  it('hands over when the customer asks for a person', () => {
    expect(decidePolicy(turn('I want to talk to a human', 'ask_human'))).toBe('escalate');
    expect(decidePolicy(turn('我要转人工', 'ask_human'))).toBe('escalate');
    expect(decidePolicy(turn('agent please', 'ask_human', 0.6))).toBe('escalate');
  });

  it('answers a question about reaching a person from the help centre instead', () => {
    expect(decidePolicy(turn('how long is the wait for an agent?', 'ask_human'))).toBe('answer');
    expect(decidePolicy(turn('转人工一般要等多久', 'ask_human'))).toBe('answer');
    expect(decidePolicy(turn('人工客服几点上班', 'ask_human'))).toBe('answer');
  });

  it('sends an unsure guess at wanting a person without the words for it to the help centre first', () => {
    expect(decidePolicy(turn('I need help with something', 'ask_human', 0.6))).toBe('answer');
  });
});
