import { describe, expect, it } from 'vitest';
import { chunkDocument, splitTable, splitText } from '../../knowledge/chunk.ts';
import { parseMarkdown } from '../../knowledge/parse/markdown.ts';

const article = `# Shipping

## How long does delivery take? {#delivery-time}

Orders paid before 16:00 leave the same day.

| Region | Standard | Express |
|---|---|---|
| East China | 1–2 days | next day |
| Remote areas | 4–7 days | 2–3 days |

## Can I change the address? {#change-address}

Yes, until the parcel leaves the warehouse.
`;

describe('chunker', () => {
  const chunks = chunkDocument(parseMarkdown(article, 'shipping'), { ref: 'en/shipping', urlBase: '/help/', locale: 'en' });

  it('gives each chunk its heading path, document id and link anchor; each entry\'s question comes first as its own chunk', () => {
    expect(chunks.map((c) => [c.kind, c.docId, c.url, c.titlePath])).toEqual([
      ['question', 'en/shipping#delivery-time', '/help/en/shipping#delivery-time', ['Shipping', 'How long does delivery take?']],
      ['text', 'en/shipping#delivery-time', '/help/en/shipping#delivery-time', ['Shipping', 'How long does delivery take?']],
      ['table', 'en/shipping#delivery-time', '/help/en/shipping#delivery-time', ['Shipping', 'How long does delivery take?']],
      ['question', 'en/shipping#change-address', '/help/en/shipping#change-address', ['Shipping', 'Can I change the address?']],
      ['text', 'en/shipping#change-address', '/help/en/shipping#change-address', ['Shipping', 'Can I change the address?']],
    ]);
    expect(chunks.map((c) => c.position)).toEqual([0, 1, 2, 3, 4]);
    expect(chunks.filter((c) => c.kind === 'question').map((c) => c.text)).toEqual(['How long does delivery take?', 'Can I change the address?']);
  });

  it('indexes an entry\'s listed phrasings ("Also asked:" / "其他问法：") as question chunks, not as answer text', () => {
    const md = '# 配送\n\n## 多久能到？ {#delivery-time}\n\n其他问法：\n- 几天到货\n- 快递要几天\n\n一般 3–5 个工作日送达。\n';
    const parsed = chunkDocument(parseMarkdown(md, 'shipping'), { ref: 'zh/shipping', locale: 'zh' });
    expect(parsed.map((c) => [c.kind, c.text])).toEqual([
      ['question', '多久能到？'],
      ['question', '几天到货'],
      ['question', '快递要几天'],
      ['text', '一般 3–5 个工作日送达。'],
    ]);
    expect(new Set(parsed.map((c) => c.docId))).toEqual(new Set(['zh/shipping#delivery-time']));
  });

  it('keeps a table whole with its header row', () => {
    const table = chunks.find((c) => c.kind === 'table')!;
    expect(table.text.split('\n')).toEqual([
      '| Region | Standard | Express |',
      '| --- | --- | --- |',
      '| East China | 1–2 days | next day |',
      '| Remote areas | 4–7 days | 2–3 days |',
    ]);
  });

  it('splits a long table into row groups that each repeat the header, never cutting a row', () => {
    const rows = Array.from({ length: 40 }, (_, i) => [`item ${i}`, `${i * 10} yuan`]);
    const pieces = splitTable({ kind: 'table', header: ['Item', 'Price'], rows }, 300);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) {
      expect(p.startsWith('| Item | Price |\n| --- | --- |\n')).toBe(true);
      expect(p.length).toBeLessThanOrEqual(300);
    }
    const allRows = pieces.flatMap((p) => p.split('\n').slice(2));
    expect(allRows).toEqual(rows.map((r) => `| ${r[0]} | ${r[1]} |`));
  });

  it('keeps an FAQ pair whole: the answer is the passage, the question its title', () => {
    const [q, c] = chunkDocument({ title: 'FAQ', blocks: [{ kind: 'faq', question: 'Do you ship abroad?', answer: 'Yes, to 30 countries.', anchor: 'abroad' }] }, { ref: 'faq', urlBase: '/help/' });
    expect(q).toMatchObject({ kind: 'question', text: 'Do you ship abroad?', docId: 'faq#abroad' });
    expect(c).toMatchObject({ kind: 'faq', text: 'Yes, to 30 countries.', titlePath: ['FAQ', 'Do you ship abroad?'], docId: 'faq#abroad', locale: 'en' });
  });

  it('cuts long text at sentence ends with an overlap of the previous sentence', () => {
    const sentences = Array.from({ length: 30 }, (_, i) => `Sentence number ${i} says something.`);
    const pieces = splitText(sentences.join(' '), 200, 60);
    expect(pieces.length).toBeGreaterThan(3);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(200);
    for (let i = 1; i < pieces.length; i++) {
      const lastOfPrevious = pieces[i - 1].split(/(?<=\.) /).pop()!;
      expect(pieces[i].startsWith(lastOfPrevious)).toBe(true);
    }
    expect(pieces.join(' ')).toContain('Sentence number 29 says something.');
  });

  it('detects the language per chunk when the path does not say it', () => {
    const doc = { title: '帮助', blocks: [{ kind: 'text' as const, text: '我们的快递一般两天送达。' }] };
    expect(chunkDocument(doc, { ref: 'help' })[0].locale).toBe('zh');
  });
});
