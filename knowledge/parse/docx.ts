/** DOCX → HTML (mammoth keeps headings, lists and tables) → blocks. */
import mammoth from 'mammoth';
import type { ParsedDocument } from '../types.ts';
import { parseHtml } from './html.ts';

export async function parseDocx(bytes: Uint8Array, fallbackTitle: string): Promise<ParsedDocument> {
  const { value } = await mammoth.convertToHtml({ buffer: Buffer.from(bytes) });
  return parseHtml(value, fallbackTitle);
}
