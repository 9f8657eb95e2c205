/**
 * On a PostgreSQL server without pgvector (Debian 12's PostgreSQL 15), the vector migration is skipped and
 * the knowledge base still ingests and answers, lexically.
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '../../bot/store/migrate.ts';
import { createKnowledge } from '../../knowledge/index.ts';
import { loadKnowledgeEmbedder } from '../../bot/knowledge-embedder.ts';
import { postgresDatabase, type TestDatabase } from '../helpers/databases.ts';

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
