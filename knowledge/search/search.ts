/**
 * Hybrid search, in named steps: recall (lexical and vector) → fuse (reciprocal rank) → rerank
 * (optional) → cut (relevance threshold). A closely matching curated answer comes first.
 */
import type { Db } from '../../bot/store/db.ts';
import type { Locale } from '../../bot/turn/types.ts';
import { detectLocale } from '../../bot/turn/locale.ts';
import { queryTerms } from '../tokens.ts';
import type { Embedder, Hit } from '../types.ts';
import { matchCurated } from './curated.ts';
import { reciprocalRankFusion } from './fuse.ts';
import { recallLexical } from './lexical.ts';
import { DEFAULT_RELEVANCE, lexicalRelevance, vectorRelevance, type RelevanceSettings } from './relevance.ts';
import { recallVector } from './vector.ts';

export interface SearchSettings extends RelevanceSettings {
  lexicalWeight: number;
  vectorWeight: number;
  /** RRF's k: larger flattens the difference between ranks. */
  rrfK: number;
  /** How many passages each index recalls before fusion. */
  recall: number;
  /** Term overlap with an approved question at which a curated answer wins. */
  curatedSimilarity: number;
}

export const DEFAULT_SEARCH: SearchSettings = {
  ...DEFAULT_RELEVANCE,
  lexicalWeight: 1,
  vectorWeight: 1,
  rrfK: 60,
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
  embedder?: Embedder;
  vectors: boolean;
  settings: SearchSettings;
  reranker?: Reranker;
}

interface ChunkRow {
  id: number;
  doc_id: string;
  text: string;
  title_path: string[] | string;
  url: string | null;
}

export async function searchKnowledge(ctx: SearchContext, query: string, opts: SearchOptions = {}): Promise<Hit[]> {
  const s = ctx.settings;
  const limit = opts.limit ?? 5;
  const text = query.trim();
  if (!text) return [];
  const locale = opts.locale ?? detectLocale(text);
  const locales = [locale];

  const curated = await matchCurated(ctx.db, ctx.botId, text, s.curatedSimilarity);

  // recall
  const useVectors = ctx.vectors && ctx.embedder && ctx.embedder.locales.includes(locale);
  const [lexical, vector] = await Promise.all([
    recallLexical(ctx.db, ctx.botId, queryTerms(text), { locales, limit: s.recall }),
    useVectors
      ? ctx.embedder!.embed([text]).then(([v]) => recallVector(ctx.db, ctx.botId, v, ctx.embedder!.id, { locales, limit: s.recall }))
      : Promise.resolve([]),
  ]);

  // fuse
  const fused = reciprocalRankFusion(
    [
      { name: 'lexical', ids: lexical.hits.map((h) => h.id), weight: s.lexicalWeight },
      { name: 'vector', ids: vector.map((h) => h.id), weight: s.vectorWeight },
    ],
    s.rrfK,
  );
  const lexById = new Map(lexical.hits.map((h) => [h.id, h]));
  const vecById = new Map(vector.map((h) => [h.id, h]));
  const relevance = (id: number) =>
    Math.max(
      lexById.has(id) ? lexicalRelevance(lexById.get(id)!.matchedIdf, lexical.queryIdf) : 0,
      vecById.has(id) ? vectorRelevance(vecById.get(id)!.cosine, s) : 0,
    );
  const keep = opts.noCut ? fused : fused.filter((f) => relevance(f.id) >= s.threshold);
  const top = keep.slice(0, Math.max(limit * 4, 20));

  // One passage per document: the best-ranked of its chunks.
  let hits = onePerDocument(await loadHits(ctx, top.map((f) => ({ id: f.id, score: relevance(f.id) }))));
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

async function loadHits(ctx: SearchContext, ranked: { id: number; score: number }[]): Promise<Hit[]> {
  if (!ranked.length) return [];
  const rows = await ctx.db.query<ChunkRow>('select id, doc_id, text, title_path, url from knowledge_chunks where id = any($1::bigint[])', [ranked.map((r) => r.id)]);
  const byId = new Map(rows.map((r) => [Number(r.id), r]));
  return ranked.flatMap(({ id, score }) => {
    const row = byId.get(id);
    if (!row) return [];
    const path = typeof row.title_path === 'string' ? (JSON.parse(row.title_path) as string[]) : row.title_path;
    return [{ text: row.text, score: Math.round(score * 1000) / 1000, docId: row.doc_id, source: { title: path.join(' › '), url: row.url ?? undefined, snippet: snippet(row.text) } }];
  });
}

function onePerDocument(hits: Hit[]): Hit[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.docId) && seen.add(h.docId));
}

export function snippet(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
