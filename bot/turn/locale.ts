import type { Locale } from './types.ts';

const HAN = /\p{Script=Han}/u;
const HAN_RUN = /\p{Script=Han}+/gu;
const LETTER = /\p{L}/u;

/** Whether the text holds a Chinese character (Han script): kefu's one test of Chinese text. */
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/** The runs of Chinese characters in a text, in order. */
export function hanRuns(text: string): string[] {
  return text.match(HAN_RUN) ?? [];
}

/**
 * The language a text is written in: 'zh' when Chinese characters make up a fair share of its letters,
 * else 'en'; the fallback when it has no letters at all (digits, emoji).
 */
export function detectLocale(text: string, fallback: Locale = 'en'): Locale {
  let han = 0;
  let other = 0;
  for (const ch of text) {
    if (HAN.test(ch)) han++;
    else if (LETTER.test(ch)) other++;
  }
  if (han === 0 && other === 0) return fallback;
  return han > 0 && han * 3 >= other / 2 ? 'zh' : 'en';
}

/** The locale a browser or channel asks for ("zh-CN", "en-US", …), or undefined when neither. */
export function parseLocale(tag: unknown): Locale | undefined {
  if (typeof tag !== 'string') return undefined;
  const t = tag.toLowerCase();
  if (t.startsWith('zh')) return 'zh';
  if (t.startsWith('en')) return 'en';
  return undefined;
}
