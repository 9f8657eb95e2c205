import pg from 'pg';
import type { Db, Queryable } from '../turn/database.ts';
import { keyedMutex, lockKey } from './locks.ts';

// Postgres bigint (int8) and numeric come back as strings by default; kefu's counts and ids fit in a JS number.
pg.types.setTypeParser(20, (v) => Number(v));

/** Connects to a PostgreSQL server (DATABASE_URL). */
export async function openPostgres(url: string, poolSize = 10): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // Lock holders get connections of their own: a turn holding its conversation's lock must never
  // wait for a query connection held by another lock holder.
  const lockPool = new pg.Pool({ connectionString: url, max: poolSize });
  for (const p of [pool, lockPool]) p.on('error', () => undefined); // an idle client's error surfaces on its next use
  await pool.query('select 1');
  const local = keyedMutex();
  const wrap = (q: { query: pg.Pool['query'] }): Queryable => ({
    async query<T>(sql: string, params?: unknown[]) {
      return (await q.query(sql, params as unknown[])).rows as T[];
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async exec(sql) {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client as unknown as pg.Pool));
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    // In-process first (so one process does not hold many connections waiting on itself),
    // then a session advisory lock so other processes on the same database wait their turn.
    withLock: (key, fn) =>
      local(key, async () => {
        const client = await lockPool.connect();
        const k = lockKey(key);
        try {
          await client.query('select pg_advisory_lock($1::bigint)', [k]);
          return await fn();
        } finally {
          await client.query('select pg_advisory_unlock($1::bigint)', [k]).catch(() => undefined);
          client.release();
        }
      }),
    close: async () => {
      await Promise.all([pool.end(), lockPool.end()]);
    },
  };
}
