/** Vector recall: nearest chunks by cosine distance through pgvector's HNSW index. */
import type { Db, Queryable } from '../../bot/turn/database.ts';
import { vectorLiteral } from '../store.ts';

const iterativeSupport = new WeakMap<Db, Promise<boolean>>();

/** Whether the server's pgvector has iterative index scans (0.8 and later); asked once per database. */
function iterativeScanSupported(db: Db): Promise<boolean> {
  let known = iterativeSupport.get(db);
  if (!known) {
    known = db
      .query<{ v: string }>("select extversion as v from pg_extension where extname = 'vector'")
      .then(([row]) => {
        const [major, minor] = (row?.v ?? '0.0').split('.').map(Number);
        return major > 0 || minor >= 8;
      });
    iterativeSupport.set(db, known);
  }
  return known;
}

/**
 * The planner settings vector recall runs under (search.ts applies them for its transaction): the HNSW
 * search list at least as long as the recall; on pgvector ≥ 0.8 the index is scanned iteratively until
 * enough rows pass the bot/model/locale filter; and that filter must not tempt the planner into a full
 * scan and sort.
 */
export async function vectorSettings(db: Db, opts: { limit: number; efSearch?: number }): Promise<string[]> {
  return [
    `set_config('hnsw.ef_search', '${Math.max(opts.efSearch ?? 40, opts.limit)}', true)`,
    ...((await iterativeScanSupported(db)) ? ["set_config('hnsw.iterative_scan', 'relaxed_order', true)"] : []),
    "set_config('enable_seqscan', 'off', true)",
  ];
}

export interface VectorHit {
  id: number;
  cosine: number;
}

/** Recalls inside the search's transaction, under vectorSettings. */
export async function recallVector(
  db: Queryable,
  botId: string,
  embedding: number[],
  model: string,
  opts: { locales?: string[]; limit: number },
): Promise<VectorHit[]> {
  const params: unknown[] = [botId, vectorLiteral(embedding), model, opts.limit];
  let localeFilter = '';
  if (opts.locales) {
    params.push(opts.locales);
    localeFilter = `and locale = any($${params.length}::text[])`;
  }
  const rows = await db.query<{ id: number; cosine: number }>(
    `select id, 1 - (embedding <=> $2::vector) as cosine from knowledge_chunks
     where bot_id = $1 and embedding_model = $3 ${localeFilter}
     order by embedding <=> $2::vector limit $4`,
    params,
  );
  return rows.map((r) => ({ id: Number(r.id), cosine: Number(r.cosine) })).sort((a, b) => b.cosine - a.cosine);
}
