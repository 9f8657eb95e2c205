/**
 * `kefu eval answers`: customer questions through the whole pipeline and store, each in a conversation
 * of its own (earlier messages of a follow-up first), scored by the reply's first source.
 *
 *   {"text": "…", "expected": "shipping#delivery-time" | null, "lang"?: "en"|"zh", "kind"?: "…", "context"?: ["…"]}
 *
 * An answerable question's reply is correct (its first source is the expected entry), clarified
 * ("Did you mean …?"), declined (no source) or wrong; an off-topic one (expected null) should be
 * declined or clarified, never answered from an entry. Each answer's quality is judged by the reviewers'
 * five measures (`bot/generate/quality.ts`), relevance being whether it answered the expected entry.
 */
import type { ChatPort } from '../turn/channel.ts';
import { detectLocale } from '../turn/locale.ts';
import type { Locale, StoredMessage } from '../turn/types.ts';
import { entryKey } from '../ground/entry-selector.ts';
import { ENTRY_PAYLOAD } from '../ground/stage.ts';
import { judgeAnswer, weightedScore, QUALITY_WEIGHTS, type Measure, type Quality } from '../generate/quality.ts';

export interface AnswerQuestion {
  text: string;
  expected: string | null;
  lang?: Locale;
  kind?: string;
  context?: string[];
}

export type Outcome = 'correct' | 'clarified' | 'declined' | 'wrong';

export interface Graded {
  question: AnswerQuestion;
  outcome: Outcome;
  /** The entry the reply's first source names (null: no source). */
  answered: string | null;
  /** An answer's quality (answers from an entry only). */
  quality?: Quality;
  ms: number;
}

export interface AnswerScores {
  questions: number;
  correct: number;
  clarified: number;
  declined: number;
  wrong: number;
  offTopicDeclined: number;
  p50Ms: number;
  p99Ms: number;
  /** Mean quality of the answers by measure (0..1) and their weighted score out of 100; null when nothing was answered. */
  quality: (Partial<Record<Measure, number>> & { score: number }) | null;
}

export function parseQuestions(text: string, file = 'questions'): AnswerQuestion[] {
  return text
    .split(/\r?\n/)
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line)
    .map(({ line, n }) => {
      let q: Partial<AnswerQuestion>;
      try {
        q = JSON.parse(line) as Partial<AnswerQuestion>;
      } catch {
        throw new Error(`${file}:${n}: not a JSON object`);
      }
      if (typeof q.text !== 'string' || !q.text.trim()) throw new Error(`${file}:${n}: "text" must be a non-empty string`);
      if (q.expected !== null && typeof q.expected !== 'string') throw new Error(`${file}:${n}: "expected" must be an entry id ("topic#anchor") or null`);
      if (q.context !== undefined && (!Array.isArray(q.context) || !q.context.every((c) => typeof c === 'string'))) throw new Error(`${file}:${n}: "context" must be a list of messages`);
      return q as AnswerQuestion;
    });
}

/** The entry a help-centre link points at: `/help/en/shipping#delivery-time` → `shipping#delivery-time`. */
export function entryOfUrl(url: string | undefined): string | null {
  if (!url) return null;
  const m = /\/help\/(.+)$/.exec(url);
  return m ? entryKey(decodeURIComponent(m[1]!)) : entryKey(url);
}

export function grade(question: AnswerQuestion, reply: StoredMessage | null): Omit<Graded, 'ms'> {
  const answered = entryOfUrl(reply?.sources[0]?.url);
  const clarified = !answered && !!reply?.quickReplies.some((q) => q.payload.startsWith(ENTRY_PAYLOAD));
  const outcome: Outcome = answered ? (answered === question.expected ? 'correct' : 'wrong') : clarified ? 'clarified' : 'declined';
  if (!answered || !reply) return { question, outcome, answered };
  const judged = judgeAnswer({ text: reply.text, locale: question.lang ?? detectLocale(question.text), sources: reply.sources.length });
  const { score: _, ...measures } = judged;
  const relevance = outcome === 'correct' ? 1 : 0;
  return { question, outcome, answered, quality: { ...measures, relevance, score: weightedScore({ ...measures, relevance }) } };
}

/**
 * The message of a turn that answers the question: a turn may send more than its answer after it (a
 * task the customer started earlier resuming — "Let's carry on: …", a complaint's transfer to a person
 * and the queue place), so the answer is the first message with a source or "Did you mean …?" buttons;
 * a turn with neither is judged by its last message.
 */
export function answerOf(replies: StoredMessage[]): StoredMessage | null {
  return replies.find((m) => m.sources.length > 0 || m.quickReplies.some((q) => q.payload.startsWith(ENTRY_PAYLOAD))) ?? replies.at(-1) ?? null;
}

