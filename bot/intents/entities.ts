/**
 * Entities by patterns and lists, in Chinese and English: order numbers, phone numbers (CN mobile and
 * international), emails, amounts, dates, and configured lists (product names…). Pure functions; dates
 * relative to `today` so they can be tested.
 */
import type { Entity } from '../turn/types.ts';
import type { EntityListEntry } from '../../training/intents/dataset.ts';

export interface EntityOptions {
  /** Configured lists by entity type, e.g. `product`. */
  lists?: Record<string, EntityListEntry[]>;
  /** The day relative dates (tomorrow, 明天) count from. */
  today?: Date;
}

type Found = Entity;

const PATTERNS: { type: string; re: RegExp; value?: (m: RegExpExecArray) => string | null }[] = [
  { type: 'email', re: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g },
  // Order numbers: explicit prefixes (order #, 订单号) or the shop's letter+digits shape.
  {
    type: 'order_number',
    re: /(?:order(?:\s*(?:number|no\.?|id|#))?|订单(?:号|编号)?)\s*[:：#＃]?\s*([A-Za-z]{0,3}\d{6,20})/gi,
    value: (m) => m[1]!.toUpperCase(),
  },
  { type: 'order_number', re: /(?<![A-Za-z0-9])[A-Za-z]{1,3}\d{6,20}(?![A-Za-z0-9])/g, value: (m) => m[0].toUpperCase() },
  { type: 'phone', re: /(?<![\d+])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g, value: (m) => m[0].replace(/[\s-]/g, '') },
  { type: 'phone', re: /(?<![\w+])\+\d{1,3}(?:[\s-]?\(?\d{1,4}\)?){2,5}(?!\d)/g, value: (m) => '+' + m[0].replace(/\D/g, '') },
  {
    type: 'amount',
    re: /(?:(¥|￥|\$|€|£|rmb|cny|usd|eur|gbp)\s?(\d+(?:[.,]\d{1,2})?))|(?:(?<![\d.,])(\d+(?:\.\d{1,2})?)\s?(元|块钱|块|美元|欧元|英镑|rmb|cny|usd|eur|gbp|dollars?|yuan|euros?|pounds?)(?![a-z]))/gi,
    value: (m) => {
      const currency = currencyOf(m[1] ?? m[4] ?? '');
      const number = (m[2] ?? m[3] ?? '').replace(',', '.');
      return `${number} ${currency}`;
    },
  },
];

const DATE_PATTERNS: { re: RegExp; value: (m: RegExpExecArray, today: Date) => string | null }[] = [
  { re: /\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b/g, value: (m) => iso(+m[1]!, +m[2]!, +m[3]!) },
  { re: /(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号]/g, value: (m, today) => iso(m[1] ? +m[1] : today.getUTCFullYear(), +m[2]!, +m[3]!) },
  {
    re: /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b/gi,
    value: (m, today) => iso(m[3] ? +m[3] : today.getUTCFullYear(), MONTHS.indexOf(m[1]!.toLowerCase().slice(0, 3)) + 1, +m[2]!),
  },
  { re: /(大后天|后天|明天|今天|昨天|前天)|\b(today|tomorrow|yesterday|the day after tomorrow)\b/gi, value: (m, today) => iso(...shift(today, RELATIVE[(m[1] ?? m[2])!.toLowerCase()]!)) },
];

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const RELATIVE: Record<string, number> = { 前天: -2, 昨天: -1, yesterday: -1, 今天: 0, today: 0, 明天: 1, tomorrow: 1, 后天: 2, 'the day after tomorrow': 2, 大后天: 3 };

/** Every entity type kefu finds: its patterns', dates, and the configured lists'. */
export function entityTypes(lists: Record<string, EntityListEntry[]> = {}): string[] {
  return [...new Set([...PATTERNS.map((p) => p.type), 'date', ...Object.keys(lists)])];
}

export function extractEntities(text: string, opts: EntityOptions = {}): Entity[] {
  const input = text.slice(0, 10_000);
  const today = opts.today ?? new Date();
  const found: Found[] = [];
  for (const p of PATTERNS) {
    for (const m of input.matchAll(p.re)) {
      const value = p.value ? p.value(m as RegExpExecArray) : m[0];
      if (value) found.push(span(p.type, value, m as RegExpExecArray, input));
    }
  }
  for (const p of DATE_PATTERNS) {
    for (const m of input.matchAll(p.re)) {
      const value = p.value(m as RegExpExecArray, today);
      if (value) found.push({ type: 'date', value, start: m.index!, end: m.index! + m[0].length });
    }
  }
  found.push(...listMatches(input, opts.lists ?? {}));
  return resolveOverlaps(found);
}

/** An order-number or amount pattern with a prefix reports the span of the value itself. */
function span(type: string, value: string, m: RegExpExecArray, input: string): Found {
  if (type === 'order_number' && m[1]) {
    const start = input.indexOf(m[1], m.index);
    return { type, value, start, end: start + m[1].length };
  }
  return { type, value, start: m.index, end: m.index + m[0].length };
}

function listMatches(text: string, lists: Record<string, EntityListEntry[]>): Found[] {
  const lower = text.toLowerCase();
  const out: Found[] = [];
  for (const [type, entries] of Object.entries(lists)) {
    for (const entry of entries) {
      for (const name of [entry.value, ...entry.synonyms]) {
        const needle = name.toLowerCase();
        if (!needle) continue;
        let from = 0;
        for (;;) {
          const at = lower.indexOf(needle, from);
          if (at < 0) break;
          const end = at + needle.length;
          if (wordBoundary(lower, at, end)) out.push({ type, value: entry.value, start: at, end });
          from = end;
        }
      }
    }
  }
  return out;
}

/** Latin names must stand as whole words; Chinese names match anywhere. */
function wordBoundary(text: string, start: number, end: number): boolean {
  const isWord = (c: string | undefined) => !!c && /[a-z0-9]/i.test(c);
  return !(isWord(text[start]) && isWord(text[start - 1])) && !(isWord(text[end - 1]) && isWord(text[end]));
}

/** Overlapping finds: the longer span wins (an email beats the order-number-like part inside it). */
function resolveOverlaps(found: Found[]): Entity[] {
  const sorted = [...found].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Found[] = [];
  for (const f of sorted) {
    if (kept.some((k) => f.start < k.end && k.start < f.end)) continue;
    kept.push(f);
  }
  return kept.sort((a, b) => a.start - b.start);
}

function currencyOf(token: string): string {
  const t = token.toLowerCase();
  if (['¥', '￥', '元', '块', '块钱', 'rmb', 'cny', 'yuan'].includes(t)) return 'CNY';
  if (['$', 'usd', 'dollar', 'dollars', '美元'].includes(t)) return 'USD';
  if (['€', 'eur', 'euro', 'euros', '欧元'].includes(t)) return 'EUR';
  if (['£', 'gbp', 'pound', 'pounds', '英镑'].includes(t)) return 'GBP';
  return t.toUpperCase();
}

function shift(today: Date, days: number): [number, number, number] {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days));
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

function iso(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCMonth() !== m - 1) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
