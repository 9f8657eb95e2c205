/**
 * The handoff queue in the store. A conversation handed over waits `queued` (the conversation's mode
 * `queued`) until an agent claims it (`claimed`, mode `agent`) and is `resolved` back to the bot or
 * `timed_out` to take-a-message (nobody claimed it in time: it waits as a message left for an agent, the
 * conversation still `queued`, and an agent may still claim it). Claims lock rows with `FOR UPDATE SKIP LOCKED`, so two agents never
 * hold one conversation and concurrent claimers never wait on each other.
 */
import type { Db, Queryable } from '../turn/database.ts';
import type { StaffUser } from '../staff/accounts.ts';

export type HandoffStatus = 'queued' | 'claimed' | 'resolved' | 'timed_out';

export interface Handoff {
  id: number;
  conversationId: string;
  botId: string;
  reason: string;
  team: string | null;
  status: HandoffStatus;
  agentId: number | null;
  requestedAt: Date;
  claimedAt: Date | null;
}

/** A handoffs row as the store returns it. */
export interface HandoffRow {
  id: string;
  conversation_id: string;
  bot_id: string;
  reason: string;
  team: string | null;
  status: HandoffStatus;
  agent_id: string | null;
  requested_at: Date;
  claimed_at: Date | null;
}

export const toHandoff = (r: HandoffRow): Handoff => ({
  id: Number(r.id),
  conversationId: r.conversation_id,
  botId: r.bot_id,
  reason: r.reason,
  team: r.team,
  status: r.status,
  agentId: r.agent_id === null ? null : Number(r.agent_id),
  requestedAt: new Date(r.requested_at),
  claimedAt: r.claimed_at ? new Date(r.claimed_at) : null,
});

/** Queues a conversation for an agent (the open handoff it already has, if any) and marks it `queued`. */
export async function requestHandoff(db: Db, h: { conversationId: string; botId: string; reason: string; team?: string | null }): Promise<Handoff> {
  return db.transaction(async (tx) => {
    const [open] = await tx.query<HandoffRow>("select * from handoffs where conversation_id = $1 and status in ('queued', 'claimed')", [h.conversationId]);
    if (open) return toHandoff(open);
    const [row] = await tx.query<HandoffRow>('insert into handoffs (conversation_id, bot_id, reason, team) values ($1, $2, $3, $4) returning *', [h.conversationId, h.botId, h.reason, h.team ?? null]);
    await tx.query("update conversations set mode = 'queued', updated_at = now() where id = $1", [h.conversationId]);
    return toHandoff(row!);
  });
}

/** Whether an agent may work a handoff of this team: their own teams, any team for admins, unteamed handoffs for all. */
export const mayWork = (agent: Pick<StaffUser, 'role' | 'teams'>, team: string | null) => agent.role === 'admin' || team === null || agent.teams.includes(team);

async function markClaimed(tx: Queryable, id: string, agentId: number): Promise<Handoff> {
  const [row] = await tx.query<HandoffRow>("update handoffs set status = 'claimed', agent_id = $2, claimed_at = now() where id = $1 returning *", [id, agentId]);
  await tx.query("update conversations set mode = 'agent', updated_at = now() where id = $1", [row!.conversation_id]);
  return toHandoff(row!);
}

/** Claims one handoff (waiting, or a message left after nobody came in time) for an agent; null when another agent holds it, it is closed, or not the agent's team. */
export async function claimHandoff(db: Db, id: number, agent: Pick<StaffUser, 'id' | 'role' | 'teams'>): Promise<Handoff | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<HandoffRow>("select * from handoffs where id = $1 and status in ('queued', 'timed_out') for update skip locked", [id]);
    if (!row || !mayWork(agent, row.team)) return null;
    return markClaimed(tx, row.id, agent.id);
  });
}

/** Claims the longest-waiting handoff the agent may work, within their capacity; null when there is none. */
export async function claimNextHandoff(db: Db, botId: string, agent: Pick<StaffUser, 'id' | 'role' | 'teams'>): Promise<Handoff | null> {
  return db.transaction(async (tx) => {
    // the agent's row is the lock that keeps their own concurrent claims within their capacity
    const [me] = await tx.query<{ capacity: number; held: string }>(
      "select u.capacity, (select count(*) from handoffs h where h.agent_id = u.id and h.status = 'claimed') as held from staff_users u where u.id = $1 for update",
      [agent.id],
    );
    if (!me || Number(me.held) >= me.capacity) return null;
    const [row] = await tx.query<HandoffRow>(
      `select * from handoffs
        where bot_id = $1 and status = 'queued' and ($2 or team is null or team = any($3::text[]))
        order by requested_at, id
        for update skip locked
        limit 1`,
      [botId, agent.role === 'admin', agent.teams],
    );
    return row ? markClaimed(tx, row.id, agent.id) : null;
  });
}

