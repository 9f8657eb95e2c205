import type { Db } from '../turn/database.ts';
import { migrate, type MigrationReport } from './migrate.ts';
import { tightenDataDir } from './data-dir.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

export interface OpenOptions {
  /** PostgreSQL connection string; when set, the server is used instead of the embedded database. */
  databaseUrl?: string;
  /** Data directory of the embedded database. */
  dataDir?: string;
  onProgress?: (step: string) => void;
}

/** Opens the configured database and brings its schema up to date. */
export async function openDb(opts: OpenOptions): Promise<{ db: Db; migrations: MigrationReport }> {
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : await openPglite(opts.dataDir);
  const migrations = await migrate(db, (file) => opts.onProgress?.(`migrating ${file}`));
  if (db.kind === 'pglite' && opts.dataDir) tightenDataDir(opts.dataDir);
  return { db, migrations };
}
