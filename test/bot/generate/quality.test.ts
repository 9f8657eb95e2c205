import { describe, expect, it } from 'vitest';
import { judgeAnswer, weightedScore } from '../../../bot/generate/quality.ts';

describe('answer quality by the reviewers five measures', () => {
  it('a grounded, clean, short answer in the customer language scores full marks on what rules can judge', () => {
    expect(judgeAnswer({ text: 'Unused items can be returned within 15 days [1].', locale: 'en', sources: 1 })).toEqual({ accuracy: 1, format: 1, language: 1, efficiency: 1, score: 100 });
  });

  it('no source, or a citation of a passage not given, is not accurate', () => {
    expect(judgeAnswer({ text: 'Returns are free forever.', locale: 'en', sources: 0 }).accuracy).toBe(0);
    expect(judgeAnswer({ text: 'Within 15 days [2].', locale: 'en', sources: 1 }).accuracy).toBe(0);
  });

  it('leaked reasoning, markers or markup and a missing disclosure break format compliance', () => {
    expect(judgeAnswer({ text: 'Reasoning: the passage says so.\n15 days [1].', locale: 'en', sources: 1 }).format).toBe(0.5);
    expect(judgeAnswer({ text: '近 12 个月收益率 2.8% [1]。', locale: 'zh', sources: 1, disclosure: '理财有风险，投资需谨慎。' }).format).toBe(0.5);
    expect(judgeAnswer({ text: '近 12 个月收益率 2.8% [1]。理财有风险，投资需谨慎。', locale: 'zh', sources: 1, disclosure: '理财有风险，投资需谨慎。' }).format).toBe(1);
  });

  it('an answer in the other language loses the language measure, a long one efficiency', () => {
    const english = judgeAnswer({ text: 'Within 15 days [1].', locale: 'zh', sources: 1 });
    expect(english.language).toBe(0);
    expect(english.score).toBe(Math.round((100 * (30 + 20 + 10)) / 75 * 10) / 10);
    expect(judgeAnswer({ text: `${'Long answer. '.repeat(100)}[1]`, locale: 'en', sources: 1 }).efficiency).toBeLessThan(0.5);
  });

  it('weighs the measures 30/25/20/15/10 over those judged', () => {
    expect(weightedScore({ accuracy: 1, relevance: 0, format: 1, language: 1, efficiency: 1 })).toBe(75);
    expect(weightedScore({ relevance: 1 })).toBe(100);
    expect(weightedScore({})).toBe(0);
  });
});
