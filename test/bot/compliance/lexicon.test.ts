import { describe, expect, it } from 'vitest';
import { buildAutomaton } from '../../../bot/compliance/aho-corasick.ts';
import { compileLexicon } from '../../../bot/compliance/lexicon.ts';
import { normalize } from '../../../bot/compliance/normalize.ts';
import { generatedTerms } from './generated-lexicon.ts';

describe('normalisation', () => {
  it('folds full width and case and drops separators, remembering where each character came from', () => {
    const n = normalize('Ｒ.e-F u_N*d！退 款');
    expect(n.text).toBe('refund退款');
    expect(n.origin[0]).toBe(0);
    expect(n.origin[6]).toBe(12);
  });
});

describe('Aho–Corasick', () => {
  it('finds overlapping patterns, including ones that are suffixes of others', () => {
    const a = buildAutomaton(['he', 'she', 'his', 'hers']);
    expect(a.findAll('ushers').map((m) => `${m.pattern}@${m.start}-${m.end}`).sort()).toEqual(['0@2-4', '1@1-4', '3@2-6']);
  });

  it('agrees with a naive search on a generated lexicon', () => {
    const terms = generatedTerms(2000, 3);
    const a = buildAutomaton(terms);
    const text = terms.slice(0, 50).join('x') + terms[1999];
    const naive: string[] = [];
    terms.forEach((t, i) => {
      for (let at = text.indexOf(t); at >= 0; at = text.indexOf(t, at + 1)) naive.push(`${i}@${at}`);
    });
    expect(a.findAll(text).map((m) => `${m.pattern}@${m.start}`).sort()).toEqual(naive.sort());
  });
});

describe('sensitive-word lexicon', () => {
  const lexicon = compileLexicon([
    { term: '退款', category: 'custom' },
    { term: 'refund', category: 'custom' },
    { term: 'ass', category: 'profanity' },
  ]);

  it('matches words split by spaces and symbols and in full width, reporting the original span', () => {
    expect(lexicon.find('我要 退 款').map((m) => [m.term, m.start, m.end])).toEqual([['退款', 3, 6]]);
    expect(lexicon.find('r.e.f.u.n.d now')[0]).toMatchObject({ term: 'refund', start: 0, end: 11 });
    expect(lexicon.find('ＲＥＦＵＮＤ')).toHaveLength(1);
  });

  it('does not find a Latin term inside a longer word, nor a term across a sentence break', () => {
    expect(lexicon.find('a classic class')).toEqual([]);
    expect(lexicon.find('不退。款项已到账')).toEqual([]);
    expect(lexicon.find('you a s s')).toHaveLength(1);
  });

  it('builds and matches a 100,000-term lexicon', () => {
    const terms = generatedTerms(100_000);
    const big = compileLexicon(terms.map((term) => ({ term, category: 'custom' })));
    expect(big.size).toBe(100_000);
    const planted = terms[99_999]!;
    const spaced = [...planted].join(' ');
    const found = big.find(`前面一些文字 ${spaced} 后面`);
    expect(found.map((m) => m.term)).toContain(planted);
  });
});
