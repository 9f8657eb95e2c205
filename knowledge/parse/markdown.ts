/**
 * Markdown → blocks, read by a CommonMark parser (markdown-it, with its pipe tables): headings (an
 * optional trailing `{#anchor}` names the anchor, else it is the heading's slug), paragraphs, lists,
 * tables (kept whole with their header), code, and a section's "Also asked:" / "其他问法：" list of other
 * ways to ask its question. Inline markup is reduced to its text, but for `**bold**`; a block of raw HTML
 * is read by the HTML reader (html.ts). The one reader of
 * Markdown in kefu: the knowledge base indexes these blocks and the help pages (bot/content) show them.
 */
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import type { Block, ParsedDocument } from '../types.ts';
import { parseHtml } from './html.ts';
import { slugify } from './slug.ts';

/** The paragraph that opens a section's list of other phrasings of its question. */
const PHRASINGS_MARKER = /^\s*(also asked|其他问法|相似问法)\s*[:：]\s*$/i;
/** A heading's explicit anchor, at its end: `## Question {#anchor}`. */
export const HEADING_ANCHOR = /\s*\{#([^}\s]*)\}\s*$/;

// Raw HTML in Markdown is recognised (so that only its text is kept); links are not auto-detected.
const markdownIt = new MarkdownIt('default', { html: true, linkify: false, typographer: false });

export function parseMarkdown(markdown: string, fallbackTitle: string): ParsedDocument {
  const source = blankFrontMatter(markdown.replace(/\r\n?/g, '\n'));
  const tokens = markdownIt.parse(source, {});
  const lines = source.split('\n');
  const blocks: Block[] = [];
  const warnings: string[] = [];
  let title: string | undefined;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case 'heading_open': {
        const inline = tokens[i + 1]!;
        const anchor = HEADING_ANCHOR.exec(inline.content)?.[1];
        const text = inlineText(inline.children ?? []).replace(HEADING_ANCHOR, '').trim();
        const level = Number(t.tag.slice(1));
        if (level === 1 && title === undefined) title = text;
        blocks.push({ kind: 'heading', level, text, anchor: anchor || slugify(text), line: t.map![0] + 1 });
        i += 2;
        break;
      }
      case 'paragraph_open': {
        const text = inlineText(tokens[i + 1]!.children ?? []).trim();
        i += 2;
        if (PHRASINGS_MARKER.test(text) && tokens[i + 1]?.type === 'bullet_list_open' && tokens[i + 1]!.map![0] === t.map![1]) {
          // the phrasings are the list's items up to its first blank line; items after it are the answer's own list
          const list = readList(tokens, i + 1);
          const cut = list.lines.findIndex((line, k) => k > 0 && !lines[line - 1]!.trim());
          const phrasings = cut < 0 ? list.items : list.items.slice(0, cut);
          blocks.push({ kind: 'phrasings', items: phrasings.map((p) => p.trim()).filter(Boolean) });
          if (cut >= 0) blocks.push({ kind: 'list', ordered: false, items: list.items.slice(cut) });
          i = list.end;
        } else if (text) blocks.push({ kind: 'text', text });
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const list = readList(tokens, i);
        if (list.items.length) blocks.push({ kind: 'list', ordered: t.type === 'ordered_list_open', items: list.items });
        i = list.end;
        break;
      }
      case 'table_open': {
        const table = readTable(tokens, i);
        if (table.header.length) blocks.push({ kind: 'table', header: table.header, rows: table.rows });
        i = table.end;
        break;
      }
      case 'fence':
      case 'code_block': {
        const [start, end] = t.map!;
        if (t.type === 'fence' && (end - 1 === start || !lines[end - 1]!.trim().startsWith(t.markup))) {
          warnings.push(`line ${start + 1}: a code fence is never closed`);
        }
        const code = t.content.replace(/\n$/, '');
        if (code.trim()) blocks.push({ kind: 'text', text: code });
        break;
      }
      case 'html_block': // raw HTML between paragraphs: read by the HTML reader, its tags never passed on
        blocks.push(...parseHtml(t.content, '').blocks);
        break;
      // rules, and the open/close marks of quotes, carry no text of their own
    }
  }
  return { title: title ?? fallbackTitle, blocks, ...(warnings.length ? { warnings } : {}) };
}

