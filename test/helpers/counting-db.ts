import type { Db, Queryable } from '../../bot/turn/database.ts';

/**
 * The database with every statement it is sent recorded (a transaction records each of its statements, plus
 * begin and commit): what a turn costs in round trips.
 */
export function countingDb(inner: Db) {
  const statements: string[] = [];
  const count = (q: Queryable): Queryable => ({
    query: (sql, params) => {
      statements.push(sql.replace(/\s+/g, ' ').trim().slice(0, 80));
      return q.query(sql, params);
    },
  });
  const db: Db = {
    kind: inner.kind,
    ...count(inner),
    exec: (sql) => (statements.push(sql.slice(0, 80)), inner.exec(sql)),
    transaction: (fn) => {
      statements.push('begin', 'commit');
      return inner.transaction((tx) => fn(count(tx)));
    },
    withLock: (key, fn) => inner.withLock(key, fn),
    close: () => inner.close(),
  };
  return { db, statements };
}
