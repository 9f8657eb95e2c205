import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadHelpCenter, parseHelpArticle } from '../../../bot/content/help-articles.ts';
import { helpPages } from '../../../bot/server/help-pages.ts';
import { chunkDocument } from '../../../knowledge/chunk.ts';
import { parseMarkdown } from '../../../knowledge/parse/markdown.ts';

const ARTICLE = `# Shipping

## How long does delivery take? {#delivery-time}

Also asked:
- when will it arrive

Standard delivery takes **3–5 business days** <script>alert(1)</script>.

1. Pay before 16:00
2. We pack the same day

| Destination | Fee |
|---|---|
| Mainland | ¥8 |
`;

async function page(path: string, entries = parseHelpArticle(ARTICLE, { lang: 'en', stem: 'shipping' })) {
  const app = Fastify();
  await app.register(helpPages, { entries, botName: { en: 'Shop', zh: '小铺' } });
  const res = await app.inject({ method: 'GET', url: path });
  await app.close();
  return res;
}

describe('help pages', () => {
  it('render an entry from its parsed blocks: bold, numbered lists and tables, its anchor as the section id, no raw HTML', async () => {
    const res = await page('/help/en/shipping');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<section id="delivery-time"><h2>How long does delivery take?</h2>');
    expect(res.body).toContain('<p>Standard delivery takes <strong>3–5 business days</strong> alert(1).</p>');
    expect(res.body).not.toContain('<script');
    expect(res.body).toContain('<ol><li>Pay before 16:00</li><li>We pack the same day</li></ol>');
    expect(res.body).toContain('<table><thead><tr><th>Destination</th><th>Fee</th></tr></thead><tbody><tr><td>Mainland</td><td>¥8</td></tr></tbody></table>');
    expect(res.body).not.toContain('when will it arrive'); // phrasings teach the bot; the page shows the answer
  });

  it('link every passage the knowledge base indexes from the demo shop to a section of a page', () => {
    const dir = 'examples/demo-shop/knowledge';
    const sections = new Set(loadHelpCenter(dir).map((e) => e.id));
    const linked = readdirSync(join(dir, 'en')).flatMap((file) => {
      const ref = `en/${file.replace(/\.md$/, '')}`;
      return chunkDocument(parseMarkdown(readFileSync(join(dir, 'en', file), 'utf8'), file), { ref, urlBase: '/help/', locale: 'en' })
        .filter((c) => c.docId.includes('#'))
        .map((c) => c.docId);
    });
    expect(linked.length).toBeGreaterThan(100);
    expect(linked.filter((id) => !sections.has(id))).toEqual([]);
  });
});
