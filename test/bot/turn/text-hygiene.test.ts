import { describe, expect, it } from 'vitest';
import { findUnstorable, MODEL_TEXT_LIMIT, processedLength, stripUnstorable, textForModels } from '../../../bot/turn/text-hygiene.ts';

describe('text hygiene', () => {
  it('finds the first character PostgreSQL or JSON cannot hold, and strips them where a channel allows', () => {
    expect(findUnstorable('a\u0000b')).toEqual({ index: 1, codePoint: 'U+0000' });
    expect(findUnstorable('ok \ud83d\ude00')).toBeUndefined(); // a whole surrogate pair is fine
    expect(findUnstorable('x\ud800')).toEqual({ index: 1, codePoint: 'U+D800' });
    expect(stripUnstorable('a\u0000b\udc00c')).toBe('abc');
  });

  it('measures length as the pipeline reads it (after NFKC)', () => {
    expect(processedLength('\ufdfa')).toBe(18);
  });

  it('models read a short message whole', () => {
    const text = 'where is my refund?';
    expect(textForModels(text)).toBe(text);
  });

  it("models read a long message's opening and close, bounded, never splitting a character", () => {
    const text = `I want to return my kettle. ${'blah '.repeat(800)}😀 So how long does the refund take?`;
    const read = textForModels(text);
    expect(Array.from(read).length).toBeLessThanOrEqual(MODEL_TEXT_LIMIT + 3);
    expect(read.startsWith('I want to return my kettle.')).toBe(true);
    expect(read.endsWith('So how long does the refund take?')).toBe(true);
    expect(findUnstorable(read)).toBeUndefined();
    expect(textForModels('😀'.repeat(600), 10)).toBe(`${'😀'.repeat(5)} … ${'😀'.repeat(5)}`);
  });
});
