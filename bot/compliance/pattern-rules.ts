/**
 * Rules written as regular expressions in data files: regulated claims (finance, e-commerce) and
 * prompt injection. A rule fires when one of its patterns matches and none of its `unless` patterns
 * does; a `limit` rule fires only when the number it captures exceeds a fact of the bot's policy
 * (e.g. a promised refund window longer than the written one).
 */
import { matchingForm } from './matching-form.ts';
import { readingForm } from '../turn/reading-form.ts';
import type { Action, Direction, LocalizedText, RuleFamily, RuleHit } from './rules.ts';

export interface PatternRuleSpec {
  id: string;
  family: RuleFamily;
  direction: Direction | 'both';
  action: Action;
  reason?: string;
  patterns: string[];
  unless?: string[];
  /** Fires only when the named group `n` of the match is greater than `facts[fact]`. */
  limit?: { fact: string };
  /** For `rewrite`: text appended to the message (e.g. a risk disclosure). */
  append?: LocalizedText;
}

export interface PatternRule extends Omit<PatternRuleSpec, 'patterns' | 'unless'> {
  patterns: RegExp[];
  unless: RegExp[];
}

export function compilePatternRule(spec: PatternRuleSpec): PatternRule {
  const compile = (source: string) => {
    try {
      return new RegExp(source, 'giu');
    } catch (e) {
      throw new Error(`rule ${spec.id}: bad pattern ${JSON.stringify(source)}: ${(e as Error).message}`);
    }
  };
  return { ...spec, patterns: spec.patterns.map(compile), unless: (spec.unless ?? []).map(compile) };
}

const ZH_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "30", "三十", "十五", "一百二十" → a number (NaN when it is neither). */
export function parseCount(value: string): number {
  if (/^\d+$/.test(value)) return Number(value);
  let total = 0;
  let digit = 0;
  for (const ch of value) {
    if (ch in ZH_DIGITS) digit = ZH_DIGITS[ch]!;
    else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else if (ch === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else return NaN;
  }
  return total + digit;
}

function firstMatch(rule: PatternRule, forms: string[], facts: Record<string, number>): RegExpMatchArray | undefined {
  for (const form of forms) {
    for (const pattern of rule.patterns) {
      for (const m of form.matchAll(pattern)) {
        if (!rule.limit) return m;
        const limit = facts[rule.limit.fact];
        const n = parseCount(m.groups?.n ?? '');
        if (limit !== undefined && n > limit) return m;
      }
    }
  }
  return undefined;
}

/** Every rule that fires on `text` in `direction`. */
export function applyPatternRules(
  rules: readonly PatternRule[],
  text: string,
  direction: Direction,
  facts: Record<string, number>,
): (RuleHit & { rule: PatternRule })[] {
  const forms = [readingForm(text), matchingForm(text).text];
  const hits: (RuleHit & { rule: PatternRule })[] = [];
  for (const rule of rules) {
    if (rule.direction !== 'both' && rule.direction !== direction) continue;
    const m = firstMatch(rule, forms, facts);
    if (!m) continue;
    if (rule.unless.some((u) => forms.some((f) => f.search(u) >= 0))) continue;
    hits.push({
      ruleId: rule.id,
      family: rule.family,
      action: direction === 'in' && rule.family === 'claim' ? 'flag' : rule.action,
      match: m[0].slice(0, 80),
      rule,
      ...(rule.reason ? { reason: rule.reason } : {}),
    });
  }
  return hits;
}
