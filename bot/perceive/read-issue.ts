/**
 * What an image's text says about the customer's issue: the taxonomy's words found in it (in the reading
 * form, so case and full-width characters do not matter), and an error code shown in it. Pure functions.
 */
import type { Evidence } from './evidence.ts';
import { readingForm } from '../turn/reading-form.ts';
import type { Issue, IssueTaxonomy } from './issues.ts';

export interface TextIssue {
  issue: Issue;
  /** 0.5 for one word found, 0.75 for two, … (never 1: a word is evidence, not proof). */
  confidence: number;
  /** The taxonomy's words found in the text. */
  words: string[];
}

/**
 * The issue whose words the text holds most of (longer words count for more); undefined when none is there.
 * A general issue (an app error) counts only when no specific one is named: a payment failure shown with
 * "error code 1024, try again later" is a payment failure.
 */
export function issueInText(text: string, taxonomy: IssueTaxonomy): TextIssue | undefined {
  return bestIssue(text, taxonomy.issues.filter((i) => !i.general)) ?? bestIssue(text, taxonomy.issues.filter((i) => i.general));
}

/** The issue an image's text names, as evidence beside what looking at the picture found (`evidence.ts`). */
export function textEvidence(text: string, taxonomy: IssueTaxonomy): Evidence[] {
  const found = issueInText(text, taxonomy);
  return found ? [{ by: 'text', id: found.issue.id, confidence: found.confidence }] : [];
}

function bestIssue(text: string, issues: Issue[]): TextIssue | undefined {
  const read = readingForm(text);
  const squeezed = read.replace(/\s/g, ''); // OCR often drops or adds spaces between Chinese characters
  let best: (TextIssue & { weight: number }) | undefined;
  for (const issue of issues) {
    const words = issue.words.filter((w) => {
      const word = readingForm(w);
      return read.includes(word) || (/[\u3400-\u9fff]/.test(word) && squeezed.includes(word.replace(/\s/g, '')));
    });
    if (words.length === 0) continue;
    const weight = words.reduce((sum, w) => sum + w.length, 0);
    if (!best || weight > best.weight) best = { issue, words, weight, confidence: Math.min(0.95, 1 - 0.5 ** words.length) };
  }
  if (!best) return undefined;
  const { weight: _weight, ...found } = best;
  return found;
}

const ERROR_CODE = /(?:错误(?:代码|码|编号)?|错误码|代码|error(?:\s*code)?|err|code)\s*[:：#＃]?\s*[(（]?\s*([A-Za-z]{0,4}[-_]?\d{2,8})\b/i;

/** An error code the text shows ("错误代码 1024", "Error code: E-502", "code 1024"); undefined when none. */
export function errorCodeIn(text: string): string | undefined {
  return ERROR_CODE.exec(text.normalize('NFKC'))?.[1]?.toUpperCase();
}
