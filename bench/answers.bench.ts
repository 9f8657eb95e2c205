/**
 * Answer selection, side by side on the demo shop's customer questions: which help entry answers the
 * question, or decline. Three systems on the same dev and test halves (examples/demo-shop/eval/answers-*.jsonl):
 *
 *   kefu      the whole pipeline (startKefu on an in-memory database, askAll / score as `kefu eval answers`)
 *   node-nlp  NLP.js NlpManager as a QnA corpus: one intent per entry, trained on its question and phrasings
 *             in en and zh, answer = the entry key; 'None' or a score below the threshold is declined
 *   bm25      MiniSearch over one document per entry and language (question, phrasings, answer); the top
 *             result answers; a score below the threshold is declined (Han text: Intl.Segmenter words + characters)
 *
 * The baselines' thresholds are chosen on the dev half alone (maximising correct − 3 × wrong − off-topic
 * answered over a grid) and applied unchanged to the test half. A follow-up is asked of the baselines as its
 * last context message and the text joined with a space; kefu gets the context as earlier messages.
 *
 *   npm run bench -- answers
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import MiniSearch from 'minisearch';
import { startKefu } from '../bot/app.ts';
import { loadHelpCenter, type HelpEntry } from '../bot/content/help-articles.ts';
import { askAll, parseQuestions, score, type AnswerQuestion, type AnswerScores, type Graded } from '../bot/eval/answers.ts';
import { channels } from '../adapters/index.ts';

const BOT = 'examples/demo-shop';
const HALVES = ['dev', 'test'] as const;
type Half = (typeof HALVES)[number];

/** `en/shipping#delivery-time` → `shipping#delivery-time`. */
const keyOf = (e: HelpEntry) => e.id.replace(/^[a-z]{2}\//, '');
const langOf = (q: AnswerQuestion) => q.lang ?? (/\p{Script=Han}/u.test(q.text) ? 'zh' : 'en');
/** What a baseline is asked: a follow-up's last context message, then the question. */
const asked = (q: AnswerQuestion) => (q.context?.length ? `${q.context[q.context.length - 1]} ${q.text}` : q.text);

/** A baseline's raw guess for one question, before its threshold. */
interface Guess {
  question: AnswerQuestion;
  entry: string | null;
  score: number;
  ms: number;
}

interface Baseline {
  name: string;
  trainSeconds: number;
  guess(q: AnswerQuestion): Promise<Guess>;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
};

/** Graded as kefu's eval grades: the entry answered (null: declined), correct when it is the expected one. */
function graded(guesses: Guess[], threshold: number): Graded[] {
  return guesses.map(({ question, entry, score, ms }) => {
    const answered = entry !== null && score >= threshold ? entry : null;
    return { question, answered, ms, outcome: answered ? (answered === question.expected ? 'correct' : 'wrong') : 'declined' };
  });
}

const objective = (s: AnswerScores, offTopic: number) => s.correct - 3 * s.wrong - (offTopic - s.offTopicDeclined);

/** The dev threshold: the best objective over 101 steps from 0 to the highest dev score (ties: the lowest). */
function chooseThreshold(dev: Guess[]): number {
  const top = Math.max(0, ...dev.map((g) => g.score));
  const offTopic = dev.filter((g) => g.question.expected === null).length;
  let best = { threshold: 0, value: -Infinity };
  for (let i = 0; i <= 100; i++) {
    const threshold = (top * i) / 100;
    const value = objective(score(graded(dev, threshold)), offTopic);
    if (value > best.value) best = { threshold, value };
  }
  return best.threshold;
}

async function nodeNlp(entries: HelpEntry[]): Promise<Baseline> {
  const require = createRequire(import.meta.url);
  const { NlpManager } = require('node-nlp') as { NlpManager: new (o: object) => any };
  // threshold 0: NLP.js's own 0.5 cut-off off, so the dev-chosen threshold decides
  const manager = new NlpManager({ languages: ['en', 'zh'], threshold: 0, forceNER: false, autoSave: false, nlu: { log: false }, sentiment: false });
  const started = performance.now();
  for (const e of entries) {
    for (const text of [e.question, ...e.phrasings]) manager.addDocument(e.lang, text, keyOf(e));
    manager.addAnswer(e.lang, keyOf(e), keyOf(e));
  }
  await manager.train();
  const trainSeconds = (performance.now() - started) / 1000;
  return {
    name: 'node-nlp',
    trainSeconds,
    async guess(question) {
      const t0 = performance.now();
      const r = await manager.process(langOf(question), asked(question));
      const ms = performance.now() - t0;
      const entry = !r.intent || r.intent === 'None' ? null : ((r.answer as string | undefined) ?? (r.intent as string));
      return { question, entry, score: entry ? (r.score as number) : 0, ms };
    },
  };
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN = /\p{Script=Han}/u;

/** Han words from Intl.Segmenter plus their single characters; other words lower-cased. */
function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const { segment, isWordLike } of segmenter.segment(text)) {
    if (!isWordLike) continue;
    if (HAN.test(segment)) {
      out.push(segment);
      if ([...segment].length > 1) out.push(...[...segment].filter((c) => HAN.test(c)));
    } else out.push(segment.toLowerCase());
  }
  return out;
}

