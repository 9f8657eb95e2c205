/**
 * Curated answers: trainer-approved question → answer pairs. When a customer's question closely
 * matches an approved question (same terms, or near-identical meaning), the approved answer wins.
 */
import type { Queryable } from '../../bot/turn/database.ts';
import { tokenize, toOrQuery, toTsvector } from '../tokens.ts';

export interface CuratedAnswer {
  question: string;
  answer: string;
  locale: 'zh' | 'en';
  sourceTitle?: string;
  sourceUrl?: string;
  approvedBy?: string;
}

export interface CuratedMatch extends CuratedAnswer {
  id: number;
  similarity: number;
}

export async function addCurated(db: Queryable, botId: string, a: CuratedAnswer): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `insert into knowledge_curated (bot_id, locale, question, answer, source_title, source_url, lexemes, approved_by)
     values ($1, $2, $3, $4, $5, $6, $7::tsvector, $8) returning id`,
    [botId, a.locale, a.question, a.answer, a.sourceTitle ?? null, a.sourceUrl ?? null, toTsvector(tokenize(a.question)), a.approvedBy ?? null],
  );
  return Number(rows[0].id);
}

/** Dice overlap of two term sets: 1 for the same terms, 0 for none shared. */
export function termOverlap(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
}

export async function matchCurated(db: Queryable, botId: string, question: string, minSimilarity: number): Promise<CuratedMatch | undefined> {
  const terms = new Set(tokenize(question));
  if (!terms.size) return undefined;
  const rows = await db.query<{ id: number; locale: 'zh' | 'en'; question: string; answer: string; source_title: string | null; source_url: string | null }>(
    `select id, locale, question, answer, source_title, source_url from knowledge_curated
     where bot_id = $1 and lexemes @@ $2::tsquery limit 50`,
    [botId, toOrQuery([...terms])],
  );
  let best: CuratedMatch | undefined;
  for (const r of rows) {
    const similarity = termOverlap(terms, new Set(tokenize(r.question)));
    if (similarity >= minSimilarity && (!best || similarity > best.similarity)) {
      best = { id: Number(r.id), question: r.question, answer: r.answer, locale: r.locale, sourceTitle: r.source_title ?? undefined, sourceUrl: r.source_url ?? undefined, similarity };
    }
  }
  return best;
}
