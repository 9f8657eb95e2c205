/**
 * The vocabulary of compliance decisions, shared by every guard: actions, rule hits, verdicts.
 */
import type { Locale } from '../turn/types.ts';

/** What a rule asks for, from mildest to strongest. `flag` is reported only; the text passes. */
export type Action = 'allow' | 'flag' | 'mask' | 'rewrite' | 'escalate' | 'block';

/** What the guards decide about a message: `flag` alone reads as `allow`. */
export type GuardDecision = 'allow' | 'mask' | 'rewrite' | 'block' | 'escalate';

export type RuleFamily = 'pii' | 'lexicon' | 'injection' | 'claim' | 'leak' | 'image';

export type Direction = 'in' | 'out';

export interface RuleHit {
  /** e.g. `pii.resident-id`, `lexicon.profanity`, `injection.override`, `finance.guaranteed-return`. */
  ruleId: string;
  family: RuleFamily;
  action: Action;
  start?: number;
  end?: number;
  /** The matched text as it may be stored: masked for personal data, the lexicon term for words. */
  match?: string;
  /** Which polite text answers a block or escalation (a key of the refusal texts). */
  reason?: string;
}

export interface Verdict {
  decision: GuardDecision;
  /** The text after masking and rewriting (for block/escalate: the masked text, for the record). */
  text: string;
  /** `text` without what a rewrite appended (e.g. a risk disclosure); the same when nothing was. */
  body: string;
  /** What a rewrite appended at the end, if anything. */
  appendix?: string;
  hits: RuleHit[];
  /** What the customer is told instead, for block and escalate. */
  reply?: string;
  /** The hit that decided a block or escalation. */
  decisive?: RuleHit;
}

const RANK: Record<Action, number> = { allow: 0, flag: 1, mask: 2, rewrite: 3, escalate: 4, block: 5 };

export function strongest(hits: readonly RuleHit[]): RuleHit | undefined {
  let best: RuleHit | undefined;
  for (const hit of hits) if (!best || RANK[hit.action] > RANK[best.action]) best = hit;
  return best;
}

export function decisionOf(hits: readonly RuleHit[]): GuardDecision {
  const action = strongest(hits)?.action ?? 'allow';
  return action === 'flag' ? 'allow' : action;
}

export type LocalizedText = Record<Locale, string>;
