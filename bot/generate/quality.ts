/**
 * Answer quality by the five measures the company's reviewers use, weighted 30/25/20/15/10: accuracy,
 * relevance, format compliance, language quality, efficiency. Each is 0..1 and judged here only where a
 * rule can:
 *   accuracy    the answer is grounded: it has a source and every citation names one it was given
 *   relevance   needs to know what the customer meant: left out here (`kefu eval answers` fills it from
 *               whether the expected entry was answered)
 *   format      no reasoning, marker or markup leaks, and the required disclosure (a finance answer's) is there
 *   language    written in the customer's language
 *   efficiency  within the length a reply should have (longer costs in proportion)
 * `score` is the weighted mean of the measures judged, out of 100.
 */
import { detectLocale } from '../turn/locale.ts';
import type { Locale } from '../turn/types.ts';
import { withDisclosure } from './grounding.ts';

export const QUALITY_WEIGHTS = { accuracy: 30, relevance: 25, format: 20, language: 15, efficiency: 10 } as const;
export type Measure = keyof typeof QUALITY_WEIGHTS;
export type Quality = Partial<Record<Measure, number>> & { score: number };

export interface JudgedAnswer {
  text: string;
  locale: Locale;
  sources: number;
  /** A required disclosure (the finance template's), if any. */
  disclosure?: string;
  /** Characters a reply should not pass (default 600). */
  maxChars?: number;
}

const LEAKS = /<\/?think>|^\s*(reasoning|answer)\s*:|UNSUPPORTED|<\/?[a-z][^>]*>/im;

/** The weighted score of the measures given (each 0..1), out of 100. */
export function weightedScore(measures: Partial<Record<Measure, number>>): number {
  const judged = (Object.keys(QUALITY_WEIGHTS) as Measure[]).filter((m) => measures[m] !== undefined);
  const weight = judged.reduce((sum, m) => sum + QUALITY_WEIGHTS[m], 0);
  if (!weight) return 0;
  return Math.round((judged.reduce((sum, m) => sum + QUALITY_WEIGHTS[m] * measures[m]!, 0) / weight) * 1000) / 10;
}

export function judgeAnswer(a: JudgedAnswer): Quality {
  const citations = [...a.text.matchAll(/\[(\d{1,2})\]/g)].map((m) => Number(m[1]));
  const accuracy = a.sources > 0 && citations.every((n) => n >= 1 && n <= a.sources) ? 1 : 0;
  const formatChecks = [!LEAKS.test(a.text), !a.disclosure || withDisclosure(a.text, a.disclosure) === a.text];
  const format = formatChecks.filter(Boolean).length / formatChecks.length;
  const language = detectLocale(a.text, a.locale) === a.locale ? 1 : 0;
  const max = a.maxChars ?? 600;
  const efficiency = a.text.length <= max ? 1 : Math.round((max / a.text.length) * 100) / 100;
  const measures = { accuracy, format, language, efficiency };
  return { ...measures, score: weightedScore(measures) };
}
