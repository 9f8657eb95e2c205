import { describe, expect, it } from 'vitest';
import { checkAnswer, visibleSoFar, withDisclosure, withoutReasoning } from '../../../bot/generate/grounding.ts';
import { finalLabel, majority } from '../../../bot/generate/self-consistency.ts';

describe('grounding checks', () => {
  it('accepts an answer citing given passages and renumbers the citations in source order', () => {
    expect(checkAnswer('Fifteen days [2]. Start under Orders [2][3].', 3)).toEqual({ kind: 'answer', text: 'Fifteen days [1]. Start under Orders [1][2].', cited: [2, 3] });
  });

  it('rejects an answer that cites nothing, or a passage it was not given', () => {
    expect(checkAnswer('Fifteen days.', 2)).toEqual({ kind: 'rejected', reason: 'cites no passage' });
    expect(checkAnswer('Fifteen days [3].', 2)).toEqual({ kind: 'rejected', reason: 'cites [3], a passage it was not given' });
    expect(checkAnswer('  ', 2).kind).toBe('rejected');
  });

  it('reads UNSUPPORTED as "the passages do not answer it"', () => {
    expect(checkAnswer('UNSUPPORTED', 1)).toEqual({ kind: 'unsupported' });
    expect(checkAnswer('<think>no passage says Japan</think>\nUNSUPPORTED.', 1)).toEqual({ kind: 'unsupported' });
  });

  it('keeps the chain of thought out of the reply, finished or still streaming', () => {
    expect(withoutReasoning('<think>the passage says 15 days</think>Fifteen days [1].')).toBe('Fifteen days [1].');
    expect(visibleSoFar('<think>the passage says')).toBe('');
    expect(visibleSoFar('Fifteen days [1]. <thi')).toBe('Fifteen days [1]. ');
    expect(visibleSoFar('UNSUPP')).toBe('');
    expect(visibleSoFar('Un')).toBe('');
    expect(visibleSoFar('Unused items [1]')).toBe('Unused items [1]');
  });

  it('adds a required disclosure once, when the answer lacks it', () => {
    expect(withDisclosure('收益无法保证 [1]。', '理财有风险，投资需谨慎。')).toBe('收益无法保证 [1]。\n\n理财有风险，投资需谨慎。');
    expect(withDisclosure('收益无法保证 [1]。理财有风险, 投资需谨慎', '理财有风险，投资需谨慎。')).toBe('收益无法保证 [1]。理财有风险, 投资需谨慎');
    expect(withDisclosure('x', undefined)).toBe('x');
  });
});

describe('self-consistency', () => {
  it('reads the label on the last Answer line and ignores the reasoning', () => {
    expect(finalLabel('Reasoning: maybe Answer: unsupported?\nAnswer: supported', ['supported', 'unsupported'])).toBe('supported');
    expect(finalLabel('Reasoning: unsure', ['supported', 'unsupported'])).toBeUndefined();
  });

  it('takes the majority of the samples', () => {
    expect(majority(['unsupported', 'supported', 'unsupported', undefined], ['supported', 'unsupported'])).toEqual({ label: 'unsupported', votes: { unsupported: 2, supported: 1 }, samples: 4 });
    expect(majority([undefined], ['a', 'b'])).toEqual({ votes: {}, samples: 1 });
  });
});
