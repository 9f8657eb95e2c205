/**
 * Slips of the keyboard put right before the entry selector and the knowledge search read a message.
 *
 * English ("how do i cancle my ordr" → "how do i cancel my order"): a word is corrected only when it is unknown —
 * neither in the help entries' questions and phrasings nor among the words everyone uses (the sentence
 * encoder's word list) — and exactly one edit (a letter added, dropped, changed, or two neighbours swapped)
 * turns it into a word of the entries' questions; of several such words the one the questions use most
 * wins. Left alone: short words (under four letters: one edit reaches too many of them), a word whose
 * first letter the edit would change (people rarely mistype it; "vase" is not "case", "ants" not "wants"),
 * and a plural or other ending of a known word ("buyers"). Texting shorthand ("u", "ur", "pls") is
 * spelled out.
 *
 * Chinese is typed by sound, so a slip is a character of the same reading (发飘 → 发票, 客服 typed 刻服):
 * a pair of neighbouring characters that is neither a word of the dictionary nor used in the entries'
 * questions, read like a word that the questions use and that shares one of its characters, becomes that
 * word (the most used one, when several) — unless the character it would change is part of another word
 * of the dictionary there (卧室用 is not 卧使用, 加拿大 not 家拿大). Pure.
 */
import type { CharReadings } from '../../training/intents/chinese-readings.ts';

const LATIN_WORD = /[A-Za-z]+/g;
const HAN_RUN = /\p{Script=Han}{2,}/gu;
const MIN_LENGTH = 4;
const SHORTHAND = new Map(Object.entries({ u: 'you', ur: 'your', r: 'are', wat: 'what', pls: 'please', plz: 'please', thx: 'thanks', msg: 'message', bc: 'because', cuz: 'because' }));
const ENDINGS = ['s', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'ly'];

export type Speller = (text: string) => string;

/**
 * A speller whose corrections are the words and character pairs of `targets` (texts); `known` English words
 * are never corrected; without `readings` Chinese is left as it is.
 */
export function speller(targets: string[], known: ReadonlySet<string>, readings?: CharReadings): Speller {
  const english = englishSpeller(targets, known);
  const chinese = readings ? chineseSpeller(targets, readings) : (text: string) => text;
  return (text) => chinese(english(text));
}

function englishSpeller(targets: string[], known: ReadonlySet<string>): Speller {
  const uses = new Map<string, number>();
  for (const text of targets) for (const [w] of text.toLowerCase().matchAll(LATIN_WORD)) uses.set(w, (uses.get(w) ?? 0) + 1);
  const byLength = new Map<number, string[]>();
  for (const w of uses.keys()) byLength.set(w.length, [...(byLength.get(w.length) ?? []), w]);
  const fixes = new Map<string, string | null>();

  const isKnown = (w: string) => uses.has(w) || known.has(w);

  function fix(word: string): string | null {
    let best: string | null = null;
    for (const len of [word.length - 1, word.length, word.length + 1]) {
      for (const candidate of byLength.get(len) ?? []) {
        if (candidate[0] === word[0] && oneEditApart(word, candidate) && (!best || uses.get(candidate)! > uses.get(best)!)) best = candidate;
      }
    }
    return best;
  }

  return (text) =>
    text.replace(LATIN_WORD, (original) => {
      const word = original.toLowerCase();
      const spelledOut = SHORTHAND.get(word);
      if (spelledOut) return spelledOut;
      if (word.length < MIN_LENGTH || isKnown(word)) return original;
      if (ENDINGS.some((e) => word.endsWith(e) && isKnown(word.slice(0, -e.length)))) return original;
      if (!fixes.has(word)) fixes.set(word, fix(word));
      return fixes.get(word) ?? original;
    });
}

function chineseSpeller(targets: string[], chinese: CharReadings): Speller {
  const uses = new Map<string, number>();
  for (const text of targets) for (const [run] of text.matchAll(HAN_RUN)) for (const pair of pairsOf([...run])) uses.set(pair, (uses.get(pair) ?? 0) + 1);
  const bySound = new Map<string, string[]>();
  for (const pair of uses.keys()) {
    if (!chinese.words.has(pair)) continue;
    for (const sound of soundsOf(pair, chinese.readings)) bySound.set(sound, [...(bySound.get(sound) ?? []), pair]);
  }

  function fix(pair: string): string | null {
    const [a, b] = [...pair];
    let best: string | null = null;
    for (const sound of soundsOf(pair, chinese.readings)) {
      for (const candidate of bySound.get(sound) ?? []) {
        const [c, d] = [...candidate];
        if ((a === c || b === d) && (!best || uses.get(candidate)! > uses.get(best)!)) best = candidate;
      }
    }
    return best;
  }

  return (text) =>
    text.replace(HAN_RUN, (run) => {
      const chars = [...run];
      for (let i = 0; i + 1 < chars.length; i++) {
        const pair = chars[i]! + chars[i + 1]!;
        if (uses.has(pair) || chinese.words.has(pair)) continue;
        const fixed = fix(pair);
        if (!fixed || inAnotherWord(chars, fixed[0] !== chars[i] ? i : i + 1, i)) continue;
        [chars[i], chars[i + 1]] = [...fixed];
        i++; // a corrected pair is not read again as half of the next one
      }
      return chars.join('');
    });

  /** Whether the character at `at` belongs to a dictionary word other than the pair starting at `pair`. */
  function inAnotherWord(chars: string[], at: number, pair: number): boolean {
    for (let start = Math.max(0, at - 3); start <= at; start++) {
      for (let end = Math.max(at + 1, start + 2); end <= Math.min(chars.length, start + 4); end++) {
        if (!(start === pair && end === pair + 2) && chinese.words.has(chars.slice(start, end).join(''))) return true;
      }
    }
    return false;
  }
}

function pairsOf(chars: string[]): string[] {
  return chars.slice(1).map((c, i) => chars[i]! + c);
}

/** Every way a pair of characters can be read ("行业" → "xing ye", "hang ye"). */
function soundsOf(pair: string, readings: CharReadings['readings']): string[] {
  const [a, b] = [...pair];
  return (readings.get(a!) ?? []).flatMap((x) => (readings.get(b!) ?? []).map((y) => `${x} ${y}`));
}

/** Whether one insertion, deletion, substitution or swap of neighbouring letters turns `a` into `b`. */
export function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length === b.length) {
    const diffs: number[] = [];
    for (let i = 0; i < a.length && diffs.length <= 2; i++) if (a[i] !== b[i]) diffs.push(i);
    if (diffs.length === 1) return true;
    const [i, j] = diffs;
    return diffs.length === 2 && j === i! + 1 && a[i!] === b[j] && a[j] === b[i!];
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length - short.length !== 1) return false;
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  return short.slice(i) === long.slice(i + 1);
}
