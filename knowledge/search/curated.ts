/**
 * Curated answers: trainer-approved question → answer pairs. When a customer's question closely
 * matches an approved question (the same terms), the approved answer wins. The bot's curated answers
 * are read once per knowledge version (memory.ts) and matched in memory.
 */
import type { Queryable } from '../../bot/turn/database.ts';
import { RAISE_KNOWLEDGE_VERSION } from '../store.ts';
import { tokenize, toTsvector } from '../tokens.ts';
import type { VersionMemory } from './memory.ts';

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
  // one statement: the answer and the raised knowledge version are stored together
  const rows = await db.query<{ id: number }>(
    `with raised as (${RAISE_KNOWLEDGE_VERSION})
     insert into knowledge_curated (bot_id, locale, question, answer, source_title, source_url, lexemes, approved_by)
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

interface StoredCurated {
  answer: CuratedMatch;
  terms: Set<string>;
}

async function loadCurated(db: Queryable, botId: string): Promise<StoredCurated[]> {
  const rows = await db.query<{ id: number; locale: 'zh' | 'en'; question: string; answer: string; source_title: string | null; source_url: string | null }>(
    'select id, locale, question, answer, source_title, source_url from knowledge_curated where bot_id = $1 order by id',
    [botId],
  );
  return rows.map((r) => ({
    answer: { id: Number(r.id), question: r.question, answer: r.answer, locale: r.locale, sourceTitle: r.source_title ?? undefined, sourceUrl: r.source_url ?? undefined, similarity: 0 },
    terms: new Set(tokenize(r.question)),
  }));
}

/** The curated answer whose question shares the most terms with the customer's, when at least `minSimilarity`. */
export async function matchCurated(db: Queryable, botId: string, question: string, minSimilarity: number, memory: VersionMemory): Promise<CuratedMatch | undefined> {
  const terms = new Set(tokenize(question));
  if (!terms.size) return undefined;
  const curated = await memory.once('curated', () => loadCurated(db, botId));
  let best: CuratedMatch | undefined;
  for (const c of curated) {
    const similarity = termOverlap(terms, c.terms);
    if (similarity > 0 && similarity >= minSimilarity && (!best || similarity > best.similarity)) best = { ...c.answer, similarity };
  }
  return best;
}
