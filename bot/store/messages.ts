import type { InboundMessage, QuickReply, Reply, Source, StoredMessage, TraceStep } from '../turn/types.ts';
import type { Queryable } from '../turn/database.ts';

interface MessageRow {
  id: number;
  conversation_id: string;
  direction: 'in' | 'out';
  author: StoredMessage['author'];
  channel: string;
  channel_message_id: string | null;
  text: string;
  sources: Source[];
  quick_replies: QuickReply[];
  status: string;
  reply_to: number | null;
  created_at: Date;
}

export type MessageRecord = StoredMessage & { channelMessageId: string | null; status: string; replyTo: number | null };

const toMessage = (r: MessageRow): MessageRecord => ({
  id: Number(r.id),
  conversationId: r.conversation_id,
  direction: r.direction,
  author: r.author,
  text: r.text,
  sources: r.sources ?? [],
  quickReplies: r.quick_replies ?? [],
  createdAt: new Date(r.created_at),
  channelMessageId: r.channel_message_id,
  status: r.status,
  replyTo: r.reply_to === null ? null : Number(r.reply_to),
});

/**
 * Persists a customer's message (inbox). A channel message id seen before is not stored again:
 * the earlier message is returned with `duplicate: true`.
 */
export async function insertInbound(db: Queryable, m: InboundMessage): Promise<{ message: MessageRecord; duplicate: boolean }> {
  const inserted = await db.query<MessageRow>(
    `insert into messages (conversation_id, direction, author, channel, channel_message_id, text, attachments, status)
     values ($1, 'in', 'customer', $2, $3, $4, $5, 'received')
     on conflict (channel, channel_message_id) do nothing
     returning *`,
    [m.conversationId, m.channel, m.channelMessageId, m.text, JSON.stringify(m.images.map((i) => ({ mime: i.mime, name: i.name, url: i.url })))],
  );
  if (inserted[0]) return { message: toMessage(inserted[0]), duplicate: false };
  const existing = await findInbound(db, m.channel, m.channelMessageId);
  if (!existing) throw new Error(`message ${m.channelMessageId} neither inserted nor found`);
  return { message: existing, duplicate: true };
}

/** The stored message a channel knows by this id, if any. */
export async function findInbound(db: Queryable, channel: string, channelMessageId: string): Promise<MessageRecord | undefined> {
  const [row] = await db.query<MessageRow>('select * from messages where channel = $1 and channel_message_id = $2', [channel, channelMessageId]);
  return row && toMessage(row);
}

/** A message's status (inbound: received → processed; outbound: pending → sent). */
export async function getMessageStatus(db: Queryable, id: number): Promise<string | undefined> {
  const [row] = await db.query<{ status: string }>('select status from messages where id = $1', [id]);
  return row?.status;
}

/** Overwrites a stored inbound message's text (guard-in masks personal data before anything else reads it). */
export async function updateInboundText(db: Queryable, id: number, text: string): Promise<void> {
  await db.query(`update messages set text = $2 where id = $1 and direction = 'in'`, [id, text]);
}

/**
 * Commits a turn: the bot's reply (outbox, status pending), and marks the inbound
 * message processed. Returns the stored reply, or null when the turn produced none.
 */
export async function commitTurn(
  db: Queryable,
  t: { conversationId: string; channel: string; inboundId: number; reply?: Reply },
): Promise<MessageRecord | null> {
  let stored: MessageRecord | null = null;
  if (t.reply) {
    const [row] = await db.query<MessageRow>(
      `insert into messages (conversation_id, direction, author, channel, text, sources, quick_replies, status, reply_to)
       values ($1, 'out', 'bot', $2, $3, $4, $5, 'pending', $6) returning *`,
      [t.conversationId, t.channel, t.reply.text, JSON.stringify(t.reply.sources), JSON.stringify(t.reply.quickReplies), t.inboundId],
    );
    stored = toMessage(row!);
  }
  await db.query(`update messages set status = 'processed' where id = $1`, [t.inboundId]);
  return stored;
}

export async function markSent(db: Queryable, id: number): Promise<void> {
  await db.query(`update messages set status = 'sent' where id = $1`, [id]);
}

export async function getReplyTo(db: Queryable, inboundId: number): Promise<MessageRecord | null> {
  const [row] = await db.query<MessageRow>(`select * from messages where reply_to = $1 and author = 'bot'`, [inboundId]);
  return row ? toMessage(row) : null;
}

/** A conversation's messages, oldest first; `limit` keeps the most recent ones. */
export async function listMessages(db: Queryable, conversationId: string, limit = 200): Promise<MessageRecord[]> {
  const rows = await db.query<MessageRow>(
    `select * from (select * from messages where conversation_id = $1 order by id desc limit $2) m order by id asc`,
    [conversationId, limit],
  );
  return rows.map(toMessage);
}

/** Stores a finished turn's trace on its inbound message and its reply. */
export async function saveTrace(db: Queryable, messageIds: number[], trace: TraceStep[]): Promise<void> {
  await db.query('update messages set trace = $2 where id = any($1::bigint[])', [messageIds, JSON.stringify(trace)]);
}

export async function getTrace(db: Queryable, messageId: number): Promise<TraceStep[] | null> {
  const [row] = await db.query<{ trace: TraceStep[] | null }>('select trace from messages where id = $1', [messageId]);
  return row?.trace ?? null;
}

/** Work left unfinished by a stopped process: inbound messages not yet processed, replies not yet sent. */
export async function listUnfinished(db: Queryable): Promise<MessageRecord[]> {
  const rows = await db.query<MessageRow>(`select * from messages where status in ('received', 'pending') order by id asc`);
  return rows.map(toMessage);
}

export async function getSetting(db: Queryable, key: string): Promise<string | undefined> {
  const [row] = await db.query<{ value: string }>('select value from settings where key = $1', [key]);
  return row?.value;
}

/** Stores `value` under `key` unless a value is already there; returns the value that won. */
export async function ensureSetting(db: Queryable, key: string, value: string): Promise<string> {
  await db.query('insert into settings (key, value) values ($1, $2) on conflict (key) do nothing', [key, value]);
  return (await getSetting(db, key))!;
}
