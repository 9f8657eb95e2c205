/**
 * The small database interface every part of kefu speaks plain SQL to. Two implementations live in
 * bot/store: PGlite (embedded, in a data directory) and PostgreSQL (through `pg`, when DATABASE_URL is set).
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs several statements at once (migrations). */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the lock named `key`: one holder at a time, across processes on
   * PostgreSQL (advisory lock), within this process on PGlite (which only one process opens).
   */
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
