/**
 * A knowledge base small enough to hold in memory (a help centre: hundreds to a few thousand chunks) is
 * searched in memory: every chunk's row, term frequencies and vector, read once per knowledge version
 * (memory.ts) in one statement, then recalled in JavaScript as the SQL recall does it (lexical.ts:
 * candidates by ts_rank, BM25; vector.ts: cosine, here multiplied with WebAssembly SIMD, dot-products.ts),
 * so a turn's search costs no statement beyond the version read. Bigger bases are searched in the database.
 */
import type { Queryable } from '../../bot/turn/database.ts';
import type { CorpusStats } from '../store.ts';
import { dot, vectorMatrix, type VectorMatrix } from './dot-products.ts';

/** Knowledge bases of at most this many chunks are searched in memory (about 2 kB of vector each). */
export const IN_MEMORY_CHUNKS = 20_000;

/** A chunk's row as search reads it. */
export interface ChunkRow {
  id: number;
  doc_id: string;
  kind: string;
  text: string;
  title_path: string[] | string;
  url: string | null;
}

interface Posting {
  /** Positions in `ChunkIndex.chunks`, ascending. */
  chunks: Int32Array;
  /** The term's frequency in each of those chunks (its position count in the chunk's tsvector). */
  tf: Uint16Array;
}

export interface ChunkIndex {
  stats: CorpusStats;
  /** Chunks by document and position. */
  chunks: (ChunkRow & { locale: string; tokenCount: number; model: string | null })[];
  rowsById: Map<number, ChunkRow>;
  /** Each document's first chunk. */
  openings: Map<string, ChunkRow>;
  /** Each document's answer chunks (all but its questions), in order. */
  answers: Map<string, ChunkRow[]>;
  postings: Map<string, Posting>;
  /** The vectors, `dimensions` numbers per chunk (zeros where a chunk has none), and their lengths. */
  vectors: Float32Array;
  norms: Float64Array;
  dimensions: number;
  /** The vectors by embedding model and language (recallVectorInMemory). */
  vectorGroups: Map<string, VectorGroup>;
}

interface LoadedRow extends ChunkRow {
  locale: string;
  token_count: number;
  embedding_model: string | null;
  tf: Record<string, number>;
  embedding?: string | null;
}

/** Reads the bot's chunks into an index (one statement); the caller reads it in the transaction that read the version. */
export async function loadChunkIndex(db: Queryable, botId: string, withVectors: boolean): Promise<ChunkIndex> {
  const rows = await db.query<LoadedRow>(
    `select id, doc_id, kind, locale, text, title_path, url, token_count, embedding_model,
       coalesce((select jsonb_object_agg(u.lexeme, cardinality(u.positions)) from unnest(lexemes) u), '{}') as tf
       ${withVectors ? ', embedding::text as embedding' : ''}
     from knowledge_chunks where bot_id = $1 order by doc_id, position, id`,
    [botId],
  );
  const parsed = rows.map((r) => (withVectors && r.embedding ? (JSON.parse(r.embedding) as number[]) : null));
  const dimensions = Math.max(0, ...parsed.map((v) => v?.length ?? 0));
  const vectors = new Float32Array(rows.length * dimensions);
  const norms = new Float64Array(rows.length);
  const chunks: ChunkIndex['chunks'] = [];
  const rowsById = new Map<number, ChunkRow>();
  const openings = new Map<string, ChunkRow>();
  const answers = new Map<string, ChunkRow[]>();
  const lists = new Map<string, { chunks: number[]; tf: number[] }>();
  let tokens = 0;
  rows.forEach((r, i) => {
    const row: ChunkRow = { id: Number(r.id), doc_id: r.doc_id, kind: r.kind, text: r.text, title_path: r.title_path, url: r.url };
    chunks.push({ ...row, locale: r.locale, tokenCount: Number(r.token_count), model: r.embedding_model });
    rowsById.set(row.id, row);
    if (!openings.has(row.doc_id)) openings.set(row.doc_id, row);
    if (row.kind !== 'question') answers.set(row.doc_id, [...(answers.get(row.doc_id) ?? []), row]);
    tokens += Number(r.token_count);
    for (const [term, n] of Object.entries(r.tf)) {
      let list = lists.get(term);
      if (!list) lists.set(term, (list = { chunks: [], tf: [] }));
      list.chunks.push(i);
      list.tf.push(n);
    }
    const v = parsed[i];
    if (v) {
      vectors.set(v, i * dimensions);
      const own = vectors.subarray(i * dimensions, (i + 1) * dimensions);
      norms[i] = dot(own, own, 0, dimensions);
    }
  });
  const postings = new Map([...lists].map(([term, l]) => [term, { chunks: Int32Array.from(l.chunks), tf: Uint16Array.from(l.tf) }]));
  return { stats: { chunks: rows.length, avgTokens: rows.length ? tokens / rows.length : 0 }, chunks, rowsById, openings, answers, postings, vectors, norms, dimensions, vectorGroups: new Map() };
}

