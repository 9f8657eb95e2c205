/**
 * FAQ sheets: question–answer pairs from CSV, XLSX or JSON, each pair kept whole as one block.
 * Columns are found by their header (question/q/问题, answer/a/答案/回答; optional id, category/分类).
 * JSON may also be a document set: objects with `title` and `text` (and an `id`).
 */
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Block, ParsedDocument } from '../types.ts';

const QUESTION = /^(question|questions|q|faq|问题|提问|常见问题)$/i;
const ANSWER = /^(answer|answers|a|reply|response|答案|回答|解答)$/i;
const ID = /^(id|anchor|编号)$/i;
const CATEGORY = /^(category|topic|section|分类|类别)$/i;

export class NotAnFaqSheet extends Error {}

export function faqFromRows(rows: string[][], title: string): ParsedDocument {
  const header = (rows[0] ?? []).map((h) => String(h ?? '').trim());
  const q = header.findIndex((h) => QUESTION.test(h));
  const a = header.findIndex((h) => ANSWER.test(h));
  if (q < 0 || a < 0) throw new NotAnFaqSheet('no question and answer columns in the header row (expected e.g. "question,answer" or "问题,答案")');
  const id = header.findIndex((h) => ID.test(h));
  const cat = header.findIndex((h) => CATEGORY.test(h));
  const blocks: Block[] = [];
  let category: string | undefined;
  for (const row of rows.slice(1)) {
    const question = String(row[q] ?? '').trim();
    const answer = String(row[a] ?? '').trim();
    if (!question || !answer) continue;
    const rowCategory = cat >= 0 ? String(row[cat] ?? '').trim() : '';
    if (rowCategory && rowCategory !== category) {
      category = rowCategory;
      blocks.push({ kind: 'heading', level: 2, text: rowCategory });
    }
    blocks.push({ kind: 'faq', question, answer, anchor: id >= 0 ? String(row[id] ?? '').trim() || undefined : undefined });
  }
  return { title, blocks };
}

export function parseCsvFaq(text: string, title: string): ParsedDocument {
  const rows = parseCsv(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true }) as string[][];
  return faqFromRows(rows, title);
}

export async function parseXlsxFaq(bytes: Uint8Array, title: string): Promise<ParsedDocument> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const blocks: Block[] = [];
  for (const sheet of book.worksheets) {
    const rows: string[][] = [];
    sheet.eachRow({ includeEmpty: false }, (row) => {
      const values = (row.values as unknown[]).slice(1);
      rows.push(values.map(cellText));
    });
    if (rows.length < 2) continue;
    try {
      const doc = faqFromRows(rows, title);
      if (book.worksheets.length > 1) blocks.push({ kind: 'heading', level: 1, text: sheet.name });
      blocks.push(...doc.blocks);
    } catch (err) {
      if (!(err instanceof NotAnFaqSheet)) throw err;
      // A sheet that is not a question–answer list is kept as a table with its header.
      blocks.push({ kind: 'heading', level: 1, text: sheet.name }, { kind: 'table', header: rows[0], rows: rows.slice(1) });
    }
  }
  return { title, blocks };
}

function cellText(v: unknown): string {
  if (v == null) return '';
  if (typeof v === 'object') {
    const o = v as { text?: string; richText?: { text: string }[]; result?: unknown };
    if (o.richText) return o.richText.map((r) => r.text).join('');
    if (o.text !== undefined) return String(o.text);
    if (o.result !== undefined) return String(o.result);
    if (v instanceof Date) return v.toISOString().slice(0, 10);
  }
  return String(v);
}

/** JSON: an array (or `{faq: [...]}`) of question–answer objects, or of `{id, title, text}` documents. */
export function parseJsonKnowledge(text: string, title: string): ParsedDocument {
  const data = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  const items = Array.isArray(data) ? data : (Object.values(data as object).find(Array.isArray) as unknown[] | undefined);
  if (!items) throw new NotAnFaqSheet('JSON holds no list of question–answer pairs or documents');
  return fromObjects(items, title);
}

/** JSON Lines: one question–answer pair or one `{id, title, text}` document per line. */
export function parseJsonl(text: string, title: string): ParsedDocument {
  const items = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => JSON.parse(l) as unknown);
  return fromObjects(items, title);
}

function fromObjects(items: unknown[], title: string): ParsedDocument {
  const blocks: Block[] = [];
  for (const item of items) {
    if (!item || typeof item !== 'object') continue;
    const o = item as Record<string, unknown>;
    const key = (re: RegExp) => Object.keys(o).find((k) => re.test(k));
    const qk = key(QUESTION);
    const ak = key(ANSWER);
    if (qk && ak && o[qk] && o[ak]) {
      blocks.push({ kind: 'faq', question: String(o[qk]), answer: String(o[ak]), anchor: o.id != null ? String(o.id) : undefined });
    } else if (typeof o.text === 'string') {
      const id = o.id != null ? String(o.id) : `${blocks.length}`;
      const docTitle = typeof o.title === 'string' ? o.title : '';
      blocks.push({ kind: 'document', id, title: docTitle, url: typeof o.url === 'string' ? o.url : undefined });
      blocks.push({ kind: 'text', text: o.text });
    }
  }
  if (!blocks.length) throw new NotAnFaqSheet('no question–answer pairs or {title, text} documents found');
  return { title, blocks };
}
