/**
 * The knowledge base on the embedded database: folder ingest with bad files, incremental re-ingest,
 * atomic replacement, search with sources, the threshold refusal, curated answers, hybrid recall.
 * One PGlite instance for the file; each test uses its own bot id.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Queryable } from '../../bot/turn/database.ts';
import { openDb } from '../../bot/store/open.ts';
import { loadTransformersEmbedder } from '../../knowledge/embed/transformers.ts';
import { createKnowledge } from '../../knowledge/index.ts';
import type { Embedder } from '../../knowledge/types.ts';
import { makeDocx, makePdf, makeXlsx, writeTinyModel } from './fixtures.ts';

let db: Db;
let dir: string;

const SHIPPING_EN = `# Shipping

## How long does delivery take? {#delivery-time}

Orders paid before 16:00 leave our warehouse the same day. Standard delivery takes 2–4 days.

| Region | Standard | Express |
|---|---|---|
| East China | 1–2 days | next day |
| Remote areas | 4–7 days | 2–3 days |

## Can I change the delivery address? {#change-address}

Yes, until the parcel leaves the warehouse: open the order and tap Change address.
`;

const SHIPPING_ZH = `# 配送

## 快递多久能到？ {#delivery-time}

下午4点前付款的订单当天发货，普通快递一般2到4天送达。

## 可以修改收货地址吗？ {#change-address}

包裹出库前可以在订单页面修改收货地址。
`;

function writeFolder(root: string) {
  mkdirSync(join(root, 'en'), { recursive: true });
  mkdirSync(join(root, 'zh'), { recursive: true });
  writeFileSync(join(root, 'en', 'shipping.md'), SHIPPING_EN);
  writeFileSync(join(root, 'zh', 'shipping.md'), SHIPPING_ZH);
  writeFileSync(join(root, 'payments-faq.csv'), 'question,answer\nWhich payment methods do you accept?,"We accept Alipay, WeChat Pay and bank cards."\n');
  writeFileSync(join(root, 'returns-policy.pdf'), makePdf(['Returns policy', 'Unopened items can be returned within 14 days for a full refund.'], 'Returns policy'));
}

async function writeBadFiles(root: string) {
  writeFileSync(join(root, 'broken.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> trailing garbage');
  writeFileSync(join(root, 'logo.md'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]));
  writeFileSync(join(root, 'empty.txt'), '');
  writeFileSync(join(root, 'huge.txt'), Buffer.alloc(50 * 1024 * 1024, 'a'));
  writeFileSync(join(root, 'retours.txt'), Uint8Array.from('Les retours sont accept\u00e9s sous 14 jours. Merci de votre fid\u00e9lit\u00e9.', (c) => c.charCodeAt(0)));
  writeFileSync(join(root, 'warranty.docx'), makeDocx([{ heading: 'Warranty', level: 1 }, { heading: 'Repairs', level: 2 }, { text: 'Phones get free repairs within one year of purchase.' }]));
  writeFileSync(join(root, 'hours.xlsx'), await makeXlsx({ FAQ: [['Question', 'Answer'], ['When is customer service open?', 'Every day from 9:00 to 21:00.']] }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kefu-knowledge-'));
  ({ db } = await openDb({}));
});

afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest a folder', () => {
  it('indexes every readable file and skips each bad one with its reason', async () => {
    const root = join(dir, 'mixed');
    writeFolder(root);
    await writeBadFiles(root);
    const k = await createKnowledge({ db, botId: 'mixed' });
    const s = await k.ingest(root);
    expect(s.added.sort()).toEqual(['en/shipping.md', 'hours.xlsx', 'payments-faq.csv', 'returns-policy.pdf', 'warranty.docx', 'zh/shipping.md']);
    const reasons = Object.fromEntries(s.skipped.map((x) => [x.path, x.reason]));
    expect(reasons['broken.pdf']).toMatch(/could not be read as pdf/);
    expect(reasons['logo.md']).toBe('binary content: the file is a PNG image, not text');
    expect(reasons['empty.txt']).toBe('empty file');
    expect(reasons['huge.txt']).toMatch(/too large: 50\.0 MB is over the 20 MB limit/);
    expect(reasons['retours.txt']).toMatch(/^unreadable encoding/);
    expect(Object.keys(reasons)).toHaveLength(5);

    const [pdfHit] = await k.search('Can I return unopened items for a refund?');
    expect(pdfHit.source.title).toBe('Returns policy');
    const [docxHit] = await k.search('free phone repairs');
    expect(docxHit.source.title).toBe('Warranty › Repairs');
    const [sheetHit] = await k.search('when is customer service open');
    expect(sheetHit.text).toBe('Every day from 9:00 to 21:00.');
  });
});

describe('search', () => {
  let k: Awaited<ReturnType<typeof createKnowledge>>;
  beforeAll(async () => {
    const root = join(dir, 'shop');
    writeFolder(root);
    k = await createKnowledge({ db, botId: 'shop' });
    await k.ingest(root);
  });

  it('finds the passage with its source title and a link to its anchor', async () => {
    const [hit] = await k.search('how long does delivery take', { locale: 'en' });
    expect(hit.docId).toBe('en/shipping#delivery-time');
    expect(hit.source).toMatchObject({ title: 'Shipping › How long does delivery take?', url: '/help/en/shipping#delivery-time' });
    expect(hit.source.snippet).toContain('Orders paid before 16:00');
    expect(hit.score).toBeGreaterThan(0.45);
  });

  it('answers a Chinese question from the Chinese article', async () => {
    const [hit] = await k.search('修改收货地址');
    expect(hit.docId).toBe('zh/shipping#change-address');
    expect(hit.source.url).toBe('/help/zh/shipping#change-address');
  });

  it('returns nothing for questions the knowledge does not cover ("I don\'t know")', async () => {
    expect(await k.search('what is the capital of France')).toEqual([]);
    expect(await k.search('今天天气怎么样')).toEqual([]);
    expect(await k.search('   ')).toEqual([]);
  });

  it('puts a closely matching curated answer first', async () => {
    await k.addCurated({ question: 'Do you deliver on Sundays?', answer: 'Yes, couriers deliver seven days a week.', locale: 'en', approvedBy: 'trainer-1' });
    const hits = await k.search('do you deliver on sundays');
    expect(hits[0]).toMatchObject({ curated: true, text: 'Yes, couriers deliver seven days a week.', source: { title: 'Approved answer' } });
    const other = await k.search('how long does delivery take');
    expect(other[0].curated).toBeUndefined();
  });
});

describe('what search keeps in memory', () => {
  it('follows another handle\'s ingest and approved answers at once', async () => {
    const root = join(dir, 'two-handles');
    writeFolder(root);
    const reader = await createKnowledge({ db, botId: 'two' });
    const writer = await createKnowledge({ db, botId: 'two' });
    await writer.ingest(root);
    expect((await reader.search('which payment methods do you accept'))[0]?.text).toBe('We accept Alipay, WeChat Pay and bank cards.');

    writeFileSync(join(root, 'payments-faq.csv'), 'question,answer\nWhich payment methods do you accept?,"Only UnionPay cards and PayPal."\n');
    await writer.ingest(root);
    expect((await reader.search('which payment methods do you accept'))[0]?.text).toBe('Only UnionPay cards and PayPal.');

    await writer.addCurated({ question: 'Which payment methods do you accept?', answer: 'Cash on delivery only.', locale: 'en' });
    expect((await reader.search('which payment methods do you accept'))[0]).toMatchObject({ curated: true, text: 'Cash on delivery only.' });
  });

  it('leaves no pending entries in the lexical index after an ingest (a search would read them one by one)', async () => {
    const root = join(dir, 'pending');
    writeFolder(root);
    await (await createKnowledge({ db, botId: 'pending' })).ingest(root);
    const [row] = await db.query<{ merged: number }>("select gin_clean_pending_list('knowledge_chunks_lexemes') as merged");
    expect(Number(row.merged)).toBe(0);
  });
});

describe('incremental re-ingest', () => {
  it('skips unchanged files, replaces changed ones, removes deleted ones, keeping term counts exact', async () => {
    const root = join(dir, 'incremental');
    writeFolder(root);
    const k = await createKnowledge({ db, botId: 'inc' });
    await k.ingest(root);
    const again = await k.ingest(root);
    expect(again.unchanged).toHaveLength(4);
    expect([...again.added, ...again.updated, ...again.removed]).toEqual([]);

    writeFileSync(join(root, 'payments-faq.csv'), 'question,answer\nWhich payment methods do you accept?,"Only UnionPay cards and PayPal."\n');
    unlinkSync(join(root, 'returns-policy.pdf'));
    const changed = await k.ingest(root);
    expect(changed).toMatchObject({ updated: ['payments-faq.csv'], removed: ['returns-policy.pdf'], added: [] });
    expect(changed.unchanged.sort()).toEqual(['en/shipping.md', 'zh/shipping.md']);

    const [pay] = await k.search('which payment methods do you accept');
    expect(pay.text).toBe('Only UnionPay cards and PayPal.');
    expect(await k.search('return unopened items within 14 days', { limit: 10 })).not.toContainEqual(expect.objectContaining({ source: expect.objectContaining({ title: 'Returns policy' }) }));

    const drift = await db.query<{ n: number }>(
      `select count(*)::int as n from (
         select u.lexeme as term, count(*)::int as df from knowledge_chunks c, unnest(c.lexemes) u where c.bot_id = 'inc' group by u.lexeme
       ) actual full join (select term, df from knowledge_terms where bot_id = 'inc') stored using (term)
       where actual.df is distinct from stored.df`,
    );
    expect(drift[0].n).toBe(0);
  });

  it('never leaves a source half-indexed: a failure while writing keeps the previous version whole', async () => {
    const root = join(dir, 'atomic');
    writeFolder(root);
    const k = await createKnowledge({ db, botId: 'atomic' });
    await k.ingest(root);
    const before = await db.query('select doc_id, text from knowledge_chunks where bot_id = $1 order by id', ['atomic']);

    writeFileSync(join(root, 'en', 'shipping.md'), SHIPPING_EN.replace('2–4 days', '5–9 days'));
    const failing = failingChunkInserts(db);
    const k2 = await createKnowledge({ db: failing, botId: 'atomic' });
    const s = await k2.ingest(root);
    expect(s.skipped).toEqual([{ path: 'en/shipping.md', reason: expect.stringMatching(/^indexing failed: .*previously indexed version is kept/) }]);
    const after = await db.query('select doc_id, text from knowledge_chunks where bot_id = $1 order by id', ['atomic']);
    expect(after).toEqual(before);
    const [hit] = await k.search('how long does delivery take', { locale: 'en' });
    expect(hit.text).toContain('2–4 days');

    const retry = await k.ingest(root);
    expect(retry.updated).toEqual(['en/shipping.md']);
    expect((await k.search('how long does delivery take', { locale: 'en' }))[0].text).toContain('5–9 days');
  });
});

/** The same database, but inserting chunks fails (after the old ones were deleted in the same transaction). */
function failingChunkInserts(inner: Db): Db {
  const guard = (q: Queryable): Queryable => ({
    query: (sql, params) => (/insert into knowledge_chunks/.test(sql) ? Promise.reject(new Error('disk full')) : q.query(sql, params)),
  });
  return { ...inner, query: inner.query.bind(inner), transaction: (fn) => inner.transaction((tx) => fn(guard(tx))) } as Db;
}

