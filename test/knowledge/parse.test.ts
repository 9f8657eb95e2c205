import { describe, expect, it } from 'vitest';
import { readDocument, MAX_FILE_BYTES } from '../../knowledge/parse/index.ts';
import { parseMarkdown } from '../../knowledge/parse/markdown.ts';
import { parseHtml } from '../../knowledge/parse/html.ts';
import { decodeText } from '../../knowledge/parse/decode.ts';
import { makeDocx, makePdf, makeXlsx } from './fixtures.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('Markdown parser', () => {
  it('keeps headings with their {#anchor} and line, tables with their header, and reduces inline markup but bold', () => {
    const doc = parseMarkdown(
      '# Shipping\n\n## How long does delivery take? {#delivery-time}\n\nMost orders arrive in **2–3 days**. See [tracking](/help/x), *soon* `now`.\n\n| Region | Days |\n|---|---|\n| East | 2 |\n| West | 4 |\n',
      'fallback',
    );
    expect(doc.title).toBe('Shipping');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 1, text: 'Shipping', anchor: 'shipping', line: 1 },
      { kind: 'heading', level: 2, text: 'How long does delivery take?', anchor: 'delivery-time', line: 3 },
      { kind: 'text', text: 'Most orders arrive in **2–3 days**. See tracking, soon now.' },
      { kind: 'table', header: ['Region', 'Days'], rows: [['East', '2'], ['West', '4']] },
    ]);
  });

  it('reads an "Also asked:" list as phrasings up to its first blank line; the items after it are the answer\'s list', () => {
    const doc = parseMarkdown('## Cancel? {#cancel}\n\nAlso asked:\n- stop my order\n- 取消订单\n\n- **Not shipped:** cancel in the app.\n- Shipped: refuse the parcel.\n', 'f');
    expect(doc.blocks.slice(1)).toEqual([
      { kind: 'phrasings', items: ['stop my order', '取消订单'] },
      { kind: 'list', ordered: false, items: ['**Not shipped:** cancel in the app.', 'Shipped: refuse the parcel.'] },
    ]);
    expect(parseMarkdown('## 取消 {#cancel}\n\n其他问法：\n- 怎么取消\n', 'f').blocks[1]).toEqual({ kind: 'phrasings', items: ['怎么取消'] });
  });

  it('follows CommonMark where line scanning went wrong: lists with nested items, tables without outer pipes, headings in code, escapes', () => {
    const doc = parseMarkdown(
      '# Topic\n\n1. Open **My Orders**\n2. Tap the order\n   - then *Cancel*\n\nRegion | Fee\n--- | ---\nEast | ¥8 \\| ¥10\n\n```\n## not a heading\n```\n\nA \\*literal\\* star and <b>raw html</b>.\n\n<div class="note">\n<p>Closed on <b>holidays</b></p>\n</div>\n',
      'f',
    );
    expect(doc.blocks.slice(1)).toEqual([
      { kind: 'list', ordered: true, items: ['Open **My Orders**', 'Tap the order', '  then Cancel'] },
      { kind: 'table', header: ['Region', 'Fee'], rows: [['East', '¥8 | ¥10']] },
      { kind: 'text', text: '## not a heading' },
      { kind: 'text', text: 'A *literal* star and raw html.' },
      { kind: 'text', text: 'Closed on **holidays**' },
    ]);
  });

  it('skips YAML front matter but keeps line numbers true, and warns about a code fence never closed', () => {
    const doc = parseMarkdown('---\ntitle: x\n---\n# Topic\n\n```\ncode\n', 'f');
    expect(doc.blocks[0]).toMatchObject({ kind: 'heading', text: 'Topic', line: 4 });
    expect(doc.warnings).toEqual(['line 6: a code fence is never closed']);
  });

  it('stays fast on hostile input: deep nesting, long runs of emphasis marks and brackets', () => {
    const hostile = ['>'.repeat(20_000), '*a'.repeat(20_000), '['.repeat(20_000) + ']('.repeat(5_000), '- '.repeat(5_000) + 'x', '|'.repeat(20_000) + '\n|' + '-|'.repeat(5_000)].join('\n\n');
    const started = performance.now();
    const doc = parseMarkdown(hostile, 'f');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(doc.blocks.length).toBeGreaterThan(0);
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
    expect(doc.blocks).toContainEqual({ kind: 'list', ordered: false, items: ['Keep the box', 'Keep the receipt'] });
    expect(doc.blocks).toContainEqual({ kind: 'table', header: ['Item', 'Days'], rows: [['Phone', '7']] });
    expect(JSON.stringify(doc)).not.toContain('secret');
  });
});

describe('HTML parser on real-world mess', () => {
  it('closes <p> and <li> where a browser would, and reads nested lists under their item', () => {
    const doc = parseHtml('<h2>Returns</h2><p>Within 15 days.<p>Keep the <b>box</b>.<ul><li>Shoes<li>Bags<ul><li>leather</ul><li>Hats</ul><ol><li>Pack<li>Ship</ol>', 'f');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 2, text: 'Returns', anchor: 'returns' },
      { kind: 'text', text: 'Within 15 days.' },
      { kind: 'text', text: 'Keep the **box**.' },
      { kind: 'list', ordered: false, items: ['Shoes', 'Bags', '  leather', 'Hats'] },
      { kind: 'list', ordered: true, items: ['Pack', 'Ship'] },
    ]);
  });

  it('keeps a table inside a cell as that cell\'s text, and the outer table whole', () => {
    const doc = parseHtml(
      '<table><thead><tr><th>Plan</th><th>Fees</th></tr></thead><tbody><tr><td>Basic</td><td><table><tr><td>¥8</td><td>per order</td></tr></table></td></tr><tr><td>Plus<td>free</tr></tbody></table><p>After the table.</p>',
      'f',
    );
    expect(doc.blocks).toEqual([
      { kind: 'table', header: ['Plan', 'Fees'], rows: [['Basic', '¥8 per order'], ['Plus', 'free']] },
      { kind: 'text', text: 'After the table.' },
    ]);
  });

  it('reads ">" inside attribute values, entities and comments as a browser does', () => {
    const doc = parseHtml('<h3 id="x>y" title="a > b">Fees &amp; taxes</h3><!-- <p>hidden</p> --><p data-note="1 > 0">Costs &lt;¥10&gt;&nbsp;in total&#x21;</p><div>Loose <a href="/x?a=1&b=2">text</a> here</div>', 'f');
    expect(doc.blocks).toEqual([
      { kind: 'heading', level: 3, text: 'Fees & taxes', anchor: 'x>y' },
      { kind: 'text', text: 'Costs <¥10> in total!' },
      { kind: 'text', text: 'Loose text here' },
    ]);
  });

  it('stays fast on hostile input: misnested formatting, endless attributes, thousands of unclosed items', () => {
    const hostile = ['<b><i><u>x</b></i></u>'.repeat(5_000), `<p ${'a=">" '.repeat(20_000)}>text`, '<li>'.repeat(20_000), '<div>'.repeat(900) + 'deep'].join('');
    const started = performance.now();
    const doc = parseHtml(hostile, 'f');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(doc.blocks.map((b) => ('text' in b ? b.text : '')).join(' ')).toContain('deep');
  });

  it('refuses a page nested deeper than any real one, quickly and with the reason', async () => {
    const started = performance.now();
    const r = await readDocument('deep.html', enc('<div>'.repeat(200_000) + '<table><tr><td>'.repeat(3_000)));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(r).toEqual({ reason: 'could not be read as html: elements nested more than 1000 deep' });
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
