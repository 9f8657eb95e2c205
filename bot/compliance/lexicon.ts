/**
 * Sensitive-word lexicons: terms by category (abuse, profanity, politics, competitors, custom, or any
 * category a bot adds), compiled into one Aho–Corasick automaton over the matching form (matching-form.ts). No size cap.
 */
import { buildAutomaton, type Automaton } from './aho-corasick.ts';
import { matchingChar, matchingForm, matchingTerm } from './matching-form.ts';

export interface LexiconTerm {
  term: string;
  category: string;
}

export interface LexiconMatch {
  category: string;
  term: string;
  /** Span in the original text, separators included ("r.e.f.u.n.d"). */
  start: number;
  end: number;
}

export interface Lexicon {
  readonly size: number;
  categories(): string[];
  find(text: string): LexiconMatch[];
}

const LATIN = /^[a-z0-9]/;
/** A match never spans a sentence or clause break: "不退。款项" is not "退款". */
const BREAK = /[\n\r。！？；，、!?;]/;

function latinAt(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return false;
  return LATIN.test(matchingChar(text[index]!));
}

export function compileLexicon(terms: readonly LexiconTerm[]): Lexicon {
  const patterns: string[] = [];
  const meta: { term: string; category: string; latinStart: boolean; latinEnd: boolean }[] = [];
  const seen = new Set<string>();
  for (const { term, category } of terms) {
    const pattern = matchingTerm(term);
    if (!pattern || seen.has(pattern)) continue;
    seen.add(pattern);
    patterns.push(pattern);
    meta.push({ term, category, latinStart: LATIN.test(pattern), latinEnd: LATIN.test(pattern[pattern.length - 1]!) });
  }
  const automaton: Automaton = buildAutomaton(patterns);
  const categories = [...new Set(meta.map((m) => m.category))];

  return {
    size: patterns.length,
    categories: () => categories,
    find(text) {
      const norm = matchingForm(text);
      const found: LexiconMatch[] = [];
      automaton.scan(norm.text, ({ pattern, start, end }) => {
        const info = meta[pattern]!;
        const from = norm.origin[start]!;
        const lastChar = norm.origin[end - 1]!;
        const to = lastChar + (text.codePointAt(lastChar)! > 0xffff ? 2 : 1);
        // Latin words must stand alone: "ass" is not in "class", "shit" is not in "is hit".
        if (info.latinStart && latinAt(text, from - 1)) return;
        if (info.latinEnd && latinAt(text, to)) return;
        if (BREAK.test(text.slice(from, to))) return;
        found.push({ category: info.category, term: info.term, start: from, end: to });
      });
      // A term inside a longer term of the same category ("妈的" in "他妈的") is one finding, not two.
      return found.filter(
        (m) => !found.some((o) => o !== m && o.category === m.category && o.start <= m.start && o.end >= m.end && o.end - o.start > m.end - m.start),
      );
    },
  };
}

/** Terms from a plain-text lexicon file: one per line, `#` starts a comment, blank lines ignored. */
export function parseLexiconFile(content: string, category: string): LexiconTerm[] {
  const terms: LexiconTerm[] = [];
  for (const raw of content.split('\n')) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line) terms.push({ term: line, category });
  }
  return terms;
}
