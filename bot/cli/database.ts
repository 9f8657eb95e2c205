import type { OpenOptions } from '../store/open.ts';

/**
 * Where a command's database is: PostgreSQL when DATABASE_URL is set, else the embedded one in
 * `--data DIR`, else KEFU_DATA_DIR, else ./data.
 */
export function databaseOptions(dataFlag?: string): Pick<OpenOptions, 'databaseUrl' | 'dataDir'> {
  const databaseUrl = process.env.DATABASE_URL || undefined;
  return databaseUrl ? { databaseUrl } : { dataDir: dataFlag ?? (process.env.KEFU_DATA_DIR || './data') };
}
