/**
 * What the agent console reads and writes besides claims: the queue as an agent sees it, a conversation's
 * transcript with the bot's traces, a short summary, internal notes, transfers and presence.
 */
import type { Db, Queryable } from '../turn/database.ts';
import type { StaffUser } from '../staff/accounts.ts';
import { mayWork, queuePosition, toHandoff, type Handoff, type HandoffRow } from './queue.ts';

export interface DeskHandoff {
  handoffId: number;
  conversationId: string;
  reason: string;
  team: string | null;
  status: string;
  channel: string;
  locale: string;
  requestedAt: string;
  position: number | null;
  /** The customer's latest message, as stored (masked). */
  preview: string;
}

interface DeskRow {
  id: string;
  conversation_id: string;
  reason: string;
  team: string | null;
  status: string;
  channel: string;
  locale: string;
  requested_at: Date;
  preview: string | null;
}

const DESK_SELECT = `
  select h.id, h.conversation_id, h.reason, h.team, h.status, c.channel, c.locale, h.requested_at,
         (select m.text from messages m where m.conversation_id = h.conversation_id and m.author = 'customer' order by m.id desc limit 1) as preview
    from handoffs h join conversations c on c.id = h.conversation_id`;

const toDesk = async (db: Queryable, r: DeskRow): Promise<DeskHandoff> => ({
  handoffId: Number(r.id),
  conversationId: r.conversation_id,
  reason: r.reason,
  team: r.team,
  status: r.status,
  channel: r.channel,
  locale: r.locale,
  requestedAt: new Date(r.requested_at).toISOString(),
  position: r.status === 'queued' ? await queuePosition(db, Number(r.id)) : null,
  preview: (r.preview ?? '').slice(0, 200),
});

/**
 * What this agent may take — the handoffs waiting, oldest first, and the messages left by customers nobody
 * claimed in time — and the ones they hold.
 */
export async function deskQueue(
  db: Queryable,
  botId: string,
  agent: Pick<StaffUser, 'id' | 'role' | 'teams'>,
): Promise<{ waiting: DeskHandoff[]; left: DeskHandoff[]; mine: DeskHandoff[] }> {
  const waiting = await db.query<DeskRow>(`${DESK_SELECT} where h.bot_id = $1 and h.status = 'queued' order by h.requested_at, h.id limit 200`, [botId]);
  const left = await db.query<DeskRow>(`${DESK_SELECT} where h.bot_id = $1 and h.status = 'timed_out' and c.mode = 'queued' order by h.requested_at, h.id limit 200`, [botId]);
  const mine = await db.query<DeskRow>(`${DESK_SELECT} where h.status = 'claimed' and h.agent_id = $1 order by h.claimed_at`, [agent.id]);
  const mayTake = (rows: DeskRow[]) => Promise.all(rows.filter((r) => mayWork(agent, r.team)).map((r) => toDesk(db, r)));
  return { waiting: await mayTake(waiting), left: await mayTake(left), mine: await Promise.all(mine.map((r) => toDesk(db, r))) };
}

/** The conversation's open handoff (or its latest one) with the agent who holds it. */
export async function currentHandoff(db: Queryable, conversationId: string): Promise<(Handoff & { agentLogin: string | null }) | null> {
  const [r] = await db.query<HandoffRow & { agent_login: string | null }>(
    `select h.*, u.login as agent_login from handoffs h left join staff_users u on u.id = h.agent_id
      where h.conversation_id = $1 order by (h.status in ('queued', 'claimed')) desc, h.id desc limit 1`,
    [conversationId],
  );
  return r ? { ...toHandoff(r), agentLogin: r.agent_login } : null;
}

/** Whether this person may read the conversation: admins and trainers always; agents when they hold it or may take it. */
export function mayRead(user: Pick<StaffUser, 'id' | 'role' | 'teams'>, handoff: Pick<Handoff, 'team' | 'agentId' | 'status'> | null): boolean {
  if (user.role === 'admin' || user.role === 'trainer') return true;
  if (!handoff) return false;
  if (handoff.agentId === user.id) return true;
  return (handoff.status === 'queued' || handoff.status === 'timed_out') && mayWork(user, handoff.team);
}

export interface TranscriptMessage {
  id: number;
  author: string;
  direction: string;
  text: string;
  sources: unknown[];
  trace: unknown[] | null;
  createdAt: string;
  /** A customer's images: how to fetch each (by its hash) and what the perceive stage saw in it. */
  images?: TranscriptImage[];
}

export interface TranscriptImage {
  sha256: string;
  name?: string;
  /** The text read in it (OCR), personal data masked. */
  text?: string;
  issue?: string;
  /** The issue's label in both languages. */
  label?: { en: string; zh: string };
  confidence?: number;
  errorCode?: string;
}

