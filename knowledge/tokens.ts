/**
 * kefu's own lexical tokens, the same for documents and questions:
 * the text in its reading form (bot/turn/reading-form.ts), then
 * Chinese → Intl.Segmenter words (bot/turn/words.ts) (two characters or more) plus single characters and character bigrams;
 * English and other Latin text → lower-cased, stemmed words without stop words; numbers as they are.
 * They are stored as a `tsvector` (the `simple` configuration never sees raw text).
 */
import { stemmer } from 'stemmer';
import { hanRuns, hasHan } from '../bot/turn/locale.ts';
import { readingForm } from '../bot/turn/reading-form.ts';
import { words as wordsOf } from '../bot/turn/words.ts';

const LATIN_WORD = /^[\p{L}\p{N}][\p{L}\p{N}'’.-]*$/u;

/** Very frequent English words that carry no topic. */
const EN_STOP = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to us was we were what when ' +
    'where which who whom why will with would you your yours am im i\'m ive i\'ve id i\'d pls please hi hello'
  ).split(' '),
);
/** Chinese function words that are kept out of the word tokens (bigrams still cover them). */
const ZH_STOP = new Set('的 了 吗 呢 吧 啊 我 你 他 她 它 是 在 有 和 与 就 都 也 要 会 能 可以 我的 你的 怎么 什么 如何 请问 一下 我们 你们 这个 那个'.split(' '));

/** Tokens of a text in order (repeats kept: they are the term frequencies). */
export function tokenize(text: string): string[] {
  const { words, bigrams } = tokenParts(text);
  return [...words, ...bigrams];
}

/**
 * A question's distinct terms, and which of them are only character n-grams (artifacts of cutting
 * Chinese into pieces): an unknown n-gram says nothing, an unknown word says the question is off-topic.
 */
export function queryTerms(text: string): { terms: string[]; bigramsOnly: Set<string> } {
  const { words, bigrams } = tokenParts(text);
  const wordSet = new Set(words);
  const terms = [...new Set([...words, ...bigrams])].slice(0, MAX_QUERY_TERMS);
  return { terms, bigramsOnly: new Set(bigrams.filter((b) => !wordSet.has(b))) };
}

/**
 * The most distinct terms a question searches with (words first, then character n-grams): a question
 * of 4,000 Chinese characters has some 8,000, and the database runs such a query in one go.
 */
const MAX_QUERY_TERMS = 256;

function tokenParts(text: string): { words: string[]; bigrams: string[] } {
  const out: string[] = [];
  const bigrams: string[] = [];
  const norm = readingForm(text);
  for (const word of wordsOf(norm)) {
    if (hasHan(word)) {
      // Single-character words are not kept as words (an unknown one would count against a question); the character n-grams below cover them.
      if ([...word].length >= 2 && !ZH_STOP.has(word)) out.push(word);
      continue;
    }
    for (const part of word.split(/[.'’-]+/)) {
      if (!part || !LATIN_WORD.test(part) || EN_STOP.has(part)) continue;
      if (/^\p{N}+$/u.test(part)) out.push(part);
      else if (part.length > 1) out.push(stemmer(part));
    }
  }
  // Character unigrams and bigrams over each run of Chinese characters: recall that does not depend on the segmenter.
  for (const run of hanRuns(norm)) {
    const chars = [...run];
    // Single characters too (退 matches 退货 and 退款): weak alone, their IDF keeps them in their place.
    for (const ch of chars) if (!ZH_STOP.has(ch)) bigrams.push(ch);
    for (let i = 0; i + 1 < chars.length; i++) bigrams.push(chars[i] + chars[i + 1]);
  }
  return { words: out.map((t) => t.slice(0, 60)), bigrams };
}

/** A `tsvector` literal of tokens with their positions (the counts become term frequencies). */
export function toTsvector(tokens: string[]): string {
  const positions = new Map<string, number[]>();
  tokens.forEach((t, i) => {
    const list = positions.get(t) ?? [];
    if (list.length < 256) list.push(Math.min(i + 1, 16383));
    positions.set(t, list);
  });
  return [...positions].map(([t, ps]) => `'${escapeLexeme(t)}':${ps.join(',')}`).join(' ');
}

/** A `tsquery` literal: any of the tokens. */
export function toOrQuery(terms: string[]): string {
  return terms.map((t) => `'${escapeLexeme(t)}'`).join(' | ');
}

function escapeLexeme(t: string): string {
  return t.replace(/\\/g, '\\\\').replace(/'/g, "''");
}

/** Distinct tokens. */
export function termSet(tokens: string[]): Set<string> {
  return new Set(tokens);
}
