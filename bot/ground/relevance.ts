/**
 * The relevance decision: all the evidence about which help entry a message is about, weighed into one
 * score per entry, and one of three outcomes — answer (one entry is clearly best), clarify (two or three
 * are close: "Did you mean …?"), decline (none is good enough). Pure; the thresholds are calibrated on
 * held-out customer questions (`kefu eval answers`).
 */
import type { GroundingOutcome } from '../turn/types.ts';

/** What is known about one entry for one message. */
export interface EntryEvidence {
  key: string;
  /** The entry selector's probability (0 when the entry is not in its top five). */
  selector: number;
  /** Retrieval relevance of the entry's question or answer, 0–1 (0 when not recalled). */
  retrieval: number;
  /** The recognised intent names this entry's topic (+1), names other topics only (−1), or says nothing (0). */
  intent: -1 | 0 | 1;
}

export interface RelevanceSettings {
  selectorWeight: number;
  retrievalWeight: number;
  intentWeight: number;
  /** Weight of the selector's out-of-scope probability against every entry. */
  outOfScopeWeight: number;
  /** An entry this good, ahead of the next by `margin`, is the answer. */
  answerAt: number;
  margin: number;
  /** Entries at least this good are offered in a clarifying question (two or three of them). */
  clarifyAt: number;
}

/**
 * Chosen on the demo shop's dev questions (examples/demo-shop/eval/answers-dev.jsonl) by a grid over
 * the weights and thresholds, scored on three selectors trained from slightly different phrasings (the
 * selector's training varies by a few answers): the most correct answers with at most about 3% wrong and
 * 95% of off-topic questions declined. The selector decides almost alone: an answer needs its probability
 * near 0.6; retrieval adds a little; the selector's out-of-scope probability changed nothing on top (its
 * weight came out 0). The intent's agreement (the demo's intents name their topics with `answers:`) is worth
 * one more correct answer at 0.05; from 0.1 up it adds wrong answers and answered off-topic questions, and
 * letting a disagreeing intent stop an answer (clarify instead) costs far more correct answers than wrong.
 */
export const DEFAULT_RELEVANCE: RelevanceSettings = {
  selectorWeight: 1,
  retrievalWeight: 0.1,
  intentWeight: 0.05,
  outOfScopeWeight: 0,
  answerAt: 0.6,
  margin: 0.1,
  clarifyAt: 0.15,
};

export interface ScoredEntry extends EntryEvidence {
  score: number;
}

export interface RelevanceDecision {
  outcome: GroundingOutcome;
  /** answer: the one entry; clarify: the two or three offered; decline: the best guesses, for the trace. */
  entries: ScoredEntry[];
}

export function scoreEntry(e: EntryEvidence, outOfScope: number, s: RelevanceSettings): number {
  return s.selectorWeight * e.selector + s.retrievalWeight * e.retrieval + s.intentWeight * e.intent - s.outOfScopeWeight * outOfScope;
}

/**
 * The highest score an entry could reach for a message whatever the knowledge search finds, given the
 * selector's guesses (its top five; an entry outside them counts 0): each guessed entry with the search's
 * relevance and the intent's agreement at their most favourable, and any other entry — or, where
 * `unknownEntries`, a document the selector was not trained on, which counts its relevance as its
 * selector probability — with the search alone. Rounded as decideRelevance rounds scores.
 */
export function bestPossibleScore(guess: { ranking: { confidence: number }[]; outOfScope: number }, unknownEntries: boolean, s: RelevanceSettings = DEFAULT_RELEVANCE): number {
  const best = (selector: number) =>
    Math.max(...[0, 1].flatMap((retrieval) => ([-1, 0, 1] as const).map((intent) => scoreEntry({ key: '', selector, retrieval, intent }, guess.outOfScope, s))));
  const bound = Math.max(best(0), unknownEntries ? best(1) : -Infinity, ...guess.ranking.map((g) => best(g.confidence)));
  return Math.round(bound * 1000) / 1000;
}

/** Whether a message could be answered (decideRelevance's outcome `answer`) whatever the knowledge search finds. */
export function couldAnswer(guess: { ranking: { confidence: number }[]; outOfScope: number }, unknownEntries: boolean, s: RelevanceSettings = DEFAULT_RELEVANCE): boolean {
  return bestPossibleScore(guess, unknownEntries, s) >= s.answerAt;
}

export function decideRelevance(evidence: EntryEvidence[], outOfScope: number, s: RelevanceSettings = DEFAULT_RELEVANCE): RelevanceDecision {
  const ranked = evidence
    .map((e) => ({ ...e, score: Math.round(scoreEntry(e, outOfScope, s) * 1000) / 1000 }))
    .sort((a, b) => b.score - a.score || b.selector - a.selector);
  const [best, second] = ranked;
  if (!best || best.score < s.clarifyAt) return { outcome: 'decline', entries: ranked.slice(0, 3) };
  if (best.score >= s.answerAt && best.score - (second?.score ?? 0) >= s.margin) return { outcome: 'answer', entries: [best] };
  // close runners-up (or a lone, less certain best guess) are offered as "Did you mean …?"
  const close = ranked.filter((e) => e.score >= s.clarifyAt && e.score >= best.score - 2 * s.margin).slice(0, 3);
  if (close.length < 2 && best.score >= s.answerAt) return { outcome: 'answer', entries: [best] };
  return { outcome: 'clarify', entries: close };
}
