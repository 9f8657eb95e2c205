/**
 * Text → feature strings for the intent classifier: words (bot/turn/words.ts, Chinese words included),
 * word bigrams, and character n-grams inside word boundaries (both scripts). Pure functions.
 */

import { stemmer } from 'stemmer';
import { readingForm } from '../../bot/turn/reading-form.ts';
import { words } from '../../bot/turn/words.ts';

const LATIN_WORD = /^[a-z]+$/;
/** Chinese, Japanese and Korean characters: their runs give character n-grams (wider than Chinese alone, on purpose). */
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

/** The text the features read: its first MAX_TEXT_CHARS characters in kefu's reading form. */
export function featureText(text: string): string {
  return readingForm(text.slice(0, MAX_TEXT_CHARS));
}

/** Word tokens (ICU's words, Chinese ones too), apostrophes dropped ("don't" → "dont"). */
function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const word of words(text)) {
    const w = word.replace(/'/g, '');
    if (w) tokens.push(w);
  }
  return tokens;
}

/** Word and character features of a text, in two blocks (each gets its own TF-IDF and L2 norm). */
export interface TextFeatures {
  words: string[];
  chars: string[];
}

export function featuresOf(text: string, opts: FeatureOptions = DEFAULT_FEATURES): TextFeatures {
  const norm = featureText(text);
  const tokens = wordTokens(norm);
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
