/**
 * Lexical recall: an OR of the question's tokens against the chunks' `tsvector` (GIN index), then
 * BM25 over the candidates in SQL with document frequencies from `knowledge_terms` (the corpus totals and
 * each term's frequency read once per knowledge version, memory.ts). Term frequencies
 * are the position counts of the question's own lexemes, picked out of each candidate's tsvector by
 * marking them (setweight) and keeping only the marked ones (ts_filter): far cheaper than unnesting all.
 * A knowledge base held in memory (chunk-index.ts) is scored the same way there, with its own statistics.
 */
import type { Queryable } from '../../bot/turn/database.ts';
import { corpusStats, documentFrequencies } from '../store.ts';
import { toOrQuery } from '../tokens.ts';
import { indexFrequencies, recallLexicalInMemory, type ChunkIndex } from './chunk-index.ts';
import type { VersionMemory } from './memory.ts';
import { idf } from './relevance.ts';

export interface LexicalHit {
  id: number;
  bm25: number;
  matchedIdf: number;
}

export interface LexicalRecall {
  hits: LexicalHit[];
  /** Sum of the IDF of the question's distinct terms (unknown words count as the rarest known term, unknown bigrams as nothing). */
  queryIdf: number;
}

const K1 = 1.2;
const B = 0.75;
/** Terms in more chunks than this (and than 1% of them) are too common to recall by; they still score. */
const COMMON_DF = 50;
const COMMON_SHARE = 0.01;
/** At most about this many chunks are matched for scoring (beyond the rarest term's own). */
const CANDIDATE_BUDGET = 1000;
/** A term in more than this share of a big corpus's chunks (idf below ~3) cannot recall on its own. */
const EVERYWHERE_SHARE = 0.05;

/**
 * The terms chunks are recalled by: the rarest first, until the chunks they match could exceed a
 * budget (a big corpus then scores a bounded candidate set); too common terms only when nothing else.
 * Every term of the question still counts in the score.
 */
export function pickRecallTerms(known: string[], dfs: Map<string, number>, chunks: number): string[] {
  const common = Math.max(COMMON_DF, COMMON_SHARE * chunks);
  const byRarity = [...known].sort((a, b) => dfs.get(a)! - dfs.get(b)! || a.localeCompare(b));
  const picked: string[] = [];
  let matched = 0;
  // A question made only of words that are everywhere in a big corpus has no lexical signal to recall by.
  if (byRarity.length && dfs.get(byRarity[0])! > Math.max(CANDIDATE_BUDGET, EVERYWHERE_SHARE * chunks)) return [];
  for (const t of byRarity) {
    const df = dfs.get(t)!;
    if (picked.length && (df > common || matched + df > CANDIDATE_BUDGET)) break;
    picked.push(t);
    matched += df;
  }
  return picked;
}

/**
 * The planner settings lexical recall runs under (search.ts applies them for its transaction): matching
 * chunks are found through the GIN index, even where the planner would rather scan.
 */
export const LEXICAL_SETTINGS = ["set_config('enable_seqscan', 'off', true)"];

/**
 * Recalls inside the search's transaction, under LEXICAL_SETTINGS; or, given the knowledge base held in
 * memory, there (no statement).
 */
export async function recallLexical(
  db: Queryable,
  botId: string,
  query: { terms: string[]; bigramsOnly: Set<string> },
  opts: { locales?: string[]; limit: number; candidates?: number },
  memory: VersionMemory,
  index?: ChunkIndex,
): Promise<LexicalRecall> {
  const terms = query.terms;
  if (!terms.length) return { hits: [], queryIdf: 0 };
  const [stats, dfs] = index
    ? [index.stats, indexFrequencies(index, terms)]
    : await Promise.all([
        memory.once('corpus stats', () => corpusStats(db, botId)),
        memory.many('document frequency', terms, (missing) => documentFrequencies(db, botId, missing)),
      ]);
  if (!stats.chunks) return { hits: [], queryIdf: 0 };
  const rarest = idf(1, stats.chunks);
  const weights = terms.map((t) => (dfs.has(t) ? idf(dfs.get(t)!, stats.chunks) : query.bigramsOnly.has(t) ? 0 : rarest));
  const queryIdf = weights.reduce((a, b) => a + b, 0);
  const known = terms.filter((t) => dfs.has(t));
  if (!known.length) return { hits: [], queryIdf };
  const recallTerms = pickRecallTerms(known, dfs, stats.chunks);
  if (!recallTerms.length) return { hits: [], queryIdf };
  const candidates = opts.candidates ?? 200;
  if (index) {
    const scored = recallLexicalInMemory(index, { terms, weights, recallTerms, avgTokens: stats.avgTokens || 1, k1: K1, b: B }, { locales: opts.locales, limit: opts.limit, candidates });
    return { hits: scored.map((r) => ({ id: r.id, bm25: r.bm25, matchedIdf: r.matched })), queryIdf };
  }
  const params: unknown[] = [botId, terms, weights, toOrQuery(recallTerms), candidates, stats.avgTokens || 1, opts.limit];
  let localeFilter = '';
  if (opts.locales) {
    params.push(opts.locales);
    localeFilter = `and locale = any($${params.length}::text[])`;
  }
  const rows = await db.query<{ id: number; bm25: number; matched: number }>(
    `with q as (select * from unnest($2::text[], $3::float8[]) as q(term, idf)),
     cand as (
       select id, lexemes, token_count from knowledge_chunks
       where bot_id = $1 and lexemes @@ $4::tsquery ${localeFilter}
       order by ts_rank(lexemes, $4::tsquery) desc limit $5
     )
     select cand.id,
       sum(q.idf * (cardinality(u.positions) * ${K1 + 1}) / (cardinality(u.positions) + ${K1} * (1 - ${B} + ${B} * cand.token_count / $6::float8))) as bm25,
       sum(q.idf) as matched
     from cand, unnest(ts_filter(setweight(cand.lexemes, 'A', $2::text[]), '{a}')) u, q
     where q.term = u.lexeme
     group by cand.id
     order by bm25 desc, cand.id
     limit $7`,
    params,
  );
  return { hits: rows.map((r) => ({ id: Number(r.id), bm25: Number(r.bm25), matchedIdf: Number(r.matched) })), queryIdf };
}
