import { describe, expect, it } from 'vitest';
import { readDocument, MAX_FILE_BYTES } from '../../knowledge/parse/index.ts';
import { parseMarkdown } from '../../knowledge/parse/markdown.ts';
import { parseHtml } from '../../knowledge/parse/html.ts';
import { decodeText } from '../../knowledge/parse/decode.ts';
import { makeDocx, makePdf, makeXlsx } from './fixtures.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('Markdown parser', () => {
  it('keeps headings with their {#anchor}, tables with their header, and reduces inline markup', () => {
    const doc = parseMarkdown(
      '# Shipping\n\n## How long does delivery take? {#delivery-time}\n\nMost orders arrive in **2–3 days**. See [tracking](/help/x).\n\n| Region | Days |\n|---|---|\n| East | 2 |\n| West | 4 |\n',
      'fallback',
    );
    expect(doc.title).toBe('Shipping');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Shipping', anchor: 'shipping' },
      { kind: 'heading', level: 2, text: 'How long does delivery take?', anchor: 'delivery-time' },
      { kind: 'text', text: 'Most orders arrive in 2–3 days. See tracking.' },
      { kind: 'table', header: ['Region', 'Days'], rows: [['East', '2'], ['West', '4']] },
    ]);
  });
});

describe('HTML parser', () => {
  it('reads headings (id as anchor), paragraphs, list items and tables; drops scripts', () => {
    const doc = parseHtml(
      '<html><head><title>Help</title><script>var x = "secret";</script></head><body><h1>Returns</h1><h2 id="window">Return window</h2><p>Within 7&nbsp;days &amp; unused.</p><ul><li>Keep the box</li><li>Keep the receipt</li></ul><table><tr><th>Item</th><th>Days</th></tr><tr><td>Phone</td><td>7</td></tr></table></body></html>',
      'f',
    );
    expect(doc.title).toBe('Returns');
    expect(doc.blocks).toContainEqual({ kind: 'heading', level: 2, text: 'Return window', anchor: 'window' });
    expect(doc.blocks).toContainEqual({ kind: 'text', text: 'Within 7 days & unused.' });
    expect(doc.blocks).toContainEqual({ kind: 'text', text: '- Keep the box\n- Keep the receipt' });
    expect(doc.blocks).toContainEqual({ kind: 'table', header: ['Item', 'Days'], rows: [['Phone', '7']] });
    expect(JSON.stringify(doc)).not.toContain('secret');
  });
});

