/**
 * On a PostgreSQL server without pgvector (Debian 12's PostgreSQL 15), the vector migration is skipped and
 * the knowledge base still ingests and answers, lexically; and what one kefu process keeps in memory about
 * the knowledge base follows another process's ingest on the same server.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../bot/store/migrate.ts';
import { createKnowledge } from '../../knowledge/index.ts';
import { loadKnowledgeEmbedder } from '../../bot/knowledge-embedder.ts';
import { openPostgres } from '../../bot/store/postgres.ts';
import { postgresDatabase, postgresUrl, type TestDatabase } from '../helpers/databases.ts';

let t: TestDatabase | undefined;
const dir = mkdtempSync(join(tmpdir(), 'kefu-kb-'));
beforeAll(async () => {
  t = await postgresDatabase();
  mkdirSync(join(dir, 'en'));
  writeFileSync(join(dir, 'en', 'shipping.md'), '# Shipping\n\n## How long does delivery take? {#delivery-time}\n\nStandard delivery takes 3–5 business days.\n\n## Can I change my address? {#address}\n\nYou can change the address before the parcel leaves the warehouse.\n');
});
afterAll(async () => {
  await t?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('knowledge on PostgreSQL without pgvector', () => {
  it('skips the vector migration, then ingests and answers lexically with the source', async (ctx) => {
    if (!t) return ctx.skip();
    const report = await migrate(t.db);
    expect(report.skipped).toContain('002_knowledge.vector.sql');
    // an embedder is given, but without pgvector nothing is embedded
    const knowledge = await createKnowledge({ db: t.db, botId: 'shop', embedder: await loadKnowledgeEmbedder() });
    expect(knowledge.vectors).toBe(false);
    const summary = await knowledge.ingest(dir);
    expect(summary.added).toHaveLength(1);
    const hits = await knowledge.search('how long does delivery take', { locale: 'en' });
    expect(hits[0]?.source.url).toBe('/help/en/shipping#delivery-time');
    expect(await knowledge.search('do you sell bicycles', { locale: 'en' })).toEqual([]);
  });
});

describe('two kefu processes on one PostgreSQL', () => {
  it('a search in one process finds at once what another process ingested and approved', async (ctx) => {
    const fresh = await postgresUrl();
    if (!fresh) return ctx.skip();
    // two connection pools stand for two processes: nothing in memory is shared but the server
    const [a, b] = [await openPostgres(fresh.url, 2), await openPostgres(fresh.url, 2)];
    try {
      await migrate(a);
      const root = mkdtempSync(join(tmpdir(), 'kefu-kb-two-'));
      mkdirSync(join(root, 'en'));
      const article = (days: string) => `# Shipping\n\n## How long does delivery take? {#delivery-time}\n\nStandard delivery takes ${days} business days.\n`;
      writeFileSync(join(root, 'en', 'shipping.md'), article('3–5'));
      const inA = await createKnowledge({ db: a, botId: 'shop' });
      const inB = await createKnowledge({ db: b, botId: 'shop' });
      await inB.ingest(root);
      expect((await inA.search('how long does delivery take', { locale: 'en' }))[0]?.text).toContain('3–5 business days');

      writeFileSync(join(root, 'en', 'shipping.md'), article('7–9'));
      await inB.ingest(root);
      expect((await inA.search('how long does delivery take', { locale: 'en' }))[0]?.text).toContain('7–9 business days');
      expect((await inA.documents(['en/shipping#delivery-time']))[0]?.text).toContain('7–9 business days');

      await inB.addCurated({ question: 'how long does delivery take', answer: 'Two days, always.', locale: 'en' });
      expect((await inA.search('how long does delivery take', { locale: 'en' }))[0]).toMatchObject({ curated: true, text: 'Two days, always.' });
      rmSync(root, { recursive: true, force: true });
    } finally {
      await a.close();
      await b.close();
      await fresh.drop();
    }
  });
});
