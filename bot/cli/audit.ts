import { parseArgs } from 'node:util';
import { createAuditLog, AUDIT_CSV_COLUMNS, csvField } from '../compliance/audit.ts';
import { databaseOptions } from './database.ts';
import { openDb } from '../store/open.ts';
import type { CliIo } from './io.ts';


function parseDate(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`${flag} must be a date such as 2025-01-31, not '${value}'`);
  return d;
}

/**
 * `kefu audit export [--data DIR] [--since DATE] [--until DATE] [--conversation ID] > audit.csv`:
 * the compliance audit log as CSV (one line per block, mask, rewrite or escalation).
 */
export async function auditCommand(argv: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'export') {
    io.err('usage: kefu audit export [--data DIR] [--since DATE] [--until DATE] [--conversation ID] > audit.csv');
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: { data: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, conversation: { type: 'string' } },
  });
  let since: Date | undefined;
  let until: Date | undefined;
  try {
    since = parseDate(values.since, '--since');
    until = parseDate(values.until, '--until');
  } catch (e) {
    io.err((e as Error).message);
    return 2;
  }
  const { db } = await openDb(databaseOptions(values.data));
  try {
    const rows = await createAuditLog(db).list({ since, until, conversationId: values.conversation });
    io.out(AUDIT_CSV_COLUMNS.join(','));
    for (const r of rows) io.out([r.id, r.at, r.conversationId, r.direction, r.action, r.ruleId, r.detail].map(csvField).join(','));
    io.err(`${rows.length} audit entr${rows.length === 1 ? 'y' : 'ies'}`);
    return 0;
  } finally {
    await db.close();
  }
}
