/**
 * Text → feature strings for the intent classifier: words (Chinese words from Intl.Segmenter),
 * word bigrams, and character n-grams inside word boundaries (both scripts). Pure functions.
 */

import { stemmer } from 'stemmer';

const LATIN_WORD = /^[a-z]+$/;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

/** Longest text the features look at; longer messages are cut (a 10,000-character paste stays fast). */
export const MAX_TEXT_CHARS = 1000;

export interface FeatureOptions {
  /** Character n-gram sizes for Latin-script words (inside word boundaries, padded with spaces). */
  charMin: number;
  charMax: number;
  /** Character n-gram sizes over runs of Chinese/Japanese/Korean characters. */
  cjkMin: number;
  cjkMax: number;
  /** Add word bigrams. */
  wordBigrams: boolean;
  /** Add Porter stems of Latin-script words (and stem bigrams) as extra word features. */
  stems?: boolean;
}

export const DEFAULT_FEATURES: FeatureOptions = { charMin: 1, charMax: 4, cjkMin: 1, cjkMax: 3, wordBigrams: true, stems: true };

/** Lower case, full-width → half-width (NFKC), apostrophes unified, whitespace collapsed. */
export function normalizeText(text: string): string {
  return text.slice(0, MAX_TEXT_CHARS).normalize('NFKC').toLowerCase().replace(/[’‘`´]/g, "'").replace(/\s+/g, ' ').trim();
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/** Word tokens: letters/digits words from the ICU word segmenter (which splits Chinese into words). */
export function wordsOf(normalized: string): string[] {
  const words: string[] = [];
  for (const s of segmenter.segment(normalized)) {
    if (!s.isWordLike) continue;
    const w = s.segment.replace(/'/g, '');
    if (w) words.push(w);
  }
  return words;
}

/** Word and character features of a text, in two blocks (each gets its own TF-IDF and L2 norm). */
export interface TextFeatures {
  words: string[];
  chars: string[];
}

export function featuresOf(text: string, opts: FeatureOptions = DEFAULT_FEATURES): TextFeatures {
  const norm = normalizeText(text);
  const tokens = wordsOf(norm);
  const words: string[] = [...tokens];
  if (opts.wordBigrams) for (let i = 1; i < tokens.length; i++) words.push(`${tokens[i - 1]} ${tokens[i]}`);
  if (opts.stems) {
    const stems = tokens.map((t) => (LATIN_WORD.test(t) ? stemmer(t) : t));
    for (let i = 0; i < stems.length; i++) words.push(`~${stems[i]}`);
    for (let i = 1; i < stems.length; i++) words.push(`~${stems[i - 1]} ${stems[i]}`);
  }
  const chars: string[] = [];
  for (const token of tokens) {
    if (CJK.test(token)) continue;
    const padded = ` ${token} `;
    for (let n = opts.charMin; n <= opts.charMax; n++) {
      if (n > padded.length) break;
      for (let i = 0; i + n <= padded.length; i++) chars.push(padded.slice(i, i + n));
    }
  }
  for (const match of norm.matchAll(CJK_RUN)) {
    const run = [...match[0]];
    for (let n = opts.cjkMin; n <= opts.cjkMax; n++) {
      for (let i = 0; i + n <= run.length; i++) chars.push(`#${run.slice(i, i + n).join('')}`);
    }
  }
  return { words, chars };
}
