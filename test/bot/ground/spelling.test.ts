import { describe, expect, it } from 'vitest';
import { oneEditApart, speller } from '../../../bot/ground/spelling.ts';

const questions = ['How do I cancel an order?', 'track my package', 'where is my parcel', 'cancel my order', 'refund the difference'];
const everyday = new Set(['how', 'do', 'is', 'my', 'where', 'case', 'the', 'vase']);

describe('putting misspelt words right', () => {
  it('corrects a word one edit away from a word of the entries\' questions', () => {
    const spell = speller(questions, everyday);
    expect(spell('how do i cancle my ordr')).toBe('how do i cancel my order');
    expect(spell('ho do i')).toBe('ho do i'); // under four letters
    expect(spell('where is my parcle')).toBe('where is my parcel');
    expect(spell('Track my pakage please')).toBe('Track my package please');
  });

  it('leaves known words, endings of known words and first-letter changes alone', () => {
    const spell = speller([...questions, 'ship a case'], new Set(['ants', 'want']));
    expect(spell('my orders')).toBe('my orders');
    expect(spell('the ants')).toBe('the ants');
    expect(spell('a base')).toBe('a base'); // "case" is one edit away, but at the first letter
  });

  it('spells out texting shorthand', () => {
    expect(speller(questions, everyday)('r u open, can u track ur package')).toBe('are you open, can you track your package');
  });

  it('prefers the correction the questions use most', () => {
    expect(speller(['paid paid paid', 'pays'], new Set())('who pais')).toBe('who paid');
  });

  it('counts one insertion, deletion, substitution or neighbour swap as one edit', () => {
    expect(oneEditApart('retrun', 'return')).toBe(true);
    expect(oneEditApart('parcl', 'parcel')).toBe(true);
    expect(oneEditApart('parcels', 'parcel')).toBe(true);
    expect(oneEditApart('parsel', 'parcel')).toBe(true);
    expect(oneEditApart('prasel', 'parcel')).toBe(false);
    expect(oneEditApart('parcel', 'parcel')).toBe(false);
    expect(oneEditApart('pacl', 'parcel')).toBe(false);
  });
});

describe('putting Chinese typed by sound right', () => {
  // a small dictionary: readings of the characters used here, and which runs are words
  const chinese = {
    readings: new Map(Object.entries({ 发: ['fa'], 票: ['piao'], 飘: ['piao'], 客: ['ke'], 刻: ['ke'], 服: ['fu'], 怎: ['zen'], 么: ['me'], 开: ['kai'], 卧: ['wo'], 室: ['shi'], 使: ['shi'], 用: ['yong'], 时: ['shi'], 间: ['jian'] })),
    words: new Set(['发票', '客服', '怎么', '卧室', '使用', '时间']),
  };
  const questions = ['怎么开发票', '客服时间', '怎么使用'];
  const spell = speller(questions, new Set(), chinese);

  it('replaces a pair read like a word of the questions that shares a character with it', () => {
    expect(spell('怎么开发飘')).toBe('怎么开发票');
    expect(spell('刻服时间')).toBe('客服时间');
  });

  it('leaves words of the dictionary and characters inside another word alone', () => {
    expect(spell('卧室用')).toBe('卧室用'); // 室用 reads like 使用, but 室 belongs to 卧室
    const knowsFaPiao = speller(questions, new Set(), { ...chinese, words: new Set([...chinese.words, '发飘']) });
    expect(knowsFaPiao('怎么开发飘')).toBe('怎么开发飘');
  });

  it('leaves Chinese alone without a dictionary', () => {
    expect(speller(questions, new Set())('怎么开发飘')).toBe('怎么开发飘');
  });
});
