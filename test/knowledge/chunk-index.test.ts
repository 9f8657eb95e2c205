/**
 * The knowledge base held in memory (knowledge/search/chunk-index.ts) recalls what the database's indexes
 * recall: the same hits with the same scores for the same questions, lexical and by vector, in both
 * languages, including the cut to the best candidates by ts_rank when a term is everywhere; and a base
 * over the size limit is still searched (in the database).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../bot/turn/database.ts';
import { openDb } from '../../bot/store/open.ts';
import { createKnowledge } from '../../knowledge/index.ts';
import { indexChunks } from '../../knowledge/ingest.ts';
import { loadChunkIndex } from '../../knowledge/search/chunk-index.ts';
import { LEXICAL_SETTINGS, recallLexical } from '../../knowledge/search/lexical.ts';
import { createKnowledgeMemory } from '../../knowledge/search/memory.ts';
import { replaceSource } from '../../knowledge/store.ts';
import { queryTerms } from '../../knowledge/tokens.ts';
import type { Chunk, Embedder } from '../../knowledge/types.ts';

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A bag-of-words embedder: each word adds its own fixed random direction (similar texts, similar vectors). */
const bagOfWords: Embedder = {
  id: 'bag-of-words',
  dimensions: 64,
  locales: ['en'],
  async embed(texts) {
    return texts.map((text) => {
      const v = new Array<number>(64).fill(0);
      for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
        const next = rng([...word].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) | 0, 7));
        for (let k = 0; k < 64; k++) v[k] += next() - 0.5;
      }
      return v;
    });
  },
};

const WORDS = 'parcel refund invoice delivery courier address warranty repair coupon points order cancel return label box damaged'.split(' ');
const ZH = '退货 退款 发票 快递 包裹 地址 保修 维修 优惠券 积分 订单 取消'.split(' ');

/** Help entries: a question chunk and an answer chunk each, in English and Chinese; "order" is in every English answer, repeated. */
function entries(): Chunk[] {
  const rand = rng(42);
  const pick = (words: string[], n: number) => Array.from({ length: n }, () => words[Math.floor(rand() * words.length)]);
  return Array.from({ length: 40 }, (_, i): Chunk[] => {
    const en = pick(WORDS, 6).join(' ');
    const zh = pick(ZH, 4).join('');
    return [
      { docId: `en/help#e${i}`, position: 0, kind: 'question', titlePath: ['Help', `How about ${en}?`], text: `How about ${en}?`, locale: 'en' },
      { docId: `en/help#e${i}`, position: 1, kind: 'text', titlePath: ['Help', `How about ${en}?`], text: `${'order '.repeat(1 + (i % 5))}${pick(WORDS, 12).join(' ')}.`, locale: 'en' },
      { docId: `zh/help#e${i}`, position: 0, kind: 'question', titlePath: ['帮助', `${zh}怎么办？`], text: `${zh}怎么办？`, locale: 'zh' },
      { docId: `zh/help#e${i}`, position: 1, kind: 'text', titlePath: ['帮助', `${zh}怎么办？`], text: `${pick(ZH, 8).join('，')}。`, locale: 'zh' },
    ];
  }).flat();
}

const QUESTIONS = [
  'how do I cancel my order',
  'the parcel arrived damaged, can I get a refund?',
  'courier lost the box',
  'warranty repair for a damaged label',
  'order',
  '怎么申请退款',
  '快递包裹地址',
  '发票和积分',
  'nothing here matches',
];

let db: Db;

beforeAll(async () => {
  db = (await openDb({})).db;
  const chunks = await indexChunks(entries(), { embedder: bagOfWords, vectors: true });
  await replaceSource(db, { botId: 'shop', origin: 'help', ref: 'help', title: 'Help', kind: 'synthetic', contentHash: 'h', chunks, embeddingModel: bagOfWords.id }, true);
}, 60_000);

afterAll(async () => {
  await db?.close();
});

describe('the knowledge base held in memory', () => {
  it('finds the same hits with the same scores as the database, lexically and by vector, in both languages', async () => {
    // few recalled per index, so the database's HNSW index (approximate) finds the exact nearest too
    const settings = { recall: 10 };
    const inMemory = await createKnowledge({ db, botId: 'shop', embedder: bagOfWords, settings });
    const inDatabase = await createKnowledge({ db, botId: 'shop', embedder: bagOfWords, settings, inMemoryChunks: 0 });
    for (const q of QUESTIONS) {
      const fromDatabase = await inDatabase.search(q, { limit: 8, noCut: true });
      expect(await inMemory.search(q, { limit: 8, noCut: true }), q).toEqual(fromDatabase);
    }
    expect((await inMemory.search('how do I cancel my order', { limit: 8, noCut: true })).length).toBeGreaterThan(3);
    expect(await inMemory.documents(['en/help#e3', 'zh/help#e7', 'en/help#missing'])).toEqual(await inDatabase.documents(['en/help#e3', 'zh/help#e7', 'en/help#missing']));
  });

  it('keeps the same best candidates by ts_rank when a term matches more chunks than are scored', async () => {
    const index = await loadChunkIndex(db, 'shop', true);
    const memory = createKnowledgeMemory('shop').at(0);
    for (const q of ['order', 'order refund', 'parcel courier order']) {
      const terms = queryTerms(q);
      // a cut between two different ranks (the database orders equal ranks as it finds them)
      const ranks = await db.query<{ rank: number }>(
        "select ts_rank(lexemes, $1::tsquery) as rank from knowledge_chunks where bot_id = 'shop' and locale = 'en' and lexemes @@ $1::tsquery order by 1 desc",
        [terms.terms.join(' | ')],
      );
      const cut = [...ranks.keys()].filter((k) => k >= 3 && k < ranks.length && ranks[k - 1]!.rank > ranks[k]!.rank).at(0);
      expect(cut, q).toBeDefined();
      const opts = { locales: ['en'], limit: 40, candidates: cut! };
      const fromDatabase = await db.transaction(async (tx) => {
        await tx.query(`select ${LEXICAL_SETTINGS.join(', ')}`);
        return recallLexical(tx, 'shop', terms, opts, memory);
      });
      const inMemory = await recallLexical(db, 'shop', terms, opts, memory, index);
      expect(fromDatabase.hits).toHaveLength(cut!);
      expect(inMemory.hits.map((h) => h.id), q).toEqual(fromDatabase.hits.map((h) => h.id));
      inMemory.hits.forEach((h, i) => {
        expect(h.bm25).toBeCloseTo(fromDatabase.hits[i]!.bm25, 9);
        expect(h.matchedIdf).toBeCloseTo(fromDatabase.hits[i]!.matchedIdf, 9);
      });
    }
  });

  it('searches a base over the size limit in the database, with the same answers', async () => {
    const small = await createKnowledge({ db, botId: 'shop', embedder: bagOfWords, inMemoryChunks: 10 });
    const inMemory = await createKnowledge({ db, botId: 'shop', embedder: bagOfWords });
    expect(await small.search('the parcel arrived damaged', { limit: 5 })).toEqual(await inMemory.search('the parcel arrived damaged', { limit: 5 }));
  });
});
