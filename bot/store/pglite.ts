import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { keyedMutex, type Db, type Queryable } from './db.ts';

/** Opens the embedded database in `dataDir` (created if missing); `undefined` keeps it in memory. */
export async function openPglite(dataDir?: string): Promise<Db & { pglite: PGlite }> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir, { extensions: { vector } });
  const lock = keyedMutex();
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query<T>(sql, params as unknown[])).rows;
    },
  });
  return {
    kind: 'pglite',
    pglite,
    ...wrap(pglite),
    async exec(sql) {
      await pglite.exec(sql);
    },
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    withLock: (key, fn) => lock(key, fn),
    close: () => pglite.close(),
  };
}
