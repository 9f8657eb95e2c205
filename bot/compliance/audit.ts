/**
 * The compliance audit log: every block, mask, rewrite and escalation, with the rule that fired, the
 * conversation and the time; listed for review and exported as CSV.
 */
import type { Db } from '../turn/database.ts';

export interface AuditEntry {
  conversationId: string | null;
  direction: 'in' | 'out';
  action: string;
  ruleId: string;
  /** Never personal data in clear: the guards put masked matches here. */
  detail?: Record<string, unknown>;
}

export interface AuditRow extends AuditEntry {
  id: number;
  at: Date;
  detail: Record<string, unknown>;
}

export interface AuditFilter {
  since?: Date;
  until?: Date;
  conversationId?: string;
  limit?: number;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  recordMany(entries: AuditEntry[]): Promise<void>;
  list(filter?: AuditFilter): Promise<AuditRow[]>;
  toCsv(filter?: AuditFilter): Promise<string>;
}

export const AUDIT_CSV_COLUMNS = ['id', 'at', 'conversation_id', 'direction', 'action', 'rule_id', 'detail'] as const;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(value: unknown): string {
  const s = value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  // A leading = + - @ would be read as a formula by spreadsheets: prefix it.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function auditCsv(rows: AuditRow[]): string {
  const lines = [AUDIT_CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push([r.id, r.at, r.conversationId, r.direction, r.action, r.ruleId, r.detail].map(csvField).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

interface DbRow {
  id: string | number;
  at: Date | string;
  conversation_id: string | null;
  direction: 'in' | 'out';
  action: string;
  rule_id: string;
  detail: Record<string, unknown> | string;
}

export function createAuditLog(db: Db): AuditLog {
  async function recordMany(entries: AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const values: string[] = [];
    const params: unknown[] = [];
    for (const e of entries) {
      const n = params.length;
      values.push(`($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5})`);
      params.push(e.conversationId, e.direction, e.action, e.ruleId, JSON.stringify(e.detail ?? {}));
    }
    await db.query(`insert into audit_log (conversation_id, direction, action, rule_id, detail) values ${values.join(', ')}`, params);
  }

  async function list(filter: AuditFilter = {}): Promise<AuditRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.since) where.push(`at >= $${params.push(filter.since)}`);
    if (filter.until) where.push(`at < $${params.push(filter.until)}`);
    if (filter.conversationId) where.push(`conversation_id = $${params.push(filter.conversationId)}`);
    const limit = filter.limit ? ` limit ${Math.max(1, Math.floor(filter.limit))}` : '';
    const rows = await db.query<DbRow>(
      `select id, at, conversation_id, direction, action, rule_id, detail from audit_log${where.length ? ` where ${where.join(' and ')}` : ''} order by id${limit}`,
      params,
    );
    return rows.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at),
      conversationId: r.conversation_id,
      direction: r.direction,
      action: r.action,
      ruleId: r.rule_id,
      detail: typeof r.detail === 'string' ? (JSON.parse(r.detail) as Record<string, unknown>) : r.detail,
    }));
  }

  return {
    record: (entry) => recordMany([entry]),
    recordMany,
    list,
    toCsv: async (filter) => auditCsv(await list(filter)),
  };
}
