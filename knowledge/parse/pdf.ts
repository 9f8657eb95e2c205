/** PDF → one text block per page (unpdf, the maintained pdf.js build for servers). */
import { extractText, getDocumentProxy } from 'unpdf';
import type { ParsedDocument } from '../types.ts';
import { parseText } from './text.ts';

export async function parsePdf(bytes: Uint8Array, fallbackTitle: string): Promise<ParsedDocument> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  try {
    const meta = await pdf.getMetadata().catch(() => undefined);
    const { text } = await extractText(pdf, { mergePages: false });
    const pages = (text as string[]).map((page) => page.replace(/[ \t]+\n/g, '\n').trim());
    const title = ((meta?.info as { Title?: string } | undefined)?.Title ?? '').trim() || fallbackTitle;
    const blocks = pages.flatMap((page) => parseText(page, title).blocks);
    return { title, blocks };
  } finally {
    await (pdf as unknown as { destroy?: () => Promise<void> }).destroy?.().catch(() => undefined);
  }
}