interface OpenItem {
  parts: string[];
  written: boolean;
  depth: number;
  /** 0-based source line where the item starts. */
  line: number;
}

/**
 * A list from its opening token: each item's own text, then its nested lists' items (indented two spaces
 * a level), each item's 0-based source line, and the index of the list's closing token.
 */
function readList(tokens: Token[], open: number): { items: string[]; lines: number[]; end: number } {
  const items: string[] = [];
  const lines: number[] = [];
  const openItems: OpenItem[] = [];
  const push = (text: string, line: number) => {
    items.push(text);
    lines.push(line);
  };
  const write = (item: OpenItem | undefined) => {
    if (item && !item.written && item.parts.length) push(`${'  '.repeat(item.depth)}${item.parts.join('\n')}`, item.line);
    if (item) item.written = true;
  };
  let lists = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'bullet_list_open' || t.type === 'ordered_list_open') {
      write(openItems.at(-1)); // an item's own text comes before its nested list
      lists++;
    } else if (t.type === 'bullet_list_close' || t.type === 'ordered_list_close') {
      if (--lists === 0) return { items, lines, end: i };
    } else if (t.type === 'list_item_open') openItems.push({ parts: [], written: false, depth: lists - 1, line: t.map![0] });
    else if (t.type === 'list_item_close') write(openItems.pop());
    else if (t.type === 'inline' || t.type === 'fence' || t.type === 'code_block') {
      const text = t.type === 'inline' ? inlineText(t.children ?? []).trim() : t.content.replace(/\n$/, '');
      const item = openItems.at(-1);
      if (!text.trim() || !item) continue;
      if (item.written) push(`${'  '.repeat(item.depth)}${text}`, t.map?.[0] ?? item.line);
      else item.parts.push(text);
    }
  }
  return { items, lines, end: tokens.length - 1 };
}

function readTable(tokens: Token[], open: number): { header: string[]; rows: string[][]; end: number } {
  const rows: string[][] = [];
  let header: string[] = [];
  let row: string[] = [];
  for (let i = open + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === 'table_close') return { header, rows, end: i };
    if (t.type === 'tr_open') row = [];
    else if (t.type === 'inline') row.push(inlineText(t.children ?? []).trim());
    else if (t.type === 'tr_close') {
      if (!header.length) header = row;
      else rows.push(row);
    }
  }
  return { header, rows, end: tokens.length - 1 };
}

/** Inline tokens → text: links and images keep their text, code its content, bold its `**` marks; raw HTML goes. */
function inlineText(children: Token[]): string {
  let out = '';
  for (const c of children) {
    switch (c.type) {
      case 'text':
      case 'code_inline':
        out += c.content;
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'strong_open':
      case 'strong_close':
        out += '**';
        break;
      case 'image':
        out += inlineText(c.children ?? []);
        break;
      // emphasis, links, strikethrough: their text is kept, their marks go; inline HTML goes
    }
  }
  return out.replace(/\*\*\*\*/g, '').replace(/\*\*(\s*)\*\*/g, '$1');
}

/** YAML front matter (`---` … `---` at the top) becomes blank lines: not content, and line numbers stay true. */
function blankFrontMatter(md: string): string {
  if (!md.startsWith('---\n')) return md;
  const end = md.indexOf('\n---', 3);
  if (end < 0) return md;
  const close = md.indexOf('\n', end + 1);
  const matter = close < 0 ? md : md.slice(0, close);
  return matter.replace(/[^\n]/g, '') + md.slice(matter.length);
}
