/**
 * The guard: every message in and every reply out passes it. It masks personal data, matches the
 * sensitive-word lexicons, detects prompt injection and prompt leaks, applies the regulated-claim
 * rule packs, and decides allow / mask / rewrite / block / escalate with the rules that fired.
 * Built from plain data (`GuardRules`), pure: loading files and reloading live in load.ts.
 */
import type { Locale } from '../turn/types.ts';
import { buildAutomaton, type Automaton } from './aho-corasick.ts';
import { compileLexicon, type Lexicon, type LexiconTerm } from './lexicon.ts';
import { matchingForm } from './matching-form.ts';
import { applyPatternRules, compilePatternRule, type PatternRuleSpec } from './pattern-rules.ts';
import { maskPersonalData, unmaskAllowed } from './personal-data.ts';
import { decisionOf, strongest, type Action, type Direction, type LocalizedText, type RuleHit, type Verdict } from './rules.ts';

export interface CategoryPolicy {
  in: Action;
  out: Action;
  /** Refusal text key used when this category blocks or escalates (defaults to the category name). */
  reason?: string;
}

export interface GuardRules {
  lexicon: LexiconTerm[];
  /** What a lexicon category does on input and output; categories not listed use `custom`'s policy. */
  categories: Record<string, CategoryPolicy>;
  rules: PatternRuleSpec[];
  /** Numbers the written policy fixes (e.g. returnWindowDays), checked by `limit` rules. */
  facts: Record<string, number>;
  /** Polite texts by key (blocked, injection, politics, abuse, escalate, safe-answer, image, …). */
  texts: Record<string, LocalizedText>;
  personalData: { in: Action; out: Action };
  /** Roles that may see personal data unmasked in a live conversation. */
  unmaskRoles: string[];
}

export interface Guard {
  checkIn(text: string, locale: Locale): Verdict;
  checkOut(text: string, locale: Locale): Verdict;
  /** A polite text by key, in the locale (falls back to `blocked`). */
  text(key: string, locale: Locale): string;
  /** Texts the bot must never reveal (its prompts): replies quoting them are blocked. */
  protect(texts: readonly string[]): void;
  unmaskAllowed(role: string): boolean;
  /** Number of lexicon terms in force. */
  readonly lexiconSize: number;
  /** Rebuilds from fresh rules (loadGuard calls this when files change); a no-op for a plain guard. */
  reload(): Promise<void>;
  /** Stops watching files; a no-op for a plain guard. */
  close(): void;
}

const DEFAULT_POLICY: CategoryPolicy = { in: 'flag', out: 'block' };
/** Length of the pieces of protected text looked for in replies (characters of the matching form). */
const SHINGLE = 24;

function replaceSpans(text: string, spans: { start: number; end: number; by: (s: string) => string }[]): string {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of sorted) {
    if (span.start < at) continue;
    out += text.slice(at, span.start) + span.by(text.slice(span.start, span.end));
    at = span.end;
  }
  return out + text.slice(at);
}

const stars = (s: string) => s.replace(/[^\s]/gu, '*');

export function createGuard(rules: GuardRules): Guard {
  const lexicon: Lexicon = compileLexicon(rules.lexicon);
  const patternRules = rules.rules.map(compilePatternRule);
  let protectedText: Automaton | undefined;

  const text = (key: string, locale: Locale): string =>
    rules.texts[key]?.[locale] ?? rules.texts[key]?.en ?? rules.texts.blocked?.[locale] ?? '…';

  function check(input: string, locale: Locale, direction: Direction): Verdict {
    const hits: RuleHit[] = [];

    const pii = maskPersonalData(input);
    const piiAction = rules.personalData[direction];
    for (const h of pii.hits) hits.push({ ruleId: h.ruleId, family: 'pii', action: piiAction, start: h.start, end: h.end, match: h.masked });
    let working = piiAction === 'mask' || piiAction === 'rewrite' ? pii.text : input;

    const masks: { start: number; end: number; by: (s: string) => string }[] = [];
    for (const m of lexicon.find(working)) {
      const policy = rules.categories[m.category] ?? rules.categories.custom ?? DEFAULT_POLICY;
      const action = policy[direction];
      if (action === 'allow') continue;
      hits.push({
        ruleId: `lexicon.${m.category}`,
        family: 'lexicon',
        action,
        start: m.start,
        end: m.end,
        match: m.term,
        reason: policy.reason ?? m.category,
      });
      if (action === 'mask' || action === 'rewrite') masks.push({ start: m.start, end: m.end, by: stars });
    }
    working = replaceSpans(working, masks);

    const appended: string[] = [];
    for (const hit of applyPatternRules(patternRules, working, direction, rules.facts)) {
      const { rule, ...plain } = hit;
      hits.push({ ...plain, match: plain.match ? maskPersonalData(plain.match).text : undefined });
      if (hit.action === 'rewrite' && rule.append) appended.push(rule.append[locale] ?? rule.append.en);
    }

    if (direction === 'out' && protectedText) {
      const found = protectedText.findAll(matchingForm(working).text);
      if (found.length > 0) hits.push({ ruleId: 'leak.protected-text', family: 'leak', action: 'block', reason: 'safe-answer' });
    }

    const body = working;
    const appendix = appended.length > 0 ? appended.join('\n') : undefined;
    const decision = decisionOf(hits);
    const decisive = strongest(hits);
    const verdict: Verdict = { decision, text: appendix ? `${body.trimEnd()}\n\n${appendix}` : body, body, hits };
    if (appendix) verdict.appendix = appendix;
    if (decision === 'block' || decision === 'escalate') {
      verdict.decisive = decisive;
      const key = decision === 'escalate' ? (rules.texts[`escalate-${decisive?.reason}`] ? `escalate-${decisive?.reason}` : 'escalate') : (decisive?.reason ?? 'blocked');
      verdict.reply = text(direction === 'out' && decision === 'block' && !rules.texts[key] ? 'safe-answer' : key, locale);
    }
    return verdict;
  }

  return {
    checkIn: (t, locale) => check(t, locale, 'in'),
    checkOut: (t, locale) => check(t, locale, 'out'),
    text,
    protect(texts) {
      const shingles: string[] = [];
      for (const t of texts) {
        const norm = matchingForm(t).text;
        for (let i = 0; i + SHINGLE <= norm.length; i += SHINGLE / 2) shingles.push(norm.slice(i, i + SHINGLE));
      }
      protectedText = shingles.length > 0 ? buildAutomaton(shingles) : undefined;
    },
    unmaskAllowed: (role) => unmaskAllowed(role, rules.unmaskRoles),
    lexiconSize: lexicon.size,
    reload: async () => undefined,
    close: () => undefined,
  };
}
