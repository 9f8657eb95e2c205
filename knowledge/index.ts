/**
 * The knowledge base of one bot: ingest documents, search them with sources, keep curated answers.
 *
 *   const knowledge = await createKnowledge({ db, botId: 'demo-shop' });
 *   await knowledge.ingest('examples/demo-shop/knowledge');
 *   const hits = await knowledge.search('how long does delivery take?', { locale: 'en' });
 */
import type { Db } from '../bot/turn/database.ts';
import type { Locale } from '../bot/turn/types.ts';
import { ingestPath, type IngestOptions } from './ingest.ts';
import { addCurated, type CuratedAnswer } from './search/curated.ts';
import { createKnowledgeMemory } from './search/memory.ts';
import { DEFAULT_SEARCH, loadDocuments, searchKnowledge, type Reranker, type SearchSettings } from './search/search.ts';
import { hasVectorColumn } from './store.ts';
import type { Embedder, Hit, IngestProgress, IngestSummary } from './types.ts';

export type { Embedder, Hit, IngestSummary, IngestProgress } from './types.ts';
export type { SearchSettings, Reranker } from './search/search.ts';
export type { CuratedAnswer } from './search/curated.ts';

/** Searches and documents of one version of the knowledge base. */
export interface KnowledgeReader {
  /** Passages for a question, best first, already cut by the relevance threshold ([] = "I don't know"). */
  search(query: string, opts?: { locale?: Locale; limit?: number; noCut?: boolean }): Promise<Hit[]>;
  /** Documents by id (e.g. the entry a customer chose from "Did you mean …?"), each with its whole answer. */
  documents(docIds: string[]): Promise<Hit[]>;
}

export interface Knowledge extends KnowledgeReader {
  readonly botId: string;
  /** Whether passages are embedded and recalled by meaning too (pgvector present and an embedder). */
  readonly vectors: boolean;
  /** The embedder in use (undefined: lexical only). */
  readonly embedder?: Embedder;
  ingest(path: string, opts?: IngestOptions): Promise<IngestSummary>;
  /**
   * The knowledge base as it is now (its version read once): the searches and documents one turn reads
   * see one version and cost no further version read. `search` and `documents` read the version each time.
   * `version`: one the caller read itself along with other things (store.ts knowledgeVersionOf); then no read.
   */
  reader(version?: number): Promise<KnowledgeReader>;
  /** Adds a trainer-approved answer; it wins when a question closely matches its question. */
  addCurated(answer: CuratedAnswer): Promise<number>;
  stats(): Promise<{ sources: number; chunks: number }>;
}

export interface CreateKnowledgeOptions {
  db: Db;
  botId: string;
  /** The sentence embedder (the bot passes USE-lite, bot/knowledge-embedder.ts); without one, search is lexical only. */
  embedder?: Embedder;
  onProgress?: (p: IngestProgress) => void;
  settings?: Partial<SearchSettings>;
  reranker?: Reranker;
  /** Knowledge bases of at most this many chunks are searched in memory (default 20,000; 0: always in the database). */
  inMemoryChunks?: number;
}

export async function createKnowledge(opts: CreateKnowledgeOptions): Promise<Knowledge> {
  const { db, botId } = opts;
  const vectorColumn = await hasVectorColumn(db);
  const embedder = vectorColumn ? opts.embedder : undefined;
  const vectors = !!embedder;
  const settings: SearchSettings = { ...DEFAULT_SEARCH, ...opts.settings };
  const ctx = { db, botId, embedder, vectors, memory: createKnowledgeMemory(botId), inMemoryChunks: opts.inMemoryChunks };
  const searchCtx = { ...ctx, settings, reranker: opts.reranker };

  return {
    botId,
    vectors,
    embedder,
    ingest: (path, ingestOpts) => db.withLock(`knowledge:${botId}`, () => ingestPath({ ...ctx, onProgress: opts.onProgress }, path, ingestOpts)),
    search: (query, searchOpts) => searchKnowledge(searchCtx, query, searchOpts),
    documents: (docIds) => loadDocuments(ctx, docIds),
    async reader(version) {
      const at = version === undefined ? await ctx.memory.current(db) : ctx.memory.at(version);
      return { search: (query, searchOpts) => searchKnowledge(searchCtx, query, searchOpts, at), documents: (docIds) => loadDocuments(ctx, docIds, at) };
    },
    addCurated: (answer) => addCurated(db, botId, answer),
    async stats() {
      const [row] = await db.query<{ sources: number; chunks: number }>(
        'select count(*)::int as sources, coalesce(sum(chunk_count), 0)::int as chunks from knowledge_sources where bot_id = $1',
        [botId],
      );
      return { sources: Number(row.sources), chunks: Number(row.chunks) };
    },
  };
}