/** Asks every question in a fresh conversation, one at a time (the latency is the question's own turn). */
export async function askAll(chat: ChatPort, questions: AnswerQuestion[], onProgress?: (done: number) => void): Promise<Graded[]> {
  const graded: Graded[] = [];
  let n = 0;
  for (const q of questions) {
    const locale = q.lang ?? detectLocale(q.text);
    const conversation = await chat.startConversation({ channel: 'web', customerId: `eval-${n}`, locale });
    let i = 0;
    const say = async (text: string) => {
      const receipt = await chat.receive({ channel: 'web', channelMessageId: `eval-${n}-${i++}`, conversationId: conversation.id, customerId: `eval-${n}`, text, images: [], locale, receivedAt: new Date() });
      return answerOf(await receipt.replies);
    };
    for (const earlier of q.context ?? []) await say(earlier);
    const started = performance.now();
    const reply = await say(q.text);
    graded.push({ ...grade(q, reply), ms: performance.now() - started });
    n += 1; // counted outside the optional call: without a progress listener, `onProgress?.(++n)` never counted
    onProgress?.(n);
  }
  return graded;
}

export function score(graded: Graded[]): AnswerScores {
  const answerable = graded.filter((g) => g.question.expected !== null);
  const offTopic = graded.filter((g) => g.question.expected === null);
  const count = (o: Outcome) => answerable.filter((g) => g.outcome === o).length;
  const ms = graded.map((g) => g.ms).sort((a, b) => a - b);
  const at = (q: number) => (ms.length ? Math.round(ms[Math.min(ms.length - 1, Math.floor(q * ms.length))]! * 10) / 10 : 0);
  return {
    questions: graded.length,
    correct: count('correct'),
    clarified: count('clarified'),
    declined: count('declined'),
    wrong: count('wrong'),
    offTopicDeclined: offTopic.filter((g) => !g.answered).length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    quality: meanQuality(graded.flatMap((g) => (g.quality ? [g.quality] : []))),
  };
}

function meanQuality(judged: Quality[]): AnswerScores['quality'] {
  if (!judged.length) return null;
  const mean: Partial<Record<Measure, number>> = {};
  for (const m of Object.keys(QUALITY_WEIGHTS) as Measure[]) {
    const values = judged.flatMap((q) => (q[m] === undefined ? [] : [q[m]!]));
    if (values.length) mean[m] = Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 1000) / 1000;
  }
  return { ...mean, score: Math.round((judged.reduce((a, q) => a + q.score, 0) / judged.length) * 10) / 10 };
}

const pct = (n: number, of: number) => (of ? `${((100 * n) / of).toFixed(1)}%` : '—');

/** A readable report: per language, errors by kind, and the wrong answers themselves. */
export function report(graded: Graded[]): string[] {
  const lines: string[] = [];
  const row = (name: string, set: Graded[]) => {
    const a = set.filter((g) => g.question.expected !== null);
    const off = set.filter((g) => g.question.expected === null);
    const c = (o: Outcome) => a.filter((g) => g.outcome === o).length;
    lines.push(
      `${name.padEnd(10)} ${String(a.length).padStart(5)} ${pct(c('correct'), a.length).padStart(8)} ${pct(c('clarified'), a.length).padStart(9)} ${pct(c('declined'), a.length).padStart(8)} ${pct(c('wrong'), a.length).padStart(7)} ${String(off.length).padStart(8)} ${pct(off.filter((g) => !g.answered).length, off.length).padStart(9)}`,
    );
  };
  lines.push(`${'set'.padEnd(10)} ${'asked'.padStart(5)} ${'correct'.padStart(8)} ${'clarified'.padStart(9)} ${'declined'.padStart(8)} ${'wrong'.padStart(7)} ${'offTopic'.padStart(8)} ${'declined'.padStart(9)}`);
  row('all', graded);
  for (const lang of ['en', 'zh'] as const) row(lang, graded.filter((g) => (g.question.lang ?? detectLocale(g.question.text)) === lang));
  const quality = meanQuality(graded.flatMap((g) => (g.quality ? [g.quality] : [])));
  if (quality) {
    const measures = (Object.keys(QUALITY_WEIGHTS) as Measure[]).map((m) => `${m} ${quality[m] === undefined ? '—' : `${(100 * quality[m]!).toFixed(1)}%`}`);
    lines.push('', `answer quality (weights ${Object.values(QUALITY_WEIGHTS).join('/')}): ${quality.score.toFixed(1)} of 100 — ${measures.join(', ')}`);
  }
  const kinds = [...new Set(graded.map((g) => g.question.kind ?? '-'))].sort();
  lines.push('', 'by kind');
  for (const kind of kinds) row(kind, graded.filter((g) => (g.question.kind ?? '-') === kind));
  const misses = graded.filter((g) => g.outcome === 'wrong' || (g.question.expected === null && g.answered));
  if (misses.length) {
    lines.push('', 'answered wrongly');
    for (const g of misses) lines.push(`  ${JSON.stringify(g.question.text)}${g.question.context ? ` (after ${JSON.stringify(g.question.context)})` : ''}: ${g.answered} instead of ${g.question.expected ?? 'declining'}`);
  }
  return lines;
}