/** How many of the bot's chunks contain each term (what knowledge_terms holds). */
export function indexFrequencies(index: ChunkIndex, terms: string[]): Map<string, number> {
  return new Map(terms.flatMap((t) => (index.postings.has(t) ? [[t, index.postings.get(t)!.chunks.length] as const] : [])));
}

const inLocales = (index: ChunkIndex, i: number, locales?: string[]) => !locales || locales.includes(index.chunks[i]!.locale);

/**
 * PostgreSQL's `ts_rank` of a chunk for an OR of `terms` with no weights given (every position weighs 0.1,
 * in single precision as PostgreSQL computes it): lexical recall keeps the best-ranked candidates by it.
 */
function tsRank(termFrequencies: number[], queryTerms: number): number {
  let rank = 0;
  for (const n of termFrequencies) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum = Math.fround(sum + Math.fround(Math.fround(0.1) / ((j + 1) * (j + 1))));
    const w = Math.fround(0.1); // the first position's weight, the largest (all weigh the same)
    rank = Math.fround(rank + Math.fround(Math.fround(w + sum) - w) / 1.64493406685);
  }
  return queryTerms > 0 ? Math.fround(rank / queryTerms) : rank;
}

/** Lexical recall in memory; the same candidates, scores and order as lexical.ts's statement. */
export function recallLexicalInMemory(
  index: ChunkIndex,
  q: { terms: string[]; weights: number[]; recallTerms: string[]; avgTokens: number; k1: number; b: number },
  opts: { locales?: string[]; limit: number; candidates: number },
): { id: number; bm25: number; matched: number }[] {
  // candidates: chunks holding any recall term, the best by ts_rank when there are too many
  const recallFrequencies = new Map<number, number[]>();
  for (const term of new Set(q.recallTerms)) {
    const p = index.postings.get(term);
    if (!p) continue;
    p.chunks.forEach((i, k) => {
      if (inLocales(index, i, opts.locales)) recallFrequencies.set(i, [...(recallFrequencies.get(i) ?? []), p.tf[k]!]);
    });
  }
  let candidates = [...recallFrequencies.keys()];
  if (candidates.length > opts.candidates) {
    const distinct = new Set(q.recallTerms).size;
    const rank = new Map(candidates.map((i) => [i, tsRank(recallFrequencies.get(i)!, distinct)]));
    candidates = candidates.sort((a, b) => rank.get(b)! - rank.get(a)! || index.chunks[a]!.id - index.chunks[b]!.id).slice(0, opts.candidates);
  }
  // BM25 over every term of the question
  const scores = new Map(candidates.map((i) => [i, { bm25: 0, matched: 0 }]));
  q.terms.forEach((term, t) => {
    const p = index.postings.get(term);
    if (!p) return;
    const idf = q.weights[t]!;
    p.chunks.forEach((i, k) => {
      const s = scores.get(i);
      if (!s) return;
      const tf = p.tf[k]!;
      // as the statement computes it: tf × (k1 + 1) exactly (a decimal), the length norm in double precision
      const lengthNorm = 1 - q.b + (q.b * index.chunks[i]!.tokenCount) / q.avgTokens;
      s.bm25 += (idf * ((tf * Math.round((q.k1 + 1) * 1e6)) / 1e6)) / (tf + q.k1 * lengthNorm);
      s.matched += idf;
    });
  });
  return [...scores]
    .map(([i, s]) => ({ id: index.chunks[i]!.id, ...s }))
    .sort((a, b) => b.bm25 - a.bm25 || a.id - b.id)
    .slice(0, opts.limit);
}

