/**
 * Reading what a model wrote against the passages it was given: its reasoning (a `<think>` block) is taken
 * out, a reply of only UNSUPPORTED means the passages do not answer the question, and an answer must cite
 * at least one passage it was given as [n] and no number it was not given; the citations are renumbered in
 * the order of the sources shown under the answer.
 */

export const UNSUPPORTED = 'UNSUPPORTED';
const CITATION = /\[(\d{1,2})\]/g;

/** The text without reasoning: `<think>…</think>` blocks removed; from an unclosed `<think>` on, nothing. */
export function withoutReasoning(text: string): string {
  const closed = text.replace(/<think>[\s\S]*?<\/think>/g, '');
  const open = closed.indexOf('<think>');
  return open >= 0 ? closed.slice(0, open) : closed;
}

/**
 * What of a streaming answer may be shown so far: no reasoning, nothing while it may still turn out to be
 * UNSUPPORTED, and not the start of a `<think>` tag that has not finished arriving.
 */
export function visibleSoFar(raw: string): string {
  let text = withoutReasoning(raw);
  const partialTag = text.match(/<(t(h(i(nk?)?)?)?)?$/);
  if (partialTag) text = text.slice(0, partialTag.index);
  const start = text.trimStart();
  if (UNSUPPORTED.startsWith(start.trimEnd().toUpperCase())) return '';
  return start;
}

export type AnswerCheck =
  | { kind: 'unsupported' }
  | { kind: 'rejected'; reason: string }
  | { kind: 'answer'; text: string; cited: number[] };

/** Checks a finished answer against the number of passages it was given (cited numbers are 1-based). */
export function checkAnswer(raw: string, passageCount: number): AnswerCheck {
  const text = withoutReasoning(raw).trim();
  if (!text) return { kind: 'rejected', reason: 'empty answer' };
  if (text.replace(/[.。!！]$/, '') === UNSUPPORTED) return { kind: 'unsupported' };
  const numbers = [...text.matchAll(CITATION)].map((m) => Number(m[1]));
  const foreign = numbers.filter((n) => n < 1 || n > passageCount);
  if (foreign.length) return { kind: 'rejected', reason: `cites [${foreign[0]}], a passage it was not given` };
  if (!numbers.length) return { kind: 'rejected', reason: 'cites no passage' };
  const cited = [...new Set(numbers)].sort((a, b) => a - b);
  // the sources under the answer are the cited passages in passage order, numbered from 1
  const renumber = new Map(cited.map((n, i) => [n, i + 1]));
  return { kind: 'answer', text: text.replace(CITATION, (_, n: string) => `[${renumber.get(Number(n))}]`), cited };
}

/** The answer with the words it must carry (a risk disclosure) appended when the model left them out. */
export function withDisclosure(text: string, disclosure: string | undefined): string {
  if (!disclosure) return text;
  const plain = (s: string) => s.replace(/[\s，。,.;；!！]/g, '');
  return plain(text).includes(plain(disclosure)) ? text : `${text}\n\n${disclosure}`;
}