/** Ends a claimed handoff: the conversation returns to the bot. */
export async function resolveHandoff(db: Db, id: number, agentId: number): Promise<Handoff | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<HandoffRow>("update handoffs set status = 'resolved', resolved_at = now() where id = $1 and status = 'claimed' and agent_id = $2 returning *", [id, agentId]);
    if (!row) return null;
    await tx.query("update conversations set mode = 'bot', updated_at = now() where id = $1", [row.conversation_id]);
    return toHandoff(row);
  });
}

/** A queued handoff's place (1 = next) among those of its bot and team; null once it is no longer queued. */
export async function queuePosition(db: Queryable, id: number): Promise<number | null> {
  const [row] = await db.query<{ position: string }>(
    `select 1 + (select count(*) from handoffs h
                  where h.status = 'queued' and h.bot_id = me.bot_id and h.team is not distinct from me.team
                    and (h.requested_at, h.id) < (me.requested_at, me.id)) as position
       from handoffs me where me.id = $1 and me.status = 'queued'`,
    [id],
  );
  return row ? Number(row.position) : null;
}

/**
 * About how many minutes a customer at `position` waits: the median wait of the bot's last 20 claimed
 * handoffs per place in the queue, else two minutes a place; at least one minute.
 */
export async function estimatedWaitMinutes(db: Queryable, botId: string, position: number): Promise<number> {
  return waitForPlace(await minutesPerPlace(db, botId), position);
}

async function minutesPerPlace(db: Queryable, botId: string): Promise<number> {
  const [row] = await db.query<{ median: number | null }>(
    `select percentile_cont(0.5) within group (order by extract(epoch from claimed_at - requested_at)) as median
       from (select claimed_at, requested_at from handoffs where bot_id = $1 and claimed_at is not null order by claimed_at desc limit 20) recent`,
    [botId],
  );
  return row?.median != null ? Number(row.median) / 60 : 2;
}

const waitForPlace = (perPlace: number, position: number) => Math.max(1, Math.round(perPlace * position));

/** Notes the place a waiting customer has just been told, so a later queue move does not tell it again. */
export async function notePositionTold(db: Queryable, id: number, position: number): Promise<void> {
  await db.query('update handoffs set told_position = $2 where id = $1', [id, position]);
}

/**
 * The waiting customers of a bot whose place changed since they were last told (someone ahead was claimed,
 * timed out or transferred away; a transfer put them in a new team's queue), with their new place and wait.
 * Each change is claimed in one UPDATE … RETURNING, so when several processes look at once, each customer is
 * returned to one of them, once.
 */
export async function takeQueueMoves(db: Queryable, botId: string): Promise<{ handoffId: number; conversationId: string; position: number; minutes: number }[]> {
  const moved = await db.query<{ id: string; conversation_id: string; position: string }>(
    `update handoffs h set told_position = p.position
       from (select id, row_number() over (partition by team order by requested_at, id) as position
               from handoffs where bot_id = $1 and status = 'queued') p
      where h.id = p.id and h.status = 'queued' and h.told_position is distinct from p.position
      returning h.id, h.conversation_id, p.position`,
    [botId],
  );
  if (!moved.length) return [];
  const perPlace = await minutesPerPlace(db, botId);
  return moved.map((r) => ({ handoffId: Number(r.id), conversationId: r.conversation_id, position: Number(r.position), minutes: waitForPlace(perPlace, Number(r.position)) }));
}

/**
 * Turns the bot's handoffs that have waited unclaimed since before `requestedBefore` into messages left for
 * an agent (`timed_out`), in one statement: rows another process is turning at the same moment are skipped,
 * so each handoff is returned once, to one process.
 */
export async function timeOutUnclaimed(db: Queryable, botId: string, requestedBefore: Date): Promise<Handoff[]> {
  const rows = await db.query<HandoffRow>(
    `update handoffs set status = 'timed_out', timed_out_at = now()
      where id in (select id from handoffs where bot_id = $1 and status = 'queued' and requested_at < $2 for update skip locked)
        and status = 'queued'
      returning *`,
    [botId, requestedBefore],
  );
  return rows.map(toHandoff);
}

/** Records the customer's 1–5 rating on the conversation's latest resolved handoff; false when it has none. */
export async function rateLastHandoff(db: Queryable, conversationId: string, rating: number): Promise<boolean> {
  const rows = await db.query(
    `update handoffs set rating = $2 where id = (select id from handoffs where conversation_id = $1 and status = 'resolved' order by resolved_at desc limit 1) returning id`,
    [conversationId, rating],
  );
  return rows.length > 0;
}
