import { describe, expect, it } from 'vitest';
import { payloadAsWords } from '../../../bot/turn/payload.ts';

describe('a quick reply\'s payload', () => {
  it('is read as the customer\'s words when it is plain words, and left to the stages when it is a machine payload', () => {
    expect(payloadAsWords("I'd like to talk to a person")).toBe("I'd like to talk to a person");
    expect(payloadAsWords('我要转人工')).toBe('我要转人工');
    expect(payloadAsWords('entry:shipping#delivery-time')).toBeUndefined();
    expect(payloadAsWords('rating:4')).toBeUndefined();
    expect(payloadAsWords('  ')).toBeUndefined();
    expect(payloadAsWords(undefined)).toBeUndefined();
  });
});