function bm25(entries: HelpEntry[]): Baseline {
  const started = performance.now();
  const index = new MiniSearch<{ id: string; key: string; question: string; phrasings: string; answer: string }>({
    fields: ['question', 'phrasings', 'answer'],
    storeFields: ['key'],
    tokenize,
    processTerm: (t) => t,
  });
  index.addAll(entries.map((e) => ({ id: e.id, key: keyOf(e), question: e.question, phrasings: e.phrasings.join('\n'), answer: e.body })));
  const trainSeconds = (performance.now() - started) / 1000;
  return {
    name: 'bm25',
    trainSeconds,
    async guess(question) {
      const t0 = performance.now();
      const top = index.search(asked(question))[0];
      const ms = performance.now() - t0;
      return { question, entry: top ? (top.key as string) : null, score: top?.score ?? 0, ms };
    },
  };
}

interface Figures {
  system: string;
  half: Half;
  scores: AnswerScores;
  answerable: number;
  offTopic: number;
  results: Graded[];
  note: string;
}

function figures(system: string, half: Half, results: Graded[], note = ''): Figures {
  const scores = score(results);
  const answerable = results.filter((g) => g.question.expected !== null).length;
  return { system, half, scores, answerable, offTopic: results.length - answerable, results, note };
}

/** The p50 of the question's own turn, unrounded (score() rounds to 0.1 ms). */
const p50 = (f: Figures) => median(f.results.map((g) => g.ms));
const pct = (n: number, of: number) => (of ? (100 * n) / of : 0);
const cell = (n: number, of: number) => `${pct(n, of).toFixed(1)}%`.padStart(8);

function tableRow(f: Figures): string {
  const s = f.scores;
  return [
    f.system.padEnd(9),
    f.half.padEnd(5),
    String(f.answerable).padStart(10),
    cell(s.correct, f.answerable),
    cell(s.clarified, f.answerable).padStart(9),
    cell(s.declined, f.answerable),
    cell(s.wrong, f.answerable),
    `${s.offTopicDeclined}/${f.offTopic}`.padStart(8),
    cell(s.offTopicDeclined, f.offTopic),
    p50(f).toFixed(p50(f) < 10 ? 2 : 1).padStart(8),
    ` ${f.note}`,
  ].join(' ');
}

