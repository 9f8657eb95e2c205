/**
 * Reply text for channels that show neither tables nor bold (WeChat, SMS). A help entry's answer is
 * Markdown that may hold a pipe table and **bold**; `plainText` turns each table body row into one line,
 * "Header1: cell1 · Header2: cell2", and drops the bold marks. Everything else is left as it is.
 */

import { detectLocale } from './locale.ts';
import type { StoredMessage } from './types.ts';

const BOLD = /\*\*(\S(?:[^*]*?\S)?)\*\*/g;
/** A table's delimiter row: `|---|:---:|`, pipes at the ends optional. */
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** The cells of a pipe-table row (`\|` is a pipe inside a cell). */
export function tableCells(line: string): string[] {
  let row = line.trim();
  if (row.startsWith('|')) row = row.slice(1);
  if (row.endsWith('|') && !row.endsWith('\\|')) row = row.slice(0, -1);
  return row.split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, '|').trim());
}

/** Where a pipe table starts at `lines[i]`: its header row, then a delimiter row with as many columns. */
function startsTable(lines: string[], i: number): boolean {
  const header = lines[i];
  const delimiter = lines[i + 1];
  if (header === undefined || delimiter === undefined || !header.includes('|') || !delimiter.includes('|')) return false;
  if (!DELIMITER_ROW.test(delimiter)) return false;
  return tableCells(header).length === tableCells(delimiter).length;
}

const stripBold = (text: string) => text.replace(BOLD, '$1');

function rowLine(headers: string[], cells: string[]): string {
  return headers
    .map((header, i) => {
      const cell = stripBold(cells[i] ?? '');
      if (!cell) return '';
      return header ? `${header}: ${cell}` : cell;
    })
    .filter(Boolean)
    .join(' · ');
}

export function plainText(markdown: string): string {
  const lines = markdown.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    if (!startsTable(lines, i)) {
      out.push(stripBold(lines[i]!));
      i++;
      continue;
    }
    const headers = tableCells(lines[i]!).map(stripBold);
    i += 2;
    const rows: string[] = [];
    while (i < lines.length && lines[i]!.trim() !== '' && lines[i]!.includes('|')) {
      const line = rowLine(headers, tableCells(lines[i]!));
      if (line) rows.push(line);
      i++;
    }
    out.push(...(rows.length ? rows : [headers.filter(Boolean).join(' · ')]));
  }
  return out.join('\n');
}

/**
 * A message's text for channels that show no author of their own (WeChat, Slack, Teams): `plainText`, and
 * an agent's message starts with the agent's name ("Li Wei: …", "李伟：…"), as the web widget shows it.
 */
export function plainMessageText(message: Pick<StoredMessage, 'text' | 'author' | 'authorName'>): string {
  const text = plainText(message.text);
  if (message.author !== 'agent' || !message.authorName) return text;
  return `${message.authorName}${detectLocale(message.text) === 'zh' ? '：' : ': '}${text}`;
}
