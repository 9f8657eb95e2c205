/**
 * Structure-aware chunking: headings become each chunk's title path (and its link anchor), tables stay
 * whole with their header row (long ones split into row groups, each repeating the header), FAQ pairs
 * stay whole, and long text is cut at paragraph/sentence boundaries with an overlap.
 *
 * A section's question is a field of its own: the heading of a section with content (level 2 and
 * deeper), an FAQ pair's question, and every listed phrasing ("Also asked:") each become a `question`
 * chunk of the same document, ahead of its answer.
 */
import type { Locale } from '../bot/turn/types.ts';
import { slugify } from './parse/slug.ts';
import { detectLocale } from '../bot/turn/locale.ts';
import type { Block, Chunk, ParsedDocument } from './types.ts';

export interface ChunkOptions {
  /** The source's path relative to the ingested folder, without extension (e.g. `en/shipping`). */
  ref: string;
  /** Prefix of links to passages, e.g. `/help/` → `/help/en/shipping#delivery-time`. */
  urlBase?: string;
  /** The language when the path says it (an `en/` or `zh/` folder); otherwise detected per chunk. */
  locale?: Locale;
  maxChars?: number;
  overlapChars?: number;
  maxTableChars?: number;
}

interface Heading {
  level: number;
  text: string;
  anchor?: string;
}

export function chunkDocument(doc: ParsedDocument, opts: ChunkOptions): Chunk[] {
  const maxChars = opts.maxChars ?? 1000;
  const overlap = opts.overlapChars ?? 160;
  const maxTable = opts.maxTableChars ?? 2400;
  const chunks: Chunk[] = [];
  let headings: Heading[] = [];
  let current: { id: string; title: string; url?: string } | undefined;
  let pending: string[] = [];
  /** Questions of the current section, written out when its first content arrives. */
  let questions: string[] = [];

  const titlePath = () => {
    const path = [current?.title || doc.title, ...headings.filter((h) => h.level > 1 || !current).map((h) => h.text)];
    return dedupe(path.filter(Boolean));
  };
  const place = (anchorOverride?: string) => {
    const anchor = anchorOverride ?? [...headings].reverse().find((h) => h.level > 1 && h.anchor)?.anchor;
    if (current) return { docId: anchor ? `${current.id}#${anchor}` : current.id, url: current.url };
    const docId = anchor ? `${opts.ref}#${anchor}` : opts.ref;
    return { docId, url: opts.urlBase !== undefined ? `${opts.urlBase}${docId}` : undefined };
  };
  const push = (kind: Chunk['kind'], text: string, path = titlePath(), anchor?: string) => {
    const { docId, url } = place(anchor);
    chunks.push({ docId, position: chunks.length, kind, titlePath: path, url, text, locale: opts.locale ?? detectLocale(`${path.join(' ')} ${text}`) });
  };
  const askQuestions = (path = titlePath(), anchor?: string) => {
    for (const q of new Set(questions)) push('question', q, path, anchor);
    questions = [];
  };
  const flush = () => {
    if (!pending.length) return;
    askQuestions();
    for (const piece of splitText(pending.join('\n\n'), maxChars, overlap)) push('text', piece);
    pending = [];
  };

  for (const block of doc.blocks) {
    switch (block.kind) {
      case 'document':
        flush();
        current = { id: block.id, title: block.title, url: block.url };
        headings = [];
        break;
      case 'heading':
        flush();
        headings = [...headings.filter((h) => h.level < block.level), { level: block.level, text: block.text, anchor: block.anchor }];
        questions = block.level > 1 && block.text ? [block.text] : [];
        break;
      case 'phrasings':
        flush();
        questions.push(...block.items);
        break;
      case 'text':
        pending.push(block.text);
        break;
      case 'list':
        pending.push(listText(block));
        break;
      case 'table':
        flush();
        askQuestions();
        for (const piece of splitTable(block, maxTable)) push('table', piece);
        break;
      case 'faq': {
        flush();
        const anchor = block.anchor ?? slugify(block.question);
        const path = [...titlePath(), block.question];
        questions = [block.question, ...(block.phrasings ?? [])];
        askQuestions(path, anchor);
        push('faq', block.answer, path, anchor);
        break;
      }
    }
  }
  flush();
  return chunks;
}

