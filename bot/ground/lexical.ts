/**
 * The foundation's stopgap retrieval: BM25 over the help centre's entries with simple tokens
 * (stemmed English words, Chinese character bigrams). knowledge/ replaces it with hybrid search.
 */
import { stemmer } from 'stemmer';
import type { Passage, Source } from '../turn/types.ts';

export interface LexicalDoc {
  title: string;
  text: string;
  lang: 'zh' | 'en';
  source: Source;
}

const STOP = new Set('a an the is are am be to of in on for and or my i me you your it do does did can how what when where why which who with at by from this that there have has was were will would should could please hi hello'.split(' '));

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) if (!STOP.has(word)) out.push(stemmer(word));
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) {
    if (run.length === 1) out.push(run);
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
  }
  return out;
}

export function createLexicalIndex(docs: LexicalDoc[], opts: { k1?: number; b?: number; threshold?: number } = {}) {
  const k1 = opts.k1 ?? 1.2;
  const b = opts.b ?? 0.75;
  // the title counts twice: a question heading says most about what an entry answers
  const bags = docs.map((d) => tokenize(`${d.title} ${d.title} ${d.text}`));
  const avgLen = bags.reduce((n, t) => n + t.length, 0) / Math.max(1, bags.length);
  const df = new Map<string, number>();
  const tfs = bags.map((tokens) => {
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    return tf;
  });
  const idf = (t: string) => Math.log(1 + (docs.length - (df.get(t) ?? 0) + 0.5) / ((df.get(t) ?? 0) + 0.5));

  return {
    /** The best entries for `query`, best first; a score is the BM25 sum normalised by the query's own best possible idf mass. */
    search(query: string, limit = 3): Passage[] {
      const q = [...new Set(tokenize(query))];
      if (!q.length) return [];
      // words the help centre never uses still count: a question mostly about something else scores low
      const mass = q.reduce((n, t) => n + idf(t), 0);
      const scored = docs.map((doc, i) => {
        const tf = tfs[i]!;
        const len = bags[i]!.length;
        let s = 0;
        for (const t of q) {
          const f = tf.get(t);
          if (f) s += (idf(t) * f * (k1 + 1)) / (f + k1 * (1 - b + (b * len) / avgLen));
        }
        return { doc, score: s / mass / (k1 + 1) };
      });
      return scored
        .filter((s) => s.score >= (opts.threshold ?? 0.25))
        .sort((a, b2) => b2.score - a.score)
        .slice(0, limit)
        .map(({ doc, score }) => ({ text: doc.text, score, source: doc.source }));
    },
  };
}
