/** Plain text → paragraphs (blank-line separated). The file name is the title. */
import type { ParsedDocument } from '../types.ts';

export function parseText(text: string, fallbackTitle: string): ParsedDocument {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return { title: fallbackTitle, blocks: paragraphs.map((p) => ({ kind: 'text' as const, text: p })) };
}