function dedupe(path: string[]): string[] {
  return path.filter((p, i) => i === 0 || p !== path[i - 1]);
}

/** Blocks as the Markdown text the knowledge base quotes: paragraphs, lists and tables, a blank line apart. */
export function blocksText(blocks: Block[]): string {
  const texts = blocks.map((b) => {
    if (b.kind === 'text' || b.kind === 'heading') return b.text;
    if (b.kind === 'list') return listText(b);
    if (b.kind === 'table') return splitTable(b, Infinity)[0]!;
    return '';
  });
  return texts.filter(Boolean).join('\n\n');
}

/** A list as Markdown lines: `- item` (`1. item` when numbered), nested items indented under theirs. */
export function listText(list: Extract<Block, { kind: 'list' }>): string {
  let n = 0;
  return list.items
    .map((item) => {
      const indent = /^ */.exec(item)![0];
      const marker = list.ordered && !indent ? `${++n}.` : '-';
      return `${indent}${marker} ${item.slice(indent.length).replace(/\n/g, `\n${indent}  `)}`;
    })
    .join('\n');
}

/** A table as Markdown, in row groups that each repeat the header and fit `maxChars` (a row is never split). */
export function splitTable(table: Extract<Block, { kind: 'table' }>, maxChars: number): string[] {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replace(/\|/g, '\\|').replace(/\n/g, ' ')).join(' | ')} |`;
  const head = `${line(table.header)}\n|${table.header.map(() => ' --- |').join('')}`;
  const pieces: string[] = [];
  let rows: string[] = [];
  let size = head.length;
  for (const row of table.rows.map(line)) {
    if (rows.length && size + row.length + 1 > maxChars) {
      pieces.push([head, ...rows].join('\n'));
      rows = [];
      size = head.length;
    }
    rows.push(row);
    size += row.length + 1;
  }
  if (rows.length || !pieces.length) pieces.push([head, ...rows].join('\n'));
  return pieces;
}

const SENTENCE_END = /(?<=[.!?。！？；;])\s*|\n+/u;

/** Long text → pieces of at most `maxChars`, cut between paragraphs or sentences, each next piece
 * starting with the last sentence(s) (up to `overlap` characters) of the one before. */
export function splitText(text: string, maxChars: number, overlap: number): string[] {
  if (text.length <= maxChars) return [text];
  const units = text
    .split(/\n\s*\n/)
    .flatMap((para, i) => {
      const sentences = para.split(SENTENCE_END).filter((s) => s && s.trim());
      return sentences.map((s, j) => ({ text: s.trim(), paraStart: i > 0 && j === 0 }));
    })
    .flatMap((u) => (u.text.length > maxChars ? hardCut(u.text, maxChars).map((t, k) => ({ text: t, paraStart: u.paraStart && k === 0 })) : [u]));
  const pieces: string[] = [];
  let cur: typeof units = [];
  let size = 0;
  const join = (us: typeof units) => us.map((u, i) => (i === 0 ? u.text : (u.paraStart ? '\n\n' : ' ') + u.text)).join('');
  for (const u of units) {
    if (cur.length && size + u.text.length + 1 > maxChars) {
      pieces.push(join(cur));
      const carry: typeof units = [];
      let carried = 0;
      for (let i = cur.length - 1; i >= 0 && carried + cur[i].text.length <= overlap; i--) {
        carry.unshift({ ...cur[i], paraStart: false });
        carried += cur[i].text.length + 1;
      }
      cur = carry;
      size = carried;
    }
    cur.push(u);
    size += u.text.length + 1;
  }
  if (cur.length) pieces.push(join(cur));
  return pieces;
}

function hardCut(text: string, maxChars: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += maxChars) out.push(text.slice(i, i + maxChars));
  return out;
}
