import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { HelpArticleError, loadHelpCenter, parseHelpArticle } from '../../../bot/content/help-articles.ts';
import { formatJsonl, toEvalDocs } from '../../../examples/demo-shop/eval/make-docs.ts';

const SAMPLE = `# Shipping

Intro text that belongs to no entry.

## How long does delivery take? {#delivery-time}

Standard delivery takes **3–5 business days**.

Remote areas take longer.

## How much does it cost? {#shipping-fees}

| Destination | Fee |
|---|---|
| Mainland | ¥8 |

\`\`\`
## not a heading inside a code fence
\`\`\`
`;

describe('parseHelpArticle', () => {
  it('turns each "## Question {#anchor}" into an entry with a lang/stem#anchor id, the topic and the question', () => {
    const entries = parseHelpArticle(SAMPLE, { lang: 'en', stem: 'shipping' });
    expect(entries.map((e) => e.id)).toEqual(['en/shipping#delivery-time', 'en/shipping#shipping-fees']);
    expect(entries.map((e) => e.question)).toEqual(['How long does delivery take?', 'How much does it cost?']);
    expect(entries.every((e) => e.topic === 'Shipping' && e.lang === 'en')).toBe(true);
    expect(entries[0].anchor).toBe('delivery-time');
  });

  it('keeps the Markdown of each entry as its body, up to the next heading, without the intro or the heading', () => {
    const [first, second] = parseHelpArticle(SAMPLE, { lang: 'en', stem: 'shipping' });
    expect(first.body).toBe('Standard delivery takes **3–5 business days**.\n\nRemote areas take longer.');
    expect(second.body).toContain('| Mainland | ¥8 |');
    expect(second.body).toContain('## not a heading inside a code fence');
    expect(first.body).not.toContain('Intro text');
  });

  it('reads Chinese headings with a full-width question mark before the anchor', () => {
    const [entry] = parseHelpArticle('# 配送\n\n## 配送需要多久？ {#delivery-time}\n\n一般 3–5 个工作日送达。\n', {
      lang: 'zh',
      stem: 'shipping',
    });
    expect(entry).toMatchObject({ id: 'zh/shipping#delivery-time', question: '配送需要多久？', topic: '配送' });
  });

  it('rejects a heading without an anchor, naming the file, the line and the heading', () => {
    const md = '# Shipping\n\n## Where is my parcel?\n\nText.\n';
    expect(() => parseHelpArticle(md, { lang: 'en', stem: 'shipping' })).toThrow(HelpArticleError);
    try {
      parseHelpArticle(md, { lang: 'en', stem: 'shipping' });
    } catch (err) {
      const e = err as HelpArticleError;
      expect(e.message).toContain('en/shipping.md');
      expect(e.problems).toEqual([expect.stringMatching(/^line 3: heading "## Where is my parcel\?" has no \{#anchor\}/)]);
    }
  });

  it('reports every problem at once: duplicate anchors, bad anchor characters, empty bodies, missing title', () => {
    const md = '## A {#dup}\n\nx\n\n## B {#dup}\n\ny\n\n## C {#Not_OK}\n\nz\n\n## D {#empty}\n';
    let problems: string[] = [];
    try {
      parseHelpArticle(md, { lang: 'en', stem: 'x' });
    } catch (err) {
      problems = (err as HelpArticleError).problems;
    }
    expect(problems.some((p) => p.includes('already used on line 1'))).toBe(true);
    expect(problems.some((p) => p.includes('"{#Not_OK}"'))).toBe(true);
    expect(problems.some((p) => p.includes('"D" has no body'))).toBe(true);
    expect(problems.some((p) => p.includes('no "# Topic" title'))).toBe(true);
  });

  it('rejects a second "# " title in one file', () => {
    const md = '# One\n\n## Q {#q}\n\nA.\n\n# Two\n';
    expect(() => parseHelpArticle(md, { lang: 'en', stem: 'x' })).toThrow(/second "# " title/);
  });
});

describe('loadHelpCenter', () => {
  it('reads <dir>/en/*.md and <dir>/zh/*.md, taking the stem from the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'help-'));
    try {
      mkdirSync(join(dir, 'en'));
      mkdirSync(join(dir, 'zh'));
      writeFileSync(join(dir, 'en', 'orders.md'), '# Orders\n\n## Cancel? {#cancel-order}\n\nYes.\n');
      writeFileSync(join(dir, 'en', 'notes.txt'), 'not an article');
      writeFileSync(join(dir, 'zh', 'orders.md'), '# 订单\n\n## 怎么取消订单？ {#cancel-order}\n\n可以。\n');
      expect(loadHelpCenter(dir).map((e) => e.id)).toEqual(['en/orders#cancel-order', 'zh/orders#cancel-order']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
const DEMO = join(import.meta.dirname, '../../../examples/demo-shop');

describe('the demo shop help centre', () => {
  const entries = loadHelpCenter(join(DEMO, 'knowledge'));

  it('parses without format problems and has at least 45 entries in each language', () => {
    expect(entries.filter((e) => e.lang === 'en').length).toBeGreaterThanOrEqual(45);
    expect(entries.filter((e) => e.lang === 'zh').length).toBeGreaterThanOrEqual(45);
  });

  it('has the same files and the same anchors in English and Chinese', () => {
    const keys = (lang: string) =>
      entries
        .filter((e) => e.lang === lang)
        .map((e) => e.id.slice(3))
        .sort();
    expect(keys('zh')).toEqual(keys('en'));
  });

  const queries = readFileSync(join(DEMO, 'eval/queries.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as { text: string; relevant: string[] });

  it('every relevant id in eval/queries.jsonl names an existing entry', () => {
    const ids = new Set(entries.map((e) => e.id));
    const unknown = queries.flatMap((q) => q.relevant.filter((id) => !ids.has(id)).map((id) => `${q.text} → ${id}`));
    expect(unknown).toEqual([]);
  });

  it('points each query at entries in its own language (Chinese text → zh/, otherwise en/)', () => {
    const mismatched = queries.filter((q) => {
      const lang = /\p{Script=Han}/u.test(q.text) ? 'zh' : 'en';
      return q.relevant.some((id) => !id.startsWith(`${lang}/`));
    });
    expect(mismatched).toEqual([]);
  });

  it('has at least 60 answerable queries and some unanswerable ones in each language', () => {
    const count = (lang: string, answerable: boolean) =>
      queries.filter((q) => (/\p{Script=Han}/u.test(q.text) ? 'zh' : 'en') === lang && q.relevant.length > 0 === answerable).length;
    for (const lang of ['en', 'zh']) {
      expect(count(lang, true)).toBeGreaterThanOrEqual(60);
      expect(count(lang, false)).toBeGreaterThanOrEqual(5);
    }
  });

  it('has a committed eval/docs.jsonl that matches the Markdown (rerun eval/make-docs.ts after editing)', () => {
    const docs = toEvalDocs(entries);
    expect(docs[0].title).toBe(`${entries[0].topic} — ${entries[0].question}`);
    expect(readFileSync(join(DEMO, 'eval/docs.jsonl'), 'utf8')).toBe(formatJsonl(docs));
  });
});
