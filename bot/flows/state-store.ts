/** Flow state per conversation in the database, so two customers never share slots and a restart keeps the flow. */
import type { Queryable } from '../turn/database.ts';
import type { FlowState } from './engine.ts';

interface Row {
  flow: string;
  step: number;
  slots: Record<string, string>;
  attempts: number;
  result: unknown;
  locale: 'zh' | 'en';
  updated_at: Date | string;
}

export interface StoredFlowState extends FlowState {
  updatedAt: Date;
}

export async function readFlowState(db: Queryable, conversationId: string): Promise<StoredFlowState | null> {
  const [row] = await db.query<Row>('select flow, step, slots, attempts, result, locale, updated_at from flow_states where conversation_id = $1', [conversationId]);
  if (!row) return null;
  return { flow: row.flow, step: row.step, slots: row.slots, attempts: row.attempts, result: row.result, locale: row.locale, updatedAt: new Date(row.updated_at) };
}

export async function saveFlowState(db: Queryable, conversationId: string, state: FlowState): Promise<void> {
  await db.query(
    `insert into flow_states (conversation_id, flow, step, slots, attempts, result, locale, updated_at) values ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, now())
     on conflict (conversation_id) do update set flow = excluded.flow, step = excluded.step, slots = excluded.slots, attempts = excluded.attempts, result = excluded.result, locale = excluded.locale, updated_at = now()`,
    [conversationId, state.flow, state.step, JSON.stringify(state.slots), state.attempts, JSON.stringify(state.result ?? null), state.locale],
  );
}

export async function clearFlowState(db: Queryable, conversationId: string): Promise<void> {
  await db.query('delete from flow_states where conversation_id = $1', [conversationId]);
}
