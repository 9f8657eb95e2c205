import { describe, expect, it } from 'vitest';
import { detectLocale } from '../../bot/turn/locale.ts';
import { queryTerms, tokenize, toOrQuery, toTsvector } from '../../knowledge/tokens.ts';

describe('lexical tokens', () => {
  it('stems lower-cased English words and drops stop words', () => {
    expect(tokenize('How long does Delivery take? Deliveries of 3 items')).toEqual(['long', 'deliveri', 'take', 'deliveri', '3', 'item']);
  });

  it('makes Chinese words, character bigrams and single characters (stop characters left out)', () => {
    const tokens = tokenize('退货运费');
    expect(tokens).toContain('退货');
    expect(tokens).toContain('运费');
    expect(tokens).toContain('货运');
    expect(tokens).toContain('退');
    expect(tokenize('我的')).not.toContain('的');
  });

  it('marks bigrams that are no word, so an unknown one does not count against a question', () => {
    const { terms, bigramsOnly } = queryTerms('我想申请退款');
    expect(terms).toEqual(expect.arrayContaining(['申请', '退款', '请退']));
    expect(bigramsOnly.has('请退')).toBe(true);
    expect(bigramsOnly.has('退款')).toBe(false);
  });

  it('writes tsvector and tsquery literals with quotes escaped and term counts as positions', () => {
    expect(toTsvector(["o'brien", 'x', "o'brien"])).toBe("'o''brien':1,3 'x':2");
    expect(toOrQuery(['a', "b'c"])).toBe("'a' | 'b''c'");
  });

  it('detects Chinese vs English text', () => {
    expect(detectLocale('我的订单 iPhone 15 什么时候到？')).toBe('zh');
    expect(detectLocale('Where is my order?')).toBe('en');
  });

  it('keeps every word of a text longer than one segmenter slice (slices are cut between words)', () => {
    const english = 'delivery refund '.repeat(3000); // 48,000 characters
    expect(tokenize(english).filter((t) => t === 'deliveri')).toHaveLength(3000);
    const chinese = '退货运费，'.repeat(5000); // 25,000 characters, punctuation every five
    expect(tokenize(chinese).filter((t) => t === '退货')).toHaveLength(5000);
  });

  it('tokenises a text of 72,000 characters that NFKC makes from 4,000 (U+FDFA), one slice at a time', () => {
    const tokens = tokenize('\ufdfa'.repeat(4000));
    expect(tokens.length).toBeGreaterThan(4000);
  });

  it('a question searches with at most 256 distinct terms, words first (4,000 Chinese characters make thousands)', () => {
    const long = Array.from({ length: 4000 }, (_, i) => String.fromCodePoint(0x4e00 + ((i * 7919) % 20000))).join('');
    const { terms } = queryTerms(`refund ${long}`);
    expect(terms).toHaveLength(256);
    expect(terms[0]).toBe('refund');
  });
});
