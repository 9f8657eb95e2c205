/**
 * The matching form of a text, for lexicons and injection patterns: each character in kefu's reading
 * form (bot/turn/reading-form.ts: NFKC, lower case), one character at a time, and separators dropped, so that "ＲＥＦＵＮＤ", "退 款" and "r.e.f.u.n.d" all read as one word.
 * Every code unit of the matching text remembers the index of the original character it came from, so a match
 * found in the matching text can be reported (and masked) in the original.
 */
import { readingForm } from '../turn/reading-form.ts';

export interface MatchingForm {
  /** The matching text: letters, digits and ideographs only, lower case. */
  text: string;
  /** `origin[i]` is the index in the original text of the character that produced `text[i]`. */
  origin: Int32Array;
}

/** Whitespace, punctuation, symbols and invisible format characters: dropped before matching. */
const SEPARATOR = /[\p{Z}\p{P}\p{S}\p{Cc}\p{Cf}]/u;

const cache = new Map<string, string>();

/** The matching form of one character ('' for a separator). */
export function matchingChar(ch: string): string {
  const code = ch.charCodeAt(0);
  if (code < 128) {
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) return ch;
    if (code >= 65 && code <= 90) return String.fromCharCode(code + 32);
    return '';
  }
  let out = cache.get(ch);
  if (out === undefined) {
    out = '';
    for (const c of readingForm(ch)) if (!SEPARATOR.test(c)) out += c;
    if (cache.size < 65_536) cache.set(ch, out);
  }
  return out;
}

export function matchingForm(text: string): MatchingForm {
  let out = '';
  const origin: number[] = [];
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const piece = matchingChar(width === 1 ? text[i]! : text.slice(i, i + 2));
    for (let k = 0; k < piece.length; k++) origin.push(i);
    out += piece;
    i += width;
  }
  return { text: out, origin: Int32Array.from(origin) };
}

/** A lexicon term in its matching form (the same as the text's). */
export function matchingTerm(term: string): string {
  return matchingForm(term).text;
}

/** True for an ASCII letter or digit: terms made of these must start and end on a word boundary. */
export function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 0xff10 && c <= 0xff5a);
}
