/**
 * Markdown → blocks: ATX headings (with an optional `{#anchor}`), pipe tables (kept whole with their
 * header), paragraphs and list items. Inline markup is reduced to its text.
 */
import type { Block, ParsedDocument } from '../types.ts';
import { slugify } from './slug.ts';

const HEADING = /^(#{1,6})\s+(.*?)\s*(?:\{#([^}\s]+)\})?\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;
/** The line that starts a section's list of other phrasings of its question. */
export const PHRASINGS_MARKER = /^\s*(also asked|其他问法|相似问法)\s*[:：]\s*$/i;
export const LIST_ITEM = /^\s*[-*+]\s+(.*)$/;

export function parseMarkdown(markdown: string, fallbackTitle: string): ParsedDocument {
  const lines = stripFrontMatter(markdown.replace(/\r\n?/g, '\n')).split('\n');
  const blocks: Block[] = [];
  let para: string[] = [];
  let title: string | undefined;
  const flush = () => {
    const text = para.join('\n').trim();
    if (text) blocks.push({ kind: 'text', text: inline(text) });
    para = [];
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (FENCE.test(line)) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !FENCE.test(lines[i]); i++) code.push(lines[i]);
      if (code.join('').trim()) blocks.push({ kind: 'text', text: code.join('\n') });
      continue;
    }
    const h = HEADING.exec(line);
    if (h) {
      flush();
      const text = inline(h[2]);
      if (h[1].length === 1 && title === undefined) title = text;
      blocks.push({ kind: 'heading', level: h[1].length, text, anchor: h[3] ?? slugify(text) });
      continue;
    }
    if (TABLE_ROW.test(line) && i + 1 < lines.length && TABLE_RULE.test(lines[i + 1])) {
      flush();
      const header = cells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && TABLE_ROW.test(lines[i]); i++) rows.push(cells(lines[i]));
      i--;
      blocks.push({ kind: 'table', header, rows });
      continue;
    }
    if (PHRASINGS_MARKER.test(line) && LIST_ITEM.test(lines[i + 1] ?? '')) {
      flush();
      const items: string[] = [];
      for (i++; i < lines.length && LIST_ITEM.test(lines[i]); i++) items.push(inline(LIST_ITEM.exec(lines[i])![1].trim()));
      i--;
      blocks.push({ kind: 'phrasings', items: items.filter(Boolean) });
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    para.push(line);
  }
  flush();
  return { title: title ?? fallbackTitle, blocks };
}

function stripFrontMatter(md: string): string {
  if (!md.startsWith('---\n')) return md;
  const end = md.indexOf('\n---', 4);
  return end < 0 ? md : md.slice(md.indexOf('\n', end + 1) + 1);
}

function cells(row: string): string[] {
  return row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((c) => inline(c.trim()));
}

/** Inline Markdown → plain text: links and images keep their text, emphasis and code marks go. */
export function inline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_](\S(?:.*?\S)?)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1');
}
