/**
 * Knowledge benchmark: ingest throughput (chunks/s, lexical only and with USE-lite embeddings), index
 * size and search latency at 10,000 and 100,000 synthetic chunks on embedded PGlite, plus retrieval
 * quality on the demo shop's eval set and on a held-out dev set built from the Bitext support corpus.
 *
 *   npm run bench -- knowledge            (KEFU_BENCH_SIZES=10000 to skip the 100k run)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Db } from '../bot/turn/database.ts';
import { openDb } from '../bot/store/open.ts';
import { evaluate, parseJsonlLines, percentile, type EvalDoc, type EvalQuery } from '../knowledge/eval.ts';
import { loadKnowledgeEmbedder } from '../bot/knowledge-embedder.ts';
import { createKnowledge } from '../knowledge/index.ts';
import { analyze, indexChunks } from '../knowledge/ingest.ts';
import { createKnowledgeMemory } from '../knowledge/search/memory.ts';
import { DEFAULT_SEARCH, searchKnowledge } from '../knowledge/search/search.ts';
import { replaceSource } from '../knowledge/store.ts';
import type { Chunk, Embedder } from '../knowledge/types.ts';

const SIZES = (process.env.KEFU_BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const DIM = 512;

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A synthetic vocabulary with Zipf-like word frequencies, and topic vectors for embeddings. */
export function corpus(seed: number) {
  const rand = rng(seed);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'su', 'ta', 'ri', 'po', 've', 'du', 'ba', 'ge', 'zo', 'fi', 'ha', 'ju'];
  const vocab = Array.from({ length: 6000 }, (_, i) => {
    let w = '';
    for (let n = i + 7; n > 0; n = Math.floor(n / 16)) w += syllables[n % 16];
    return `${w}x`;
  });
  const zipf = () => vocab[Math.min(vocab.length - 1, Math.floor(Math.exp(rand() * Math.log(vocab.length))) - 1)];
  const topics = Array.from({ length: 64 }, () => Array.from({ length: DIM }, () => rand() - 0.5));
  const vector = (topic: number) => topics[topic].map((x) => x + (rand() - 0.5) * 0.8);
  const text = (words: number) => Array.from({ length: words }, zipf).join(' ');
  return { rand, text, vector, vocab };
}

export async function fillSynthetic(db: Db, botId: string, total: number, withVectors: boolean) {
  const c = corpus(total);
  const perSource = 1000;
  const started = performance.now();
  for (let s = 0; s * perSource < total; s++) {
    const chunks: Chunk[] = Array.from({ length: Math.min(perSource, total - s * perSource) }, (_, i) => ({
      docId: `doc-${s}-${i}`,
      position: i,
      kind: 'text',
      titlePath: [c.text(4)],
      text: c.text(60),
      locale: 'en',
    }));
    const indexed = await indexChunks(chunks, { vectors: false });
    if (withVectors) indexed.forEach((ch) => (ch.embedding = c.vector(Math.floor(c.rand() * 64))));
    await replaceSource(db, { botId, origin: `synthetic-${s}`, ref: `s${s}`, title: `s${s}`, kind: 'synthetic', contentHash: String(s), chunks: indexed, embeddingModel: 'synthetic' }, withVectors);
  }
  return { seconds: (performance.now() - started) / 1000, corpus: c };
}

async function sizes(db: Db) {
  const rows = await db.query<{ name: string; bytes: number }>(
    `select relname as name, pg_total_relation_size(oid)::bigint as bytes from pg_class
     where relname in ('knowledge_chunks', 'knowledge_chunks_lexemes', 'knowledge_chunks_embedding', 'knowledge_terms')`,
  );
  return Object.fromEntries(rows.map((r) => [r.name, `${(Number(r.bytes) / 1048576).toFixed(1)} MB`]));
}

