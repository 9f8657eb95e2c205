/**
 * When the bot hands a conversation to a person, and why. Each trigger is a bot setting (`handoff.when`
 * in bot.yaml); the first that fires names the reason recorded on the handoff.
 *   asked_for_human      the customer asked for a person
 *   bot_could_not_help   N turns in a row the bot declined or had to ask back
 *   strong_negative      the message reads as strong displeasure (a lexicon per language, prompts/handoff)
 *   compliance           compliance escalated the turn
 *   task_failed          a task (flow) failed
 *   customer_tag:<tag>   the customer carries a tag the bot always routes to people (e.g. vip)
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LEXICON_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../prompts/handoff');

export interface HandoffTriggers {
  askedForHuman: boolean;
  /** Declined or clarifying turns in a row after which a person takes over (0: never). */
  couldNotHelpTurns: number;
  /** Negativity at or above which a person takes over (0 to 1; 1 or more: never). */
  negativeAt: number;
  compliance: boolean;
  taskFailed: boolean;
  customerTags: string[];
}

export const DEFAULT_TRIGGERS: HandoffTriggers = { askedForHuman: true, couldNotHelpTurns: 3, negativeAt: 0.6, compliance: true, taskFailed: true, customerTags: [] };

/** What the turn found that the triggers read. */
export interface HandoffFacts {
  askedForHuman: boolean;
  /** This turn's grounding outcome and the bot's earlier ones, newest last. */
  outcomes: ('answer' | 'clarify' | 'decline' | 'other')[];
  negativity: number;
  complianceEscalated: boolean;
  taskFailed: boolean;
  customerTags: string[];
}

export function handoffReason(triggers: HandoffTriggers, facts: HandoffFacts): string | null {
  if (triggers.askedForHuman && facts.askedForHuman) return 'asked_for_human';
  if (triggers.compliance && facts.complianceEscalated) return 'compliance';
  if (triggers.taskFailed && facts.taskFailed) return 'task_failed';
  const tag = facts.customerTags.find((t) => triggers.customerTags.includes(t));
  if (tag) return `customer_tag:${tag}`;
  if (triggers.negativeAt < 1 && facts.negativity >= triggers.negativeAt) return 'strong_negative';
  const n = triggers.couldNotHelpTurns;
  if (n > 0 && facts.outcomes.length >= n && facts.outcomes.slice(-n).every((o) => o === 'decline' || o === 'clarify')) return 'bot_could_not_help';
  return null;
}

/** Reads `handoff.when` from bot.yaml over the defaults; errors name the setting. */
export function parseTriggers(raw: unknown): HandoffTriggers {
  const r = (raw ?? {}) as Record<string, unknown>;
  const t = { ...DEFAULT_TRIGGERS };
  const bool = (k: keyof HandoffTriggers & string) => {
    if (r[k] === undefined) return;
    if (typeof r[k] !== 'boolean') throw new Error(`handoff.when.${k} must be true or false`);
    (t as Record<string, unknown>)[k] = r[k];
  };
  bool('askedForHuman');
  bool('compliance');
  bool('taskFailed');
  if (r.couldNotHelpTurns !== undefined) {
    if (!Number.isInteger(r.couldNotHelpTurns) || (r.couldNotHelpTurns as number) < 0) throw new Error('handoff.when.couldNotHelpTurns must be a whole number (0: never)');
    t.couldNotHelpTurns = r.couldNotHelpTurns as number;
  }
  if (r.negativeAt !== undefined) {
    if (typeof r.negativeAt !== 'number' || r.negativeAt < 0) throw new Error('handoff.when.negativeAt must be a number from 0 to 1 (1: never)');
    t.negativeAt = r.negativeAt;
  }
  if (r.customerTags !== undefined) {
    if (!Array.isArray(r.customerTags)) throw new Error('handoff.when.customerTags must be a list of tags');
    t.customerTags = r.customerTags.map(String);
  }
  return t;
}

interface Lexicon {
  words: { re: RegExp; weight: number }[];
  phrases: { text: string; weight: number }[];
}

function readLexicon(file: string, wholeWords: boolean): Lexicon {
  const lex: Lexicon = { words: [], phrases: [] };
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [text, w] = line.split('\t');
    const weight = w ? Number(w) : 1;
    const term = text!.trim().toLowerCase();
    if (wholeWords) lex.words.push({ re: new RegExp(`(?<![a-z])${term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/[ -]/g, '[ -]?')}(?![a-z])`, 'g'), weight });
    else lex.phrases.push({ text: term, weight });
  }
  return lex;
}

let lexicons: { en: Lexicon; zh: Lexicon } | undefined;

/**
 * How strongly a message reads as displeasure, 0 to 1: lexicon weights, plus shouting (a run of "!" or
 * "！", words in capitals). One strong word alone stays under the default threshold; two, or one with
 * shouting, pass it.
 */
export function negativity(text: string): number {
  lexicons ??= { en: readLexicon(join(LEXICON_DIR, 'strong-negative.en.txt'), true), zh: readLexicon(join(LEXICON_DIR, 'strong-negative.zh.txt'), false) };
  const lower = text.toLowerCase();
  let score = 0;
  for (const w of lexicons.en.words) score += (lower.match(w.re)?.length ?? 0) * w.weight;
  for (const p of lexicons.zh.phrases) if (lower.includes(p.text)) score += p.weight;
  if (/[!！]{2,}/.test(text)) score += 0.5;
  if ((text.match(/\b[A-Z]{3,}\b/g) ?? []).length >= 2) score += 0.5;
  return Math.min(1, score / 2.5);
}
