/**
 * HTML → blocks, for help-centre pages and for DOCX (which mammoth turns into simple HTML).
 * A small tag scanner: headings, paragraphs, list items, tables (header row kept); scripts, styles
 * and navigation dropped.
 */
import type { Block, ParsedDocument } from '../types.ts';
import { slugify } from './slug.ts';

const DROP = /<(script|style|nav|noscript|template|svg|head)\b[\s\S]*?<\/\1\s*>/gi;

export function parseHtml(html: string, fallbackTitle: string): ParsedDocument {
  const titleTag = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html);
  const body = html.replace(/<!--[\s\S]*?-->/g, '').replace(DROP, ' ');
  const blocks: Block[] = [];
  let firstH1: string | undefined;
  const re = /<(h[1-6]|p|li|table|pre|blockquote|dt|dd)\b([^>]*)>([\s\S]*?)<\/\1\s*>/gi;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(body))) {
    loose(body.slice(last, m.index), blocks);
    last = re.lastIndex;
    const tag = m[1].toLowerCase();
    if (tag === 'table') {
      const table = parseTable(m[3]);
      if (table) blocks.push(table);
      continue;
    }
    const text = tag === 'pre' ? decode(m[3].replace(/<[^>]+>/g, '')) : textOf(m[3]);
    if (!text) continue;
    if (tag[0] === 'h') {
      const level = Number(tag[1]);
      const id = /\bid\s*=\s*["']([^"']+)["']/i.exec(m[2])?.[1];
      if (level === 1) firstH1 ??= text;
      blocks.push({ kind: 'heading', level, text, anchor: id ?? slugify(text) });
    } else blocks.push({ kind: 'text', text: tag === 'li' ? `- ${text}` : text });
  }
  loose(body.slice(last), blocks);
  return { title: firstH1 || (titleTag ? textOf(titleTag[1]) : '') || fallbackTitle, blocks: mergeLists(blocks) };
}

/** Text outside the recognised elements (bare text in <div>s) still counts. */
function loose(html: string, blocks: Block[]) {
  const text = textOf(html.replace(/<\/?(ul|ol|dl|div|section|article|main|body|html)\b[^>]*>/gi, '\n'));
  if (text) blocks.push({ kind: 'text', text });
}

function parseTable(html: string): Block | undefined {
  const rows: string[][] = [];
  let headerFromTh: string[] | undefined;
  for (const tr of html.match(/<tr\b[\s\S]*?<\/tr\s*>/gi) ?? []) {
    const cells = [...tr.matchAll(/<(t[hd])\b[^>]*>([\s\S]*?)<\/\1\s*>/gi)];
    const row = cells.map((c) => textOf(c[2]));
    if (!headerFromTh && rows.length === 0 && cells.every((c) => c[1].toLowerCase() === 'th')) headerFromTh = row;
    else rows.push(row);
  }
  const header = headerFromTh ?? rows.shift();
  if (!header) return undefined;
  return { kind: 'table', header, rows };
}

/** Consecutive list items become one text block. */
function mergeLists(blocks: Block[]): Block[] {
  const out: Block[] = [];
  for (const b of blocks) {
    const prev = out[out.length - 1];
    if (b.kind === 'text' && b.text.startsWith('- ') && prev?.kind === 'text' && prev.text.split('\n').every((l) => l.startsWith('- '))) {
      prev.text += `\n${b.text}`;
    } else out.push(b);
  }
  return out;
}

export function textOf(html: string): string {
  return decode(html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]+>/g, ' '))
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '—', ndash: '–', hellip: '…', copy: '©', reg: '®', yen: '¥' };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : all;
    }
    return ENTITIES[e.toLowerCase()] ?? all;
  });
}
