/** Vector recall: nearest chunks by cosine distance through pgvector's HNSW index. */
import type { Db } from '../../bot/turn/database.ts';
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

export interface VectorHit {
  id: number;
  cosine: number;
}

export async function recallVector(
  db: Db,
  botId: string,
  embedding: number[],
  model: string,
  opts: { locales?: string[]; limit: number; efSearch?: number },
): Promise<VectorHit[]> {
  const params: unknown[] = [botId, vectorLiteral(embedding), model, opts.limit];
  let localeFilter = '';
  if (opts.locales) {
    params.push(opts.locales);
    localeFilter = `and locale = any($${params.length}::text[])`;
  }
  const iterative = await iterativeScanSupported(db);
  return db.transaction(async (tx) => {
    await tx.query(`set local hnsw.ef_search = ${Math.max(opts.efSearch ?? 40, opts.limit)}`);
    // pgvector ≥ 0.8 keeps scanning the index until enough rows pass the filter.
    if (iterative) await tx.query('set local hnsw.iterative_scan = relaxed_order');
    // The bot/model/locale filter must not tempt the planner into a full scan and sort: use the index
    // (iterative scanning keeps going until enough rows pass the filter).
    await tx.query('set local enable_seqscan = off');
    const rows = await tx.query<{ id: number; cosine: number }>(
      `select id, 1 - (embedding <=> $2::vector) as cosine from knowledge_chunks
       where bot_id = $1 and embedding_model = $3 ${localeFilter}
       order by embedding <=> $2::vector limit $4`,
      params,
    );
    return rows.map((r) => ({ id: Number(r.id), cosine: Number(r.cosine) })).sort((a, b) => b.cosine - a.cosine);
  });
}
