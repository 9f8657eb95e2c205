/**
 * The adversarial corpus (test/bot/compliance/adversarial-corpus.json, written by us, zh + en): every case
 * says which rules must fire. Reports precision and recall per rule family and holds each family to a
 * floor; the cases that matter most one by one (checksums) are asserted individually.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Guard } from '../../../bot/compliance/guard.ts';
import { loadGuard } from '../../../bot/compliance/load.ts';

interface Case {
  id: string;
  lang: 'zh' | 'en';
  direction: 'in' | 'out';
  text: string;
  expect: string[];
  note?: string;
}

const corpus = JSON.parse(readFileSync(new URL('./adversarial-corpus.json', import.meta.url), 'utf8')) as { cases: Case[] };
const familyOf = (ruleId: string) => (ruleId.startsWith('finance.') || ruleId.startsWith('ecommerce.') ? 'claim' : ruleId.split('.')[0]!);

let guard: Guard;
beforeAll(async () => {
  guard = await loadGuard({ pollMs: 0 });
});
afterAll(() => guard.close());

function fired(c: Case): Set<string> {
  const v = c.direction === 'in' ? guard.checkIn(c.text, c.lang) : guard.checkOut(c.text, c.lang);
  return new Set(v.hits.map((h) => h.ruleId));
}

interface Row {
  family: string;
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
}

function score(cases: Case[]): { rows: Row[]; misses: string[]; count: number } {
  const stats = new Map<string, { tp: number; fp: number; fn: number }>();
  const misses: string[] = [];
  for (const c of cases) {
    const got = fired(c);
    const want = new Set(c.expect);
    for (const family of new Set([...got, ...want].map(familyOf))) {
      const s = stats.get(family) ?? { tp: 0, fp: 0, fn: 0 };
      for (const r of want) if (familyOf(r) === family) (got.has(r) ? s.tp++ : (s.fn++, misses.push(`${c.id} missed ${r}: ${c.text}`)));
      for (const r of got) if (familyOf(r) === family && !want.has(r)) (s.fp++, misses.push(`${c.id} false ${r}: ${c.text}`));
      stats.set(family, s);
    }
  }
  const rows = [...stats].map(([family, s]) => ({
    family,
    precision: s.tp + s.fp ? s.tp / (s.tp + s.fp) : 1,
    recall: s.tp + s.fn ? s.tp / (s.tp + s.fn) : 1,
    ...s,
  }));
  return { rows, misses, count: cases.length };
}

const table = (rows: Row[]) =>
  `family      precision  recall   tp  fp  fn\n${rows.map((r) => `${r.family.padEnd(11)} ${r.precision.toFixed(3).padStart(9)} ${r.recall.toFixed(3).padStart(7)} ${String(r.tp).padStart(4)} ${String(r.fp).padStart(3)} ${String(r.fn).padStart(3)}`).join('\n')}`;

describe('adversarial corpus', () => {
  it('has at least 200 cases in both Chinese and English', () => {
    expect(corpus.cases.length).toBeGreaterThanOrEqual(200);
    expect(corpus.cases.filter((c) => c.lang === 'zh').length).toBeGreaterThanOrEqual(80);
    expect(corpus.cases.filter((c) => c.lang === 'en').length).toBeGreaterThanOrEqual(80);
  });

  it('reaches precision and recall ≥ 0.9 in every rule family (table printed; held-out cases also alone)', () => {
    const all = score(corpus.cases);
    const heldOut = score(corpus.cases.filter((c) => c.note === 'held out'));
    console.log(`\nall ${corpus.cases.length} cases\n${table(all.rows)}\n${all.misses.join('\n')}\n\nheld out (written after tuning) ${heldOut.count} cases\n${table(heldOut.rows)}`);
    for (const family of ['pii', 'lexicon', 'injection', 'claim']) expect(all.rows.map((r) => r.family)).toContain(family);
    for (const r of all.rows) {
      expect(r.precision, `${r.family} precision`).toBeGreaterThanOrEqual(0.9);
      expect(r.recall, `${r.family} recall`).toBeGreaterThanOrEqual(0.9);
    }
  });

  it('masks every resident ID with a right checksum and none with a wrong one', () => {
    const ids = corpus.cases.filter((c) => /checksum/.test(c.note ?? ''));
    expect(ids.length).toBeGreaterThanOrEqual(20);
    for (const c of ids) {
      const masked = guard.checkIn(c.text, c.lang).text;
      const digits = c.text.match(/\d{17}[\dX]/)![0];
      if (c.expect.includes('pii.resident-id')) expect(masked, c.id).not.toContain(digits);
      else expect(masked, c.id).toContain(digits);
    }
  });

  it('masks Luhn-valid card numbers and leaves Luhn-invalid ones', () => {
    const cards = corpus.cases.filter((c) => /Luhn/.test(c.note ?? ''));
    expect(cards.length).toBeGreaterThanOrEqual(20);
    for (const c of cards) {
      const number = c.text.match(/\d[\d -]{11,}\d/)![0];
      const masked = guard.checkIn(c.text, c.lang).text;
      if (c.expect.includes('pii.bank-card')) expect(masked, c.id).not.toContain(number);
      else expect(masked, c.id).toContain(number);
    }
  });
});