describe('hybrid recall', () => {
  let embedder: Embedder;
  beforeAll(async () => {
    writeTinyModel(join(dir, 'models'), 'tiny-synonyms', [
      ['refund', 'refunds', 'reimburse', 'money', 'back'],
      ['parcel', 'package', 'delivery', 'shipment'],
    ]);
    embedder = await loadTransformersEmbedder({ model: 'tiny-synonyms', localModelPath: join(dir, 'models') });
  });

  it('finds by meaning what shares no word with the question, and fuses both lists', async () => {
    const root = join(dir, 'hybrid');
    mkdirSync(join(root, 'en'), { recursive: true });
    writeFileSync(join(root, 'en', 'money.md'), '# Money\n\n## Reimbursement {#reimburse}\n\nWe reimburse to the original card within 5 days.\n\n## Shipment {#shipment}\n\nYour shipment is handed to the courier within a day.\n');
    const lexical = await createKnowledge({ db, botId: 'hybrid' });
    const hybrid = await createKnowledge({ db, botId: 'hybrid', embedder });
    expect(hybrid.vectors).toBe(true);
    await hybrid.ingest(root);
    expect(await lexical.search('refund', { locale: 'en' })).toEqual([]);
    const [hit] = await hybrid.search('refund', { locale: 'en' });
    expect(hit.docId).toBe('en/money#reimburse');
    const both = await hybrid.search('package shipment', { locale: 'en' });
    expect(both[0].docId).toBe('en/money#shipment');
  });

  it('builds the vector index once after loading a fresh store, and leaves it in place on a store with chunks', async () => {
    const { db: fresh } = await openDb({});
    try {
      const indexOf = async () => (await fresh.query<{ oid: number; def: string }>(
        "select c.oid::int as oid, pg_get_indexdef(c.oid) as def from pg_class c where c.relname = 'knowledge_chunks_embedding'",
      ))[0];
      const migrated = await indexOf();
      const statements: string[] = [];
      const exec = fresh.exec.bind(fresh);
      fresh.exec = (sql) => (statements.push(sql), exec(sql));
      const root = join(dir, 'fresh');
      mkdirSync(join(root, 'en'), { recursive: true });
      writeFileSync(join(root, 'en', 'money.md'), '# Money\n\n## Reimbursement {#reimburse}\n\nWe reimburse to the original card within 5 days.\n');
      await (await createKnowledge({ db: fresh, botId: 'fresh', embedder })).ingest(root);
      expect(statements.filter((q) => /index/.test(q))).toEqual([
        'drop index if exists knowledge_chunks_embedding',
        'create index if not exists knowledge_chunks_embedding on knowledge_chunks using hnsw (embedding vector_cosine_ops)',
      ]);
      const built = await indexOf();
      expect(built.def).toBe(migrated.def);

      statements.length = 0;
      const other = await createKnowledge({ db: fresh, botId: 'fresh-2', embedder, inMemoryChunks: 0 });
      await other.ingest(root);
      expect(statements.filter((q) => /index/.test(q))).toEqual([]);
      expect((await indexOf()).oid).toBe(built.oid);
      const [hit] = await other.search('refund', { locale: 'en' });
      expect(hit.docId).toBe('en/money#reimburse');
    } finally {
      await fresh.close();
    }
  });
});