function languageLine(f: Figures): string {
  const parts = (['en', 'zh'] as const).map((lang) => {
    const set = f.results.filter((g) => g.question.expected !== null && langOf(g.question) === lang);
    const c = set.filter((g) => g.outcome === 'correct').length;
    const w = set.filter((g) => g.outcome === 'wrong').length;
    return `${lang} correct ${c}/${set.length} (${pct(c, set.length).toFixed(1)}%) wrong ${w}/${set.length} (${pct(w, set.length).toFixed(1)}%)`;
  });
  return `  ${f.system.padEnd(9)} ${parts.join('   ')}`;
}

export async function run(): Promise<void> {
  const questions = Object.fromEntries(
    HALVES.map((h) => {
      const file = `${BOT}/eval/answers-${h}.jsonl`;
      return [h, parseQuestions(readFileSync(file, 'utf8'), file)];
    }),
  ) as Record<Half, AnswerQuestion[]>;
  const entries = loadHelpCenter(`${BOT}/knowledge`);
  console.log(
    `${entries.length} help entries (${new Set(entries.map(keyOf)).size} keys); questions: ${HALVES.map((h) => `${h} ${questions[h].length}`).join(', ')}`,
  );
  const all: Figures[] = [];

  // kefu: one instance, both halves asked in one run (each question in a conversation of its own)
  const t = performance.now();
  const kefu = await startKefu({ channels: channels(), botDir: BOT, port: 0 });
  const startSeconds = (performance.now() - t) / 1000;
  try {
    const both = [...questions.dev, ...questions.test];
    const results = await askAll(kefu.chat, both, (done) => done % 100 === 0 && process.stderr.write(`  kefu asked ${done}/${both.length}\n`));
    all.push(figures('kefu', 'dev', results.slice(0, questions.dev.length), `start ${startSeconds.toFixed(1)} s`));
    all.push(figures('kefu', 'test', results.slice(questions.dev.length)));
  } finally {
    await kefu.close();
  }

  for (const baseline of [await nodeNlp(entries), bm25(entries)]) {
    const guesses = { dev: [] as Guess[], test: [] as Guess[] };
    for (const h of HALVES) for (const q of questions[h]) guesses[h].push(await baseline.guess(q));
    const threshold = chooseThreshold(guesses.dev);
    const note = `train ${baseline.trainSeconds.toFixed(2)} s, threshold ${threshold.toFixed(3)} (dev-chosen)`;
    all.push(figures(baseline.name, 'dev', graded(guesses.dev, threshold), note));
    all.push(figures(baseline.name, 'test', graded(guesses.test, threshold)));
  }

  console.log('\nanswerable questions: % correct / clarified / declined / wrong; off-topic questions: declined');
  console.log(
    `${'system'.padEnd(9)} ${'half'.padEnd(5)} ${'answerable'.padStart(10)} ${'correct'.padStart(8)} ${'clarified'.padStart(9)} ${'declined'.padStart(8)} ${'wrong'.padStart(8)} ${'offTopic'.padStart(8)} ${'declined'.padStart(8)} ${'p50 ms'.padStart(8)}`,
  );
  for (const h of HALVES) for (const f of all.filter((x) => x.half === h)) console.log(tableRow(f));

  const test = all.filter((f) => f.half === 'test');
  console.log('\ntest half by language (answerable questions):');
  for (const f of test) console.log(languageLine(f));

  const round = (x: number) => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify({
      half: 'test',
      ...Object.fromEntries(
        test.map((f) => [
          f.system,
          {
            answerable: f.answerable,
            correctPct: round(pct(f.scores.correct, f.answerable)),
            clarifiedPct: round(pct(f.scores.clarified, f.answerable)),
            declinedPct: round(pct(f.scores.declined, f.answerable)),
            wrongPct: round(pct(f.scores.wrong, f.answerable)),
            offTopic: f.offTopic,
            offTopicDeclinedPct: round(pct(f.scores.offTopicDeclined, f.offTopic)),
            p50Ms: Math.round(p50(f) * 100) / 100,
          },
        ]),
      ),
    }),
  );
}
