/**
 * How the bot fared in a conversation's earlier turns, read from the traces stored on the customer's
 * messages: each turn's grounding outcome (answer, clarify, decline), or `other` for a turn that was not
 * grounded (small talk, a flow, a message to an agent). The `bot_could_not_help` trigger reads them.
 */
import type { Queryable } from '../turn/database.ts';
import type { TraceStep } from '../turn/types.ts';
import type { HandoffFacts } from './triggers.ts';

type Outcome = HandoffFacts['outcomes'][number];

const outcomeOf = (trace: TraceStep[] | null): Outcome => {
  const ground = (trace ?? []).find((s) => s.stage === 'ground')?.decision;
  return ground === 'answer' || ground === 'clarify' || ground === 'decline' ? ground : 'other';
};

/** The outcomes of the `n` turns before the customer's message `beforeId`, oldest first. */
export async function earlierOutcomes(db: Queryable, conversationId: string, beforeId: number, n: number): Promise<Outcome[]> {
  if (n <= 0) return [];
  const rows = await db.query<{ trace: TraceStep[] | null }>(
    "select trace from messages where conversation_id = $1 and direction = 'in' and id < $2 and status = 'processed' order by id desc limit $3",
    [conversationId, beforeId, n],
  );
  return rows.map((r) => outcomeOf(r.trace)).reverse();
}
