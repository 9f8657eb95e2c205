/**
 * A help entry's parsed blocks (knowledge/parse/markdown.ts) → HTML for the help pages: paragraphs, lists,
 * tables, sub-headings and **bold**. Every text is escaped; no raw HTML from content reaches the page.
 */
import type { Block } from '../../knowledge/types.ts';

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const inline = (s: string) => escapeHtml(s).replace(/\*\*(.+?)\*\*/gs, '<strong>$1</strong>');

export function blocksHtml(blocks: Block[]): string {
  return blocks.map(blockHtml).filter(Boolean).join('\n');
}

function blockHtml(block: Block): string {
  switch (block.kind) {
    case 'heading': {
      // the page's h1 is the topic and each entry's question an h2: a heading inside an entry sits below them
      const level = Math.min(6, block.level + 1);
      return `<h${level}>${inline(block.text)}</h${level}>`;
    }
    case 'text':
      return `<p>${inline(block.text).replace(/\n/g, '<br>')}</p>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>${block.items.map((item) => `<li>${inline(item.trim()).replace(/\n/g, '<br>')}</li>`).join('')}</${tag}>`;
    }
    case 'table':
      return `<table><thead><tr>${block.header.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${block.rows
        .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    default:
      return ''; // phrasings, FAQ pairs and document marks are not part of an entry's body
  }
}