interface PerceivedImage {
  index: number;
  text?: string;
  issue?: string;
  label?: { en: string; zh: string };
  confidence?: number;
  errorCode?: string;
}

/** The images of a customer's message, each with what its turn's perceive step recorded about it. */
function imagesOf(attachments: { sha256?: string; name?: string }[] | null, trace: unknown[] | null): TranscriptImage[] {
  const perceive = (trace as { stage: string; detail?: { images?: PerceivedImage[] } }[] | null)?.find((s) => s.stage === 'perceive');
  return (attachments ?? []).flatMap((a, index) => {
    if (!a.sha256) return [];
    const seen = perceive?.detail?.images?.find((i) => i.index === index);
    return [{
      sha256: a.sha256,
      ...(a.name ? { name: a.name } : {}),
      ...(seen?.text ? { text: seen.text } : {}),
      ...(seen?.issue ? { issue: seen.issue, label: seen.label, confidence: seen.confidence } : {}),
      ...(seen?.errorCode ? { errorCode: seen.errorCode } : {}),
    }];
  });
}

export async function transcript(db: Queryable, conversationId: string, limit = 200): Promise<TranscriptMessage[]> {
  const rows = await db.query<{ id: string; author: string; direction: string; text: string; sources: unknown[] | null; trace: unknown[] | null; attachments: { sha256?: string; name?: string }[] | null; created_at: Date }>(
    `select * from (select m.id, m.author, m.direction, m.text, m.sources, coalesce(m.trace, i.trace) as trace, m.attachments, m.created_at
                    from messages m left join messages i on i.id = m.reply_to
                    where m.conversation_id = $1 order by m.id desc limit $2) m order by id`,
    [conversationId, limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    author: r.author,
    direction: r.direction,
    text: r.text,
    sources: r.sources ?? [],
    // a turn's trace sits on its inbound message; the console shows it on the bot's messages of that turn
    trace: r.author === 'bot' ? r.trace : null,
    createdAt: new Date(r.created_at).toISOString(),
    ...(r.author === 'customer' && r.attachments?.length ? { images: imagesOf(r.attachments, r.trace) } : {}),
  }));
}

/**
 * A short summary of the conversation so far, from what the bot recorded: what the customer first asked,
 * the intents recognised along the way, and what they said last.
 */
export function summarize(messages: TranscriptMessage[], locale: 'zh' | 'en'): string {
  const customer = messages.filter((m) => m.author === 'customer');
  if (!customer.length) return '';
  const intents = [
    ...new Set(
      messages.flatMap((m) => (m.trace ?? []) as { stage?: string; decision?: string }[]).filter((s) => s.stage === 'understand' && s.decision?.startsWith('intent:')).map((s) => s.decision!.slice('intent:'.length)),
    ),
  ];
  const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}…` : s);
  const first = clip(customer[0]!.text);
  const last = clip(customer[customer.length - 1]!.text);
  if (locale === 'zh') return `客户共发 ${customer.length} 条消息。首先问：「${first}」${intents.length ? `；识别到：${intents.join('、')}` : ''}${customer.length > 1 ? `；最近说：「${last}」` : ''}。`;
  return `${customer.length} customer message${customer.length === 1 ? '' : 's'}. First asked: "${first}"${intents.length ? `; intents: ${intents.join(', ')}` : ''}${customer.length > 1 ? `; last said: "${last}"` : ''}.`;
}

export async function addNote(db: Queryable, conversationId: string, authorId: number, text: string): Promise<void> {
  await db.query('insert into handoff_notes (conversation_id, author_id, text) values ($1, $2, $3)', [conversationId, authorId, text]);
}

export async function notesOf(db: Queryable, conversationId: string): Promise<{ author: string; text: string; createdAt: string }[]> {
  const rows = await db.query<{ author: string; text: string; created_at: Date }>(
    'select u.display_name as author, n.text, n.created_at from handoff_notes n join staff_users u on u.id = n.author_id where n.conversation_id = $1 order by n.id',
    [conversationId],
  );
  return rows.map((r) => ({ author: r.author, text: r.text, createdAt: new Date(r.created_at).toISOString() }));
}

/** Puts a claimed handoff back in the queue for another team (its place by its first request). */
export async function transferHandoff(db: Db, id: number, agentId: number, team: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<{ conversation_id: string }>(
      "update handoffs set status = 'queued', team = $3, agent_id = null, claimed_at = null, told_position = null where id = $1 and status = 'claimed' and agent_id = $2 returning conversation_id",
      [id, agentId, team],
    );
    if (!row) return false;
    await tx.query("update conversations set mode = 'queued', updated_at = now() where id = $1", [row.conversation_id]);
    return true;
  });
}

export async function setPresence(db: Queryable, userId: number, presence: 'online' | 'away'): Promise<void> {
  await db.query('update staff_users set presence = $2 where id = $1', [userId, presence]);
}