describe('readDocument: each format', () => {
  it('reads plain text as paragraphs titled by the file name', async () => {
    const r = await readDocument('notes/opening-hours.txt', enc('We are open 9–18.\n\nClosed on holidays.'));
    expect(r).toMatchObject({ kind: 'text', doc: { title: 'opening-hours', blocks: [{ text: 'We are open 9–18.' }, { text: 'Closed on holidays.' }] } });
  });

  it('reads a PDF page text and its title', async () => {
    const r = await readDocument('policy.pdf', makePdf(['Returns policy', 'You can return items within 7 days.'], 'Returns Policy'));
    if (!('doc' in r)) throw new Error(r.reason);
    expect(r.doc.title).toBe('Returns Policy');
    expect(r.doc.blocks.map((b) => ('text' in b ? b.text : '')).join(' ')).toContain('return items within 7 days');
  });

  it('reads a DOCX with its headings and table', async () => {
    const r = await readDocument('guide.docx', makeDocx([{ heading: 'Warranty', level: 1 }, { heading: 'Repairs', level: 2 }, { text: 'Free repairs within one year.' }, { table: [['Product', 'Years'], ['Phone', '1']] }]));
    if (!('doc' in r)) throw new Error(r.reason);
    expect(r.doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Warranty', anchor: 'warranty' },
      { kind: 'heading', level: 2, text: 'Repairs', anchor: 'repairs' },
      { kind: 'text', text: 'Free repairs within one year.' },
      { kind: 'table', header: ['Product', 'Years'], rows: [['Phone', '1']] },
    ]);
  });

  it('reads FAQ pairs from CSV (Chinese headers too), XLSX and JSON', async () => {
    const csv = await readDocument('faq.csv', enc('问题,答案\n怎么付款？,支持支付宝和银行卡。\n'));
    expect(csv).toMatchObject({ kind: 'faq-csv', doc: { blocks: [{ kind: 'faq', question: '怎么付款？', answer: '支持支付宝和银行卡。' }] } });
    const xlsx = await readDocument('faq.xlsx', await makeXlsx({ FAQ: [['Question', 'Answer'], ['How do I pay?', 'By card or Alipay.']], Prices: [['Item', 'Price'], ['Cable', '9']] }));
    if (!('doc' in xlsx)) throw new Error(xlsx.reason);
    expect(xlsx.doc.blocks).toContainEqual({ kind: 'faq', question: 'How do I pay?', answer: 'By card or Alipay.', anchor: undefined });
    expect(xlsx.doc.blocks).toContainEqual({ kind: 'table', header: ['Item', 'Price'], rows: [['Cable', '9']] });
    const json = await readDocument('faq.json', enc(JSON.stringify({ faq: [{ q: 'Open on Sunday?', a: 'Yes, 10–16.' }] })));
    expect(json).toMatchObject({ doc: { blocks: [{ kind: 'faq', question: 'Open on Sunday?', answer: 'Yes, 10–16.' }] } });
  });

  it('reads a JSONL document set, each line its own document id', async () => {
    const r = await readDocument('docs.jsonl', enc('{"id":"d1","title":"Fees","text":"Shipping is free over 99."}\n{"id":"d2","title":"Hours","text":"Open daily."}\n'));
    expect(r).toMatchObject({ doc: { blocks: [{ kind: 'document', id: 'd1', title: 'Fees' }, { kind: 'text' }, { kind: 'document', id: 'd2' }, { kind: 'text' }] } });
  });
});

describe('readDocument: bad input is refused with a reason', () => {
  it('a corrupt PDF', async () => {
    const r = await readDocument('broken.pdf', enc('%PDF-1.4\n1 0 obj << /Type /Catalog garbage'));
    expect(r).toEqual({ reason: expect.stringMatching(/could not be read as pdf/) });
  });
  it('a binary file renamed .md', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(await readDocument('logo.md', png)).toEqual({ reason: 'binary content: the file is a PNG image, not text' });
    expect(await readDocument('blob.md', new Uint8Array([65, 66, 0, 1, 2, 67]))).toEqual({ reason: expect.stringMatching(/NUL bytes/) });
  });
  it('an empty file, and one of only white space', async () => {
    expect(await readDocument('empty.txt', new Uint8Array())).toEqual({ reason: 'empty file' });
    expect(await readDocument('blank.md', enc(' \n\n\t\n'))).toEqual({ reason: 'empty file (only white space)' });
  });
  it('a file over the size limit', async () => {
    const r = await readDocument('huge.txt', new Uint8Array(MAX_FILE_BYTES + 1));
    expect(r).toEqual({ reason: expect.stringMatching(/too large: 20\.0 MB is over the 20 MB limit/) });
  });
  it('an unreadable encoding (Latin-1), while GB18030 Chinese and UTF-16 are read', async () => {
    const latin1 = Uint8Array.from('Les retours sont accept\u00e9s sous 14 jours. Merci de votre fid\u00e9lit\u00e9.', (c) => c.charCodeAt(0));
    expect(await readDocument('retours.txt', latin1)).toEqual({ reason: expect.stringMatching(/^unreadable encoding/) });
    const gbk = new Uint8Array([0xcd, 0xcb, 0xbb, 0xf5, 0xd5, 0xfe, 0xb2, 0xdf]);
    expect(decodeText(gbk)).toEqual({ text: '退货政策' });
    const utf16 = new Uint8Array([0xff, 0xfe, ...Array.from('Hi', (c) => [c.charCodeAt(0), 0]).flat()]);
    expect(decodeText(utf16)).toEqual({ text: 'Hi' });
  });
  it('a CSV without question and answer columns', async () => {
    expect(await readDocument('prices.csv', enc('item,price\ncable,9\n'))).toEqual({ reason: expect.stringMatching(/no question and answer columns/) });
  });
});
