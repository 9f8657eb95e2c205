/**
 * Hybrid search, in named steps: recall (lexical and vector) → fuse (normalised scores, weighted) → rerank
 * (optional) → cut (relevance threshold). A closely matching curated answer comes first. What does not
 * depend on the question (corpus statistics, curated answers, the chunks and documents read) is kept in
 * memory for the knowledge version it was read at (memory.ts); a knowledge base of up to
 * `inMemoryChunks` chunks is held there whole and recalled from there (chunk-index.ts), a bigger one
 * from the database's indexes.
 */
import type { Db } from '../../bot/turn/database.ts';
import type { Locale } from '../../bot/turn/types.ts';
import { detectLocale } from '../../bot/turn/locale.ts';
import { corpusStats, KNOWLEDGE_VERSION } from '../store.ts';
import { queryTerms } from '../tokens.ts';
import type { Embedder, Hit } from '../types.ts';
import { IN_MEMORY_CHUNKS, loadChunkIndex, recallVectorInMemory, type ChunkIndex, type ChunkRow } from './chunk-index.ts';
import { matchCurated } from './curated.ts';
import { scoreFusion } from './fuse.ts';
import { LEXICAL_SETTINGS, recallLexical } from './lexical.ts';
import type { KnowledgeMemory, VersionMemory } from './memory.ts';
import { DEFAULT_RELEVANCE, lexicalRelevance, vectorRelevance, type RelevanceSettings } from './relevance.ts';
import { recallVector, vectorSettings } from './vector.ts';

export interface SearchSettings extends RelevanceSettings {
  /** Weights of the two indexes' normalised scores in the fused score (fuse.ts). */
  lexicalWeight: number;
  vectorWeight: number;
  /** How many passages each index recalls before fusion. */
  recall: number;
  /** Term overlap with an approved question at which a curated answer wins. */
  curatedSimilarity: number;
}

export const DEFAULT_SEARCH: SearchSettings = {
  ...DEFAULT_RELEVANCE,
  lexicalWeight: 0.3,
  vectorWeight: 0.7,
  recall: 40,
  curatedSimilarity: 0.8,
};

/** Reorders fused candidates (a cross-encoder, an LLM); optional. */
export interface Reranker {
  rerank(query: string, hits: Hit[]): Promise<Hit[]>;
}

export interface SearchOptions {
  locale?: Locale;
  limit?: number;
  /** Keep passages under the threshold (evaluation ranks everything; the bot never does). */
  noCut?: boolean;
}

export interface SearchContext {
  db: Db;
  botId: string;
  /** What is kept about the bot's knowledge between searches (one per knowledge base handle). */
  memory: KnowledgeMemory;
  embedder?: Embedder;
  vectors: boolean;
  settings: SearchSettings;
  reranker?: Reranker;
  /** Knowledge bases of at most this many chunks are searched in memory (default IN_MEMORY_CHUNKS; 0: never). */
  inMemoryChunks?: number;
}

/**
 * The knowledge base held in memory for this version (read once; one read just after an ingest may hold
 * newer chunks than its version says, and the next search, seeing the new version, reads them again);
 * undefined when it has more than `inMemoryChunks` chunks.
 */
async function chunkIndexOf(ctx: Pick<SearchContext, 'db' | 'botId' | 'memory' | 'vectors' | 'inMemoryChunks'>, memory: VersionMemory): Promise<ChunkIndex | undefined> {
  const limit = ctx.inMemoryChunks ?? IN_MEMORY_CHUNKS;
  if (limit <= 0) return undefined;
  const stats = await memory.once('corpus stats', () => corpusStats(ctx.db, ctx.botId));
  if (stats.chunks > limit) return undefined;
  return memory.once('chunk index', () => loadChunkIndex(ctx.db, ctx.botId, ctx.vectors));
}

