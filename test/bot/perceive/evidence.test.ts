import { describe, expect, it } from 'vitest';
import { decideIssue } from '../../../bot/perceive/evidence.ts';

describe('one issue from the text, CLIP and the learned detector', () => {
  it('the text wins when it names an issue, and a picture that agrees raises the confidence', () => {
    expect(decideIssue([{ by: 'text', id: 'payment_failed', confidence: 0.5 }, { by: 'learned', id: 'damaged_item', confidence: 0.9 }])).toEqual({ id: 'payment_failed', confidence: 0.5, by: 'text', agreed: ['text'] });
    expect(decideIssue([{ by: 'text', id: 'damaged_item', confidence: 0.5 }, { by: 'learned', id: 'damaged_item', confidence: 0.8 }])).toMatchObject({ id: 'damaged_item', by: 'text', agreed: ['text', 'learned'], confidence: 0.9 });
  });

  it('with no text, the surest picture evidence over its threshold decides, and agreeing sources add up', () => {
    expect(decideIssue([{ by: 'clip', id: 'wrong_item', confidence: 0.55 }, { by: 'learned', id: 'damaged_item', confidence: 0.7 }])).toMatchObject({ id: 'damaged_item', by: 'learned' });
    expect(decideIssue([{ by: 'clip', id: 'wrong_item', confidence: 0.6 }, { by: 'learned', id: 'wrong_item', confidence: 0.7 }])).toMatchObject({ id: 'wrong_item', by: 'learned', agreed: ['clip', 'learned'], confidence: expect.closeTo(0.88, 5) });
  });

  it('finds no issue below the thresholds, or when the learned pictures of no issue are closest', () => {
    expect(decideIssue([{ by: 'clip', id: 'wrong_item', confidence: 0.3 }, { by: 'learned', id: 'damaged_item', confidence: 0.4 }])).toBeUndefined();
    expect(decideIssue([{ by: 'learned', id: 'none', confidence: 0.9 }, { by: 'clip', id: 'damaged_item', confidence: 0.55 }])).toBeUndefined();
    expect(decideIssue([])).toBeUndefined();
  });
});
