/** Labelled examples as JSON lines (`{"text": "...", "intent": "..."}` per line); errors name file and line. */
import { readFileSync } from 'node:fs';
import type { LabelledText } from './labelled-text.ts';

export function parseLabelledJsonl(text: string, file = 'input'): LabelledText[] {
  const out: LabelledText[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${i + 1}: not valid JSON`);
    }
    const r = row as { text?: unknown; intent?: unknown };
    if (typeof r.text !== 'string' || typeof r.intent !== 'string' || !r.intent) throw new Error(`${file}:${i + 1}: expected {"text": string, "intent": string}`);
    out.push({ text: r.text, intent: r.intent });
  });
  return out;
}

export function readLabelledJsonl(file: string): LabelledText[] {
  return parseLabelledJsonl(readFileSync(file, 'utf8'), file);
}