/** `at`: the knowledge version to search (a reader's, read once for several searches); default: the store's now. */
export async function searchKnowledge(ctx: SearchContext, query: string, opts: SearchOptions = {}, at?: VersionMemory): Promise<Hit[]> {
  const s = ctx.settings;
  const limit = opts.limit ?? 5;
  const text = query.trim();
  if (!text) return [];
  const locale = opts.locale ?? detectLocale(text);
  const locales = [locale];

  // recall: from memory (the version read first, one small statement), or in one transaction from the
  // database's indexes: the knowledge version with the planner settings, then each index
  const useVectors = ctx.vectors && ctx.embedder && ctx.embedder.locales.includes(locale);
  const queryVector = useVectors ? (await ctx.embedder!.embed([text]))[0] : undefined;
  const current = at ?? (await ctx.memory.current(ctx.db));
  const index = await chunkIndexOf(ctx, current);
  const { memory, lexical, vector } = index
    ? {
        memory: current,
        lexical: await recallLexical(ctx.db, ctx.botId, queryTerms(text), { locales, limit: s.recall }, current, index),
        vector: queryVector ? recallVectorInMemory(index, queryVector, ctx.embedder!.id, { locales, limit: s.recall }) : [],
      }
    : await recallFromDatabase(ctx, text, queryVector, locales);
  const curated = await matchCurated(ctx.db, ctx.botId, text, s.curatedSimilarity, memory);

  // fuse
  const fused = scoreFusion([
    { name: 'lexical', hits: lexical.hits.map((h) => ({ id: h.id, score: h.bm25 })), weight: s.lexicalWeight },
    { name: 'vector', hits: vector.map((h) => ({ id: h.id, score: h.cosine })), weight: s.vectorWeight },
  ]);
  const lexById = new Map(lexical.hits.map((h) => [h.id, h]));
  const vecById = new Map(vector.map((h) => [h.id, h]));
  const relevance = (id: number) =>
    Math.max(
      lexById.has(id) ? lexicalRelevance(lexById.get(id)!.matchedIdf, lexical.queryIdf) : 0,
      vecById.has(id) ? vectorRelevance(vecById.get(id)!.cosine, s) : 0,
    );
  const keep = opts.noCut ? fused : fused.filter((f) => relevance(f.id) >= s.threshold);
  const top = keep.slice(0, Math.max(limit * 4, 20));

  // One hit per document (its best-ranked chunk decides its place), carrying the document's answer.
  let hits = await loadHits(ctx, memory, index, top.map((f) => ({ id: f.id, score: relevance(f.id) })), limit * 2);
  // rerank
  if (ctx.reranker && hits.length) hits = await ctx.reranker.rerank(text, hits);
  hits = hits.slice(0, limit);

  if (curated) {
    const curatedHit: Hit = {
      text: curated.answer,
      score: curated.similarity,
      docId: `curated#${curated.id}`,
      curated: true,
      source: { title: curated.sourceTitle ?? (locale === 'zh' ? '已审核的答案' : 'Approved answer'), url: curated.sourceUrl, snippet: snippet(curated.answer) },
    };
    hits = [curatedHit, ...hits].slice(0, limit);
  }
  return hits;
}

/** Recall through the database's indexes, in one transaction that reads the knowledge version too. */
async function recallFromDatabase(ctx: SearchContext, text: string, queryVector: number[] | undefined, locales: Locale[]) {
  const s = ctx.settings;
  const settings = [...LEXICAL_SETTINGS, ...(queryVector ? await vectorSettings(ctx.db, { limit: s.recall }) : [])];
  return ctx.db.transaction(async (tx) => {
    const [{ version }] = await tx.query<{ version: number | string }>(`select ${KNOWLEDGE_VERSION} as version, ${settings.join(', ')}`, [ctx.botId]);
    const memory = ctx.memory.at(Number(version));
    const lexical = await recallLexical(tx, ctx.botId, queryTerms(text), { locales, limit: s.recall }, memory);
    const vector = queryVector ? await recallVector(tx, ctx.botId, queryVector, ctx.embedder!.id, { locales, limit: s.recall }) : [];
    return { memory, lexical, vector };
  });
}

interface AnswerRow {
  id: number;
  doc_id: string;
  kind: string;
  text: string;
}

/** A whole answer is quoted up to this length; a longer one is represented by its best-matching part. */
const WHOLE_ANSWER_CHARS = 2000;

interface DocPick {
  row: ChunkRow & { kind: string };
  score: number;
  /** The best-ranked answer chunk of the document among those recalled. */
  answerChunk?: number;
}

