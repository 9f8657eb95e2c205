/**
 * The pipeline's `ground` stage (knowledge passages with their sources for the turn's text) and the
 * grounded answer the compose stage gives when no LLM is configured: the best passage quoted with its
 * source, or an honest "I don't know" with the offer of a human.
 */
import type { Locale, Passage, Reply, Stage } from '../bot/turn/types.ts';
import type { Knowledge } from './index.ts';
import { detectLocale } from '../bot/turn/locale.ts';

/** Decisions for which the bot answers from knowledge; for others (a flow, small talk, escalation) ground does nothing. */
const GROUNDED_DECISIONS = new Set(['answer', 'clarify']);

export function groundStage(knowledge: Knowledge, opts: { limit?: number } = {}): Stage {
  return {
    name: 'ground',
    async run(turn) {
      if (turn.decision && !GROUNDED_DECISIONS.has(turn.decision)) return { decision: `skipped (${turn.decision})` };
      if (!turn.text.trim()) {
        turn.passages = [];
        return { decision: 'none' };
      }
      const locale = detectLocale(turn.text, turn.locale);
      const hits = await knowledge.search(turn.text, { locale, limit: opts.limit ?? 3 });
      turn.passages = hits.map((h) => ({ text: h.text, score: h.score, source: h.source }));
      return {
        decision: hits.length ? `found ${hits.length}` : 'none',
        detail: { locale, hits: hits.map((h) => ({ doc: h.docId, score: h.score, ...(h.curated ? { curated: true } : {}) })) },
      };
    },
  };
}

const TALK_TO_HUMAN: Record<Locale, { label: string; payload: string }> = {
  en: { label: 'Talk to a human', payload: 'Talk to a human' },
  zh: { label: '转人工', payload: '转人工' },
};

const DONT_KNOW: Record<Locale, string> = {
  en: "I don't know that one — shall I get you a human?",
  zh: '这个问题我还不知道答案——要为您转人工客服吗？',
};

const MAX_QUOTE = 700;

/** The no-LLM answer: the best passage, quoted, with its source (and those of close runners-up). */
export function groundedAnswer(passages: Passage[], locale: Locale): Reply {
  const best = passages[0];
  if (!best) return { text: DONT_KNOW[locale], sources: [], quickReplies: [TALK_TO_HUMAN[locale]] };
  const sources = [best, ...passages.slice(1).filter((p) => p.score >= best.score * 0.9)]
    .map((p) => p.source)
    .filter((s, i, all) => all.findIndex((o) => o.title === s.title && o.url === s.url) === i)
    .slice(0, 3);
  return { text: quote(best.text), sources, quickReplies: [] };
}

/** The passage, cut at a sentence end when it is long. */
export function quote(text: string, max = MAX_QUOTE): string {
  const flat = text.trim();
  if (flat.length <= max) return flat;
  const head = flat.slice(0, max);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('。'), head.lastIndexOf('\n'), head.lastIndexOf('！'), head.lastIndexOf('？'));
  return `${end > max / 2 ? head.slice(0, end + 1) : head}…`;
}