/** The vectors of one embedding model and language, side by side (built on first use). */
interface VectorGroup {
  /** Positions in `ChunkIndex.chunks`. */
  chunks: number[];
  matrix: VectorMatrix;
  norms: Float64Array;
}

function vectorGroup(index: ChunkIndex, model: string, locale: string): VectorGroup {
  const key = `${model}\u0000${locale}`;
  let group = index.vectorGroups.get(key);
  if (group) return group;
  const d = index.dimensions;
  const chunks = index.chunks.flatMap((c, i) => (c.model === model && c.locale === locale && index.norms[i] ? [i] : []));
  const matrix = new Float32Array(chunks.length * d);
  chunks.forEach((i, r) => matrix.set(index.vectors.subarray(i * d, (i + 1) * d), r * d));
  group = { chunks, matrix: vectorMatrix(matrix, d), norms: Float64Array.from(chunks, (i) => index.norms[i]!) };
  index.vectorGroups.set(key, group);
  return group;
}

/**
 * Vector recall in memory: the nearest chunks by cosine, exact (the database's HNSW index is approximate).
 * Each chunk's dot product with the question is summed in single precision over four lanes
 * (dot-products.ts; pgvector sums in one): a cosine may differ from the database's in its seventh digit.
 */
export function recallVectorInMemory(index: ChunkIndex, embedding: number[], model: string, opts: { locales?: string[]; limit: number }): { id: number; cosine: number }[] {
  const d = index.dimensions;
  if (opts.limit <= 0) return [];
  // the query as the database reads it: rounded to six decimals (store.ts vectorLiteral), single precision
  const query = new Float32Array(d);
  for (let k = 0; k < d; k++) query[k] = Math.round((embedding[k] ?? 0) * 1e6) / 1e6;
  const queryNorm = dot(query, query, 0, d);
  const locales = opts.locales ?? [...new Set(index.chunks.map((c) => c.locale))];
  // the best `limit`, best first (ties: the lower id first)
  const near: { id: number; cosine: number }[] = [];
  const before = (a: { id: number; cosine: number }, b: { id: number; cosine: number }) => a.cosine > b.cosine || (a.cosine === b.cosine && a.id < b.id);
  for (const locale of locales) {
    const group = vectorGroup(index, model, locale);
    const dots = group.matrix.dots(query);
    for (let r = 0; r < group.chunks.length; r++) {
      const similarity = Math.max(-1, Math.min(1, dots[r]! / Math.sqrt(queryNorm * group.norms[r]!)));
      if (Number.isNaN(similarity)) continue;
      const cosine = 1 - (1 - similarity);
      // most chunks are no nearer than the farthest kept: passed over before a hit is made of them
      if (near.length >= opts.limit && cosine < near[near.length - 1]!.cosine) continue;
      const hit = { id: index.chunks[group.chunks[r]!]!.id, cosine };
      if (near.length >= opts.limit && !before(hit, near[near.length - 1]!)) continue;
      let at = near.length;
      while (at > 0 && before(hit, near[at - 1]!)) at--;
      near.splice(at, 0, hit);
      if (near.length > opts.limit) near.pop();
    }
  }
  return near;
}
