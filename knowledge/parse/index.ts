/**
 * Reads one file into a parsed document, or says why it is skipped. The format comes from the
 * extension; the content is checked (size, emptiness, binary, encoding) before any parser runs.
 */
import { basename, extname } from 'node:path';
import type { ParsedDocument } from '../types.ts';
import { decodeText } from './decode.ts';
import { parseDocx } from './docx.ts';
import { parseCsvFaq, parseJsonKnowledge, parseJsonl, parseXlsxFaq } from './faq.ts';
import { parseHtml } from './html.ts';
import { parseMarkdown } from './markdown.ts';
import { parsePdf } from './pdf.ts';
import { parseText } from './text.ts';

export const MAX_FILE_BYTES = 20 * 1024 * 1024;

type Parser = { kind: string; binary: boolean; parse: (input: string | Uint8Array, title: string) => ParsedDocument | Promise<ParsedDocument> };

const PARSERS: Record<string, Parser> = {
  '.md': { kind: 'markdown', binary: false, parse: (t, title) => parseMarkdown(t as string, title) },
  '.markdown': { kind: 'markdown', binary: false, parse: (t, title) => parseMarkdown(t as string, title) },
  '.html': { kind: 'html', binary: false, parse: (t, title) => parseHtml(t as string, title) },
  '.htm': { kind: 'html', binary: false, parse: (t, title) => parseHtml(t as string, title) },
  '.txt': { kind: 'text', binary: false, parse: (t, title) => parseText(t as string, title) },
  '.pdf': { kind: 'pdf', binary: true, parse: (b, title) => parsePdf(b as Uint8Array, title) },
  '.docx': { kind: 'docx', binary: true, parse: (b, title) => parseDocx(b as Uint8Array, title) },
  '.csv': { kind: 'faq-csv', binary: false, parse: (t, title) => parseCsvFaq(t as string, title) },
  '.xlsx': { kind: 'faq-xlsx', binary: true, parse: (b, title) => parseXlsxFaq(b as Uint8Array, title) },
  '.json': { kind: 'faq-json', binary: false, parse: (t, title) => parseJsonKnowledge(t as string, title) },
  '.jsonl': { kind: 'documents-jsonl', binary: false, parse: (t, title) => parseJsonl(t as string, title) },
};

export function supportedExtension(path: string): boolean {
  return extname(path).toLowerCase() in PARSERS;
}

export function kindOf(path: string): string | undefined {
  return PARSERS[extname(path).toLowerCase()]?.kind;
}

export type ReadResult = { doc: ParsedDocument; kind: string } | { reason: string };

/** Parses a file's bytes; never throws for bad content: the reason comes back instead. */
export async function readDocument(path: string, bytes: Uint8Array): Promise<ReadResult> {
  const ext = extname(path).toLowerCase();
  const parser = PARSERS[ext];
  if (!parser) return { reason: `unsupported file type '${ext || basename(path)}'` };
  if (bytes.length === 0) return { reason: 'empty file' };
  if (bytes.length > MAX_FILE_BYTES) {
    return { reason: `too large: ${(bytes.length / 1048576).toFixed(1)} MB is over the ${MAX_FILE_BYTES / 1048576} MB limit per file; split it` };
  }
  const title = basename(path, extname(path));
  let input: string | Uint8Array = bytes;
  if (!parser.binary) {
    const decoded = decodeText(bytes);
    if ('reason' in decoded) return decoded;
    if (!decoded.text.trim()) return { reason: 'empty file (only white space)' };
    input = decoded.text;
  }
  let doc: ParsedDocument;
  try {
    doc = await parser.parse(input, title);
  } catch (err) {
    return { reason: `could not be read as ${parser.kind}: ${shortMessage(err)}` };
  }
  const hasText = doc.blocks.some((b) => b.kind === 'text' || b.kind === 'list' || b.kind === 'table' || b.kind === 'faq');
  if (!hasText) return { reason: parser.kind === 'pdf' ? 'no text found in the PDF (a scan? kefu does not OCR documents)' : 'no text found' };
  return { doc, kind: parser.kind };
}

function shortMessage(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0].slice(0, 200);
}
