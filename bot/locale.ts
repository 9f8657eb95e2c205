import type { Locale } from './turn/types.ts';

const HAN = /\p{Script=Han}/u;
const LATIN_WORD = /[A-Za-z]{2,}/;

/** The language a message is written in: Chinese if it has Han characters, English if it has Latin words, else the fallback. */
export function detectLocale(text: string, fallback: Locale): Locale {
  if (HAN.test(text)) return 'zh';
  if (LATIN_WORD.test(text)) return 'en';
  return fallback;
}

/** The locale a browser or channel asks for ("zh-CN", "en-US", …), or undefined when neither. */
export function parseLocale(tag: unknown): Locale | undefined {
  if (typeof tag !== 'string') return undefined;
  const t = tag.toLowerCase();
  if (t.startsWith('zh')) return 'zh';
  if (t.startsWith('en')) return 'en';
  return undefined;
}