/** The ranked chunks → one hit per document (at most `docs`), best first, each with the document's answer. */
async function loadHits(ctx: SearchContext, memory: VersionMemory, index: ChunkIndex | undefined, ranked: { id: number; score: number }[], docs: number): Promise<Hit[]> {
  if (!ranked.length) return [];
  const byId = await memory.many('chunk', ranked.map((r) => r.id), async (ids) => {
    if (index) return picked(index.rowsById, ids);
    const rows = await ctx.db.query<ChunkRow & { kind: string }>('select id, doc_id, kind, text, title_path, url from knowledge_chunks where id = any($1::bigint[])', [ids]);
    return new Map(rows.map((r) => [Number(r.id), r]));
  });
  const best = new Map<string, DocPick>();
  for (const { id, score } of ranked) {
    const row = byId.get(id);
    if (!row) continue;
    const seen = best.get(row.doc_id);
    const isAnswer = row.kind !== 'question';
    if (!seen) {
      if (best.size < docs) best.set(row.doc_id, { row, score, answerChunk: isAnswer ? id : undefined });
    } else if (isAnswer && seen.answerChunk === undefined) seen.answerChunk = id;
  }
  return withAnswers(ctx, memory, index, [...best.values()]);
}

/** The entries of `map` under `keys` (rows of the knowledge base held in memory). */
function picked<K, V>(map: Map<K, V>, keys: K[]): Map<K, V> {
  return new Map(keys.flatMap((k) => (map.has(k) ? [[k, map.get(k)!] as const] : [])));
}

/** Documents by id, each as a hit with its whole answer (score 0: nothing was asked). */
export async function loadDocuments(ctx: Pick<SearchContext, 'db' | 'botId' | 'memory' | 'vectors' | 'inMemoryChunks'>, docIds: string[], at?: VersionMemory): Promise<Hit[]> {
  if (!docIds.length) return [];
  const memory = at ?? (await ctx.memory.current(ctx.db));
  const index = await chunkIndexOf(ctx, memory);
  const byDoc = await memory.many('document opening', docIds, async (ids) => {
    if (index) return picked(index.openings, ids);
    const rows = await ctx.db.query<ChunkRow & { kind: string }>(
      'select distinct on (doc_id) id, doc_id, kind, text, title_path, url from knowledge_chunks where bot_id = $1 and doc_id = any($2::text[]) order by doc_id, position',
      [ctx.botId, ids],
    );
    return new Map(rows.map((r) => [r.doc_id, r]));
  });
  return withAnswers(ctx, memory, index, docIds.flatMap((id) => (byDoc.has(id) ? [{ row: byDoc.get(id)!, score: 0 }] : [])));
}

async function withAnswers(ctx: Pick<SearchContext, 'db' | 'botId'>, memory: VersionMemory, index: ChunkIndex | undefined, picks: DocPick[]): Promise<Hit[]> {
  if (!picks.length) return [];
  const byDoc = await memory.many('document answer', picks.map((p) => p.row.doc_id), async (ids) => {
    if (index) return picked(index.answers, ids) as Map<string, AnswerRow[]>;
    const answers = await ctx.db.query<AnswerRow>(
      "select id, doc_id, kind, text from knowledge_chunks where bot_id = $1 and doc_id = any($2::text[]) and kind <> 'question' order by doc_id, position",
      [ctx.botId, ids],
    );
    const parts = new Map<string, AnswerRow[]>();
    for (const a of answers) parts.set(a.doc_id, [...(parts.get(a.doc_id) ?? []), a]);
    return parts;
  });
  return picks.flatMap(({ row, score, answerChunk }) => {
    const parts = byDoc.get(row.doc_id);
    if (!parts?.length) return [];
    const path = typeof row.title_path === 'string' ? (JSON.parse(row.title_path) as string[]) : row.title_path;
    const text = answerOf(parts, answerChunk);
    return [{ text, score: Math.round(score * 1000) / 1000, docId: row.doc_id, question: path[path.length - 1], source: { title: path.join(' › '), url: row.url ?? undefined, snippet: snippet(text) } }];
  });
}

/**
 * A document's answer: all its parts in order (tables included) when it is short enough to quote
 * whole; otherwise the part that matched best (or the first). Parts cut from one long text overlap,
 * so a document with consecutive text parts is never joined.
 */
function answerOf(parts: { id: number | string; kind: string; text: string }[], matched?: number): string {
  const whole = parts.map((p) => p.text).join('\n\n');
  const split = parts.some((p, i) => i > 0 && p.kind === 'text' && parts[i - 1].kind === 'text');
  if (whole.length <= WHOLE_ANSWER_CHARS && !split) return whole;
  return (parts.find((p) => Number(p.id) === matched) ?? parts[0]).text;
}

export function snippet(text: string, max = 160): string {
  const flat = text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
