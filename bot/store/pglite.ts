import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { prepareDataDir, tightenDataDir } from './data-dir.ts';
import type { Db, Queryable } from '../turn/database.ts';
import { keyedMutex } from './locks.ts';
import { preparedQuery } from './pglite-statements.ts';

/**
 * Opens the embedded database in `dataDir` (created private if missing, see prepareDataDir); `undefined`
 * keeps it in memory. Its files are made private after opening and after closing.
 */
export async function openPglite(dataDir?: string): Promise<Db & { pglite: PGlite }> {
  if (dataDir) prepareDataDir(dataDir);
  const pglite = await PGlite.create(dataDir, { extensions: { vector } });
  if (dataDir) tightenDataDir(dataDir);
  const lock = keyedMutex();
  const wrap = (q: { query: PGlite['query'] }): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query<T>(sql, params as unknown[])).rows;
    },
  });
  const query = preparedQuery(pglite);
  return {
    kind: 'pglite',
    pglite,
    query: (sql, params) => query(sql, params),
    async exec(sql) {
      await pglite.exec(sql);
    },
    transaction: (fn) => pglite.transaction((tx) => fn(wrap(tx))),
    withLock: (key, fn) => lock(key, fn),
    async close() {
      await pglite.close();
      if (dataDir) tightenDataDir(dataDir);
    },
  };
}