async function scale(total: number) {
  const { db } = await openDb({});
  try {
    // Bulk load: rows first, then one HNSW build (what a first import of a big corpus should do).
    await db.exec('drop index knowledge_chunks_embedding');
    const { seconds, corpus: c } = await fillSynthetic(db, 'bench', total, true);
    console.log(`  ${total} chunks: inserted with lexemes, term counts and 512-d vectors in ${seconds.toFixed(1)} s = ${Math.round(total / seconds)} chunks/s`);
    let t = performance.now();
    await db.exec("set maintenance_work_mem = '1GB'");
    await db.exec('create index knowledge_chunks_embedding on knowledge_chunks using hnsw (embedding vector_cosine_ops)');
    console.log(`  HNSW build: ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await analyze(db);
    t = performance.now();
    const extra = await indexChunks(
      Array.from({ length: 500 }, (_, i) => ({ docId: `extra-${i}`, position: i, kind: 'text' as const, titlePath: [c.text(4)], text: c.text(60), locale: 'en' as const })),
      { vectors: false },
    );
    extra.forEach((ch) => (ch.embedding = c.vector(Math.floor(c.rand() * 64))));
    await replaceSource(db, { botId: 'bench', origin: 'extra', ref: 'extra', title: 'extra', kind: 'synthetic', contentHash: 'x', chunks: extra, embeddingModel: 'synthetic' }, true);
    console.log(`  incremental insert with HNSW maintained: ${Math.round(500 / ((performance.now() - t) / 1000))} chunks/s`);
    console.log(`  index size: ${JSON.stringify(await sizes(db))}`);
    const fixedVector: Embedder = { id: 'synthetic', dimensions: DIM, locales: ['en'], embed: async (t) => t.map(() => c.vector(Math.floor(c.rand() * 64))) };
    const ctx = { db, botId: 'bench', vectors: true, settings: DEFAULT_SEARCH, memory: createKnowledgeMemory('bench') };
    const queries = Array.from({ length: 200 }, () => c.text(5));
    for (const [name, embedder] of [['lexical only', undefined], ['hybrid (query vector given)', fixedVector]] as const) {
      for (const q of queries.slice(0, 10)) await searchKnowledge({ ...ctx, embedder, vectors: !!embedder }, q, { locale: 'en' });
      const ms: number[] = [];
      for (const q of queries) {
        const t = performance.now();
        await searchKnowledge({ ...ctx, embedder, vectors: !!embedder }, q, { locale: 'en', limit: 5 });
        ms.push(performance.now() - t);
      }
      console.log(`  search ${name}: p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms (${ms.length} queries)`);
    }
  } finally {
    await db.close();
  }
}

async function ingestThroughput(embedder: Embedder) {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-bench-'));
  const c = corpus(7);
  try {
    for (const [label, files, emb] of [['lexical only', 100, null], ['with USE-lite embeddings', 8, embedder]] as const) {
      const root = join(dir, label.replace(/\W+/g, '-'));
      mkdirSync(join(root, 'en'), { recursive: true });
      for (let f = 0; f < files; f++) {
        const sections = Array.from({ length: 10 }, (_, s) => `## ${c.text(5)} {#s${s}}\n\n${c.text(50)}.\n\n${c.text(40)}.`).join('\n\n');
        writeFileSync(join(root, 'en', `f${f}.md`), `# ${c.text(3)}\n\n${sections}\n`);
      }
      const { db } = await openDb({});
      const k = await createKnowledge({ db, botId: 'ingest', embedder: emb ?? undefined });
      const t = performance.now();
      const s = await k.ingest(root);
      const secs = (performance.now() - t) / 1000;
      console.log(`  ingest ${label}: ${s.chunks} chunks from ${files} Markdown files in ${secs.toFixed(1)} s = ${(s.chunks / secs).toFixed(1)} chunks/s`);
      await db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One document per Bitext intent (its first instruction as the title, two responses as text); the
 * other instructions of the intent, never seen in the documents, are the questions. */
function bitextDevSet(): { docs: EvalDoc[]; queries: EvalQuery[] } | undefined {
  const file = '../shared/data/bitext/customer_support_4514.csv';
  if (!existsSync(file)) return undefined;
  const rows = parseCsv(readFileSync(file), { columns: true }) as Record<string, string>[];
  const byIntent = new Map<string, Record<string, string>[]>();
  for (const r of rows) byIntent.set(r.intent, [...(byIntent.get(r.intent) ?? []), r]);
  const docs: EvalDoc[] = [];
  const queries: EvalQuery[] = [];
  for (const [intent, rs] of byIntent) {
    docs.push({ id: intent, title: rs[0].instruction, text: rs.slice(0, 2).map((r) => r.response).join('\n\n') });
    for (const r of rs.slice(2).filter((_, i) => i % 8 === 0)) queries.push({ text: r.instruction, relevant: [intent] });
  }
  return { docs, queries };
}

async function quality(embedder: Embedder) {
  const sets: [string, { docs: EvalDoc[]; queries: EvalQuery[] } | undefined][] = [
    [
      'demo shop (zh + en)',
      existsSync('examples/demo-shop/eval/docs.jsonl')
        ? { docs: parseJsonlLines(readFileSync('examples/demo-shop/eval/docs.jsonl', 'utf8'), 'docs'), queries: parseJsonlLines(readFileSync('examples/demo-shop/eval/queries.jsonl', 'utf8'), 'queries') }
        : undefined,
    ],
    ['bitext dev (en, held-out instructions)', bitextDevSet()],
  ];
  for (const [name, set] of sets) {
    if (!set) continue;
    for (const [mode, emb] of [['lexical', null], ['hybrid', embedder]] as const) {
      const { db } = await openDb({});
      const run = await evaluate(db, set.docs, set.queries, { embedder: emb ?? undefined }).finally(() => db.close());
      const refusals = run.refusals.asked ? `, unanswerable refused ${run.refusals.refused}/${run.refusals.asked}` : '';
      console.log(`  ${name}, ${mode}: ${JSON.stringify(run.report)}; answerable wrongly refused ${run.wrongRefusals}/${run.report.queries}${refusals}`);
    }
  }
}

const PARTS = (process.env.KEFU_BENCH_PARTS ?? 'embed,ingest,quality,scale').split(',');

export async function run(): Promise<void> {
  const embedder = await loadKnowledgeEmbedder();
  if (PARTS.includes('embed')) await queryEmbedding(embedder);
  if (PARTS.includes('ingest')) {
    console.log('ingest throughput:');
    await ingestThroughput(embedder);
  }
  if (PARTS.includes('quality')) {
    console.log('retrieval quality:');
    await quality(embedder);
  }
  if (PARTS.includes('scale')) {
    for (const total of SIZES) {
      console.log(`scale ${total}:`);
      await scale(total);
    }
  }
}

async function queryEmbedding(embedder: Embedder) {
  const q = ['How long does delivery take?', 'Can I return an opened phone?', 'Where is my refund?'];
  const ms: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await embedder.embed([q[i % 3]]);
    ms.push(performance.now() - t);
  }
  console.log(`USE-lite query embedding: p50 ${percentile(ms, 50).toFixed(1)} ms, p99 ${percentile(ms, 99).toFixed(1)} ms`);
}
