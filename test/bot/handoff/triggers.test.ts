import { describe, expect, it } from 'vitest';
import { DEFAULT_TRIGGERS, handoffReason, negativity, parseTriggers, type HandoffFacts } from '../../../bot/handoff/triggers.ts';

const calm: HandoffFacts = { askedForHuman: false, outcomes: ['answer'], negativity: 0, complianceEscalated: false, taskFailed: false, customerTags: [] };

describe('handoff triggers', () => {
  it('hand over for each configured reason, and name it', () => {
    expect(handoffReason(DEFAULT_TRIGGERS, calm)).toBeNull();
    expect(handoffReason(DEFAULT_TRIGGERS, { ...calm, askedForHuman: true })).toBe('asked_for_human');
    expect(handoffReason(DEFAULT_TRIGGERS, { ...calm, complianceEscalated: true })).toBe('compliance');
    expect(handoffReason(DEFAULT_TRIGGERS, { ...calm, taskFailed: true })).toBe('task_failed');
    expect(handoffReason({ ...DEFAULT_TRIGGERS, customerTags: ['vip'] }, { ...calm, customerTags: ['new', 'vip'] })).toBe('customer_tag:vip');
    expect(handoffReason(DEFAULT_TRIGGERS, { ...calm, negativity: 0.8 })).toBe('strong_negative');
  });

  it('hand over after N turns in a row the bot could not help, not after N scattered ones', () => {
    expect(handoffReason(DEFAULT_TRIGGERS, { ...calm, outcomes: ['decline', 'clarify', 'decline'] })).toBe('bot_could_not_help');
    expect(handoffReason(DEFAULT_TRIGGERS, { ...calm, outcomes: ['decline', 'answer', 'decline', 'clarify'] })).toBeNull();
    expect(handoffReason({ ...DEFAULT_TRIGGERS, couldNotHelpTurns: 0 }, { ...calm, outcomes: ['decline', 'decline', 'decline', 'decline'] })).toBeNull();
  });

  it('are read from bot.yaml over the defaults, refusing settings that mean nothing', () => {
    expect(parseTriggers(undefined)).toEqual(DEFAULT_TRIGGERS);
    expect(parseTriggers({ couldNotHelpTurns: 2, customerTags: ['vip'], askedForHuman: false })).toMatchObject({ couldNotHelpTurns: 2, customerTags: ['vip'], askedForHuman: false, compliance: true });
    expect(() => parseTriggers({ couldNotHelpTurns: 'two' })).toThrow(/whole number/);
    expect(() => parseTriggers({ compliance: 'yes' })).toThrow(/true or false/);
  });
});

describe('negativity', () => {
  it('reads strong displeasure in English and Chinese above the default threshold', () => {
    for (const text of ['This is a scam, I want my money back', 'worst service ever, absolutely useless', 'I am FED UP with this!!', '你们就是骗子，退钱', '太差了，气死我了', '再也不买你们家的东西了'])
      expect(negativity(text), text).toBeGreaterThanOrEqual(DEFAULT_TRIGGERS.negativeAt);
  });

  it('leaves ordinary and mildly unhappy questions below it', () => {
    for (const text of ['where is my order?', 'the parcel arrived late, a bit annoying', 'my order number is A12315678', '快递有点慢', '退款多久到账', 'Is the terrible weather delaying shipping'])
      expect(negativity(text), text).toBeLessThan(DEFAULT_TRIGGERS.negativeAt);
  });
});
