import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../turn/database.ts';

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface MigrationReport {
  applied: string[];
  /** Files needing pgvector, skipped on a server that does not have it. */
  skipped: string[];
}

/**
 * Applies the plain-SQL migrations in file-name order, each once, each in its own transaction.
 * Files named `*.vector.sql` need pgvector; where the server has no such extension they are skipped
 * (and applied later once it is installed), so kefu still runs, with lexical search only.
 */
export async function migrate(db: Db, onProgress: (file: string) => void = () => undefined): Promise<MigrationReport> {
  await db.exec('create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())');
  const done = new Set((await db.query<{ name: string }>('select name from schema_migrations')).map((r) => r.name));
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort();
  const report: MigrationReport = { applied: [], skipped: [] };
  let hasVector: boolean | undefined;
  for (const file of files) {
    if (done.has(file)) continue;
    if (file.endsWith('.vector.sql')) {
      hasVector ??= await vectorAvailable(db);
      if (!hasVector) {
        report.skipped.push(file);
        continue;
      }
    }
    onProgress(file);
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    await db.transaction(async (tx) => {
      for (const statement of splitStatements(sql)) await tx.query(statement);
      await tx.query('insert into schema_migrations (name) values ($1)', [file]);
    });
    report.applied.push(file);
  }
  return report;
}

export async function vectorAvailable(db: Db): Promise<boolean> {
  const rows = await db.query("select 1 from pg_available_extensions where name = 'vector'");
  return rows.length > 0;
}

/** Splits a migration on semicolons at line ends, skipping comment lines (no dollar-quoted bodies in kefu's SQL). */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter(Boolean);
}
