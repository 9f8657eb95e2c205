import { ChatRefusal } from '../turn/channel.ts';
import type { Conversation, FlowState, HandoffNotice, ImageAttachment, InboundMessage, KeptImage, OutgoingMessage, QuickReply, Reply, Source, StoredFlowState, StoredMessage, TraceStep } from '../turn/types.ts';
import { toConversation, type ConversationRow } from './conversations.ts';
import type { Queryable } from '../turn/database.ts';
import { knowledgeVersionOf } from '../../knowledge/store.ts';

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
  payload: string | null;
  created_at: Date;
  author_name: string | null;
  handoff_notice: HandoffNotice | null;
}

/** A message's columns as kefu reads them: never its trace or attachment list, which can be large and are read on their own. */
const COLUMNS = 'id, conversation_id, direction, author, channel, channel_message_id, text, sources, quick_replies, status, reply_to, payload, created_at, author_name, handoff_notice';
/** The columns of a turn's recent messages (HistoryMessage): all but the sources. */
const HISTORY_COLUMNS = COLUMNS.replace(' sources,', '');

/** A stored message with what the store keeps beside it (`payload`: the pressed button's, on a customer's message). */
export type MessageRecord = StoredMessage & { channelMessageId: string | null; status: string; replyTo: number | null; payload: string | null };
/** A recent message as a turn's context holds it (HistoryMessage). */
export type HistoryRecord = Omit<MessageRecord, 'sources'>;

const toMessage = (r: MessageRow): MessageRecord => ({ ...toHistoryRecord(r), sources: r.sources ?? [] });

const toHistoryRecord = (r: Omit<MessageRow, 'sources'>): HistoryRecord => ({
  id: Number(r.id),
  conversationId: r.conversation_id,
  direction: r.direction,
  author: r.author,
  text: r.text,
  quickReplies: r.quick_replies ?? [],
  createdAt: new Date(r.created_at),
  channelMessageId: r.channel_message_id,
  status: r.status,
  replyTo: r.reply_to === null ? null : Number(r.reply_to),
  payload: r.payload ?? null,
  ...(r.author_name != null ? { authorName: r.author_name } : {}),
  ...(r.handoff_notice != null ? { handoffNotice: r.handoff_notice } : {}),
});

/** How an image is listed on its message; the bytes are in `attachments`, found by `sha256`. */
export interface AttachmentRef {
  sha256: string;
  mime: string;
  size: number;
  name?: string;
  url?: string;
}

const attachmentRef = (i: ImageAttachment): AttachmentRef | Omit<AttachmentRef, 'sha256' | 'size'> =>
  i.bytes && i.sha256
    ? { sha256: i.sha256, mime: i.mime, size: i.bytes.byteLength, ...(i.name ? { name: i.name } : {}), ...(i.url ? { url: i.url } : {}) }
    : { mime: i.mime, ...(i.name ? { name: i.name } : {}), ...(i.url ? { url: i.url } : {}) };

/** What a turn starts from: the conversation as it is, its recent messages (oldest first), the knowledge version, its flow state. */
export interface TurnContext {
  conversation: Conversation;
  history: HistoryRecord[];
  knowledgeVersion: number;
  /** The conversation's place in a flow (`flow_states`), null when it is in none. */
  flowState: StoredFlowState | null;
}

interface FlowStateRow {
  flow: string;
  step: number;
  slots: Record<string, string>;
  attempts: number;
  result: unknown;
  locale: 'zh' | 'en';
  updated_at: string;
}

type ContextRow = ConversationRow & { history: Omit<MessageRow, 'sources'>[]; knowledge_version: number | string; flow_state: FlowStateRow | null };

/**
 * The turn context's columns, read in the statement that reads conversation `c` (`$1`: its id): its most recent
 * `limit` messages before message id `before` (SQL expressions), the bot's knowledge version and the
 * conversation's flow state.
 */
const contextColumns = (before: string, limit: string) =>
  `coalesce((select jsonb_agg(to_jsonb(h) order by h.id)
             from (select ${HISTORY_COLUMNS} from messages where conversation_id = $1 and id < ${before} order by id desc limit ${limit}) h), '[]') as history,
   ${knowledgeVersionOf('c.bot_id')} as knowledge_version,
   (select to_jsonb(f) from flow_states f where f.conversation_id = $1) as flow_state`;

const toFlowState = (f: FlowStateRow): StoredFlowState => ({ flow: f.flow, step: f.step, slots: f.slots, attempts: f.attempts, result: f.result, locale: f.locale, updatedAt: new Date(f.updated_at) });

const toContext = (row: ContextRow): TurnContext => {
  const { history, knowledge_version, flow_state, ...conversation } = row;
  return { conversation: toConversation(conversation), history: history.map(toHistoryRecord), knowledgeVersion: Number(knowledge_version), flowState: flow_state ? toFlowState(flow_state) : null };
};

export interface StoredInbound {
  message: MessageRecord;
  duplicate: boolean;
  /**
   * A new message's turn context as the message was stored, when no earlier message of the conversation was
   * still waiting for its turn then (no turn could change it before this one runs): the runner starts from it.
   */
  context?: TurnContext;
}

/**
 * Persists a customer's message (inbox) with its images' bytes, in one statement that also reads the
 * conversation, checks the channel token the message came with, and reads the turn's context (TurnContext).
 * A channel message id seen before is not stored again: the earlier message is returned with
 * `duplicate: true`. Throws ChatRefusal for a conversation that does not exist or is closed, or whose
 * token check fails. Images with bytes must carry their `sha256` (hex).
 */
export async function insertInbound(db: Queryable, m: InboundMessage, historyLimit = 20): Promise<StoredInbound> {
  const withBytes = m.images.filter((i) => i.bytes && i.sha256);
  // the token check: the conversation's customer, and no revocation at or after the token's issue (to the millisecond, as tokens count time)
  const tokenHolds = `($11::text is null or (c.customer_id = $11 and (c.tokens_revoked_at is null or date_trunc('milliseconds', c.tokens_revoked_at) < $12::timestamptz)))`;
  const [row] = await db.query<{ conversation: (ConversationRow & { token_holds: boolean }) | null; inserted: MessageRow | null; existing: MessageRow | null; context: ContextRow | null }>(
    `with c as (select * from conversations where id = $1),
     inserted as (
       insert into messages (conversation_id, direction, author, channel, channel_message_id, text, attachments, status, payload)
       select $1, 'in', 'customer', $2, $3, $4, $5::jsonb, 'received', $10 from c where c.mode <> 'closed' and ${tokenHolds}
       on conflict (channel, channel_message_id) do nothing
       returning ${COLUMNS}),
     stored_bytes as (
       insert into attachments (sha256, mime, size, bytes)
       select a.sha256, a.mime, a.size, decode(a.data, 'base64')
       from unnest($6::text[], $7::text[], $8::int[], $9::text[]) as a(sha256, mime, size, data)
       where exists (select 1 from inserted)
       on conflict (sha256) do nothing)
     select (select to_jsonb(c) || jsonb_build_object('token_holds', ${tokenHolds}) from c) as conversation,
            (select to_jsonb(i) from inserted i) as inserted,
            (select to_jsonb(e) from (select ${COLUMNS} from messages where channel = $2 and channel_message_id = $3) e) as existing,
            (select to_jsonb(x) from (select c.*, ${contextColumns('(select id from inserted)', '$13')} from c) x
             where exists (select 1 from inserted)
               and not exists (select 1 from messages where conversation_id = $1 and direction = 'in' and status = 'received')) as context`,
    [
      m.conversationId,
      m.channel,
      m.channelMessageId,
      m.text,
      JSON.stringify(m.images.map(attachmentRef)),
      withBytes.map((i) => i.sha256),
      withBytes.map((i) => i.mime),
      withBytes.map((i) => i.bytes!.byteLength),
      withBytes.map((i) => Buffer.from(i.bytes!.buffer, i.bytes!.byteOffset, i.bytes!.byteLength).toString('base64')),
      m.payload ?? null,
      m.token?.customerId ?? null,
      m.token ? new Date(m.token.issuedAt).toISOString() : null,
      historyLimit,
    ],
  );
  const conversation = row?.conversation;
  if (!conversation) throw new ChatRefusal('unknown_conversation', `no conversation ${m.conversationId}`);
  if (!conversation.token_holds) {
    const revoked = m.token?.customerId === conversation.customer_id;
    throw new ChatRefusal('token_refused', revoked ? 'the conversation token was revoked' : 'this token does not open that conversation', undefined, revoked ? 'revoked' : 'not_this_customer');
  }
  if (row.inserted) return { message: toMessage(row.inserted), duplicate: false, ...(row.context ? { context: toContext(row.context) } : {}) };
  if (row.existing) return { message: toMessage(row.existing), duplicate: true };
  if (conversation.mode === 'closed') throw new ChatRefusal('conversation_closed', 'this conversation is closed');
  // stored by a concurrent request after this statement began: committed by now
  const existing = await findInbound(db, m.channel, m.channelMessageId);
  if (!existing) throw new Error(`message ${m.channelMessageId} neither inserted nor found`);
  return { message: existing, duplicate: true };
}

/** The stored message a channel knows by this id, if any. */
export async function findInbound(db: Queryable, channel: string, channelMessageId: string): Promise<MessageRecord | undefined> {
  const [row] = await db.query<MessageRow>(`select ${COLUMNS} from messages where channel = $1 and channel_message_id = $2`, [channel, channelMessageId]);
  return row && toMessage(row);
}

export async function getMessage(db: Queryable, id: number): Promise<MessageRecord | undefined> {
  const [row] = await db.query<MessageRow>(`select ${COLUMNS} from messages where id = $1`, [id]);
  return row && toMessage(row);
}

/** A message's status (inbound: received → processed; outbound: pending → sent). */
export async function getMessageStatus(db: Queryable, id: number): Promise<string | undefined> {
  const [row] = await db.query<{ status: string }>('select status from messages where id = $1', [id]);
  return row?.status;
}

/**
 * What a turn starts from, in one statement: the conversation as it is now, its most recent `limit` messages
 * before the inbound one, oldest first, the knowledge version and the flow state. Undefined when the conversation is gone.
 */
export async function readTurnContext(db: Queryable, conversationId: string, beforeId: number, limit: number): Promise<TurnContext | undefined> {
  const [row] = await db.query<ContextRow>(
    `select c.*, ${contextColumns('$2', '$3')} from conversations c where c.id = $1`,
    [conversationId, beforeId, limit],
  );
  return row && toContext(row);
}

/**
 * Commits a turn in one statement: its messages (outbox, status `status` — pending, or sent for a channel that
 * pushes nothing itself — in order, each `reply_to` the inbound message), the inbound message marked processed with the turn's trace, and the
 * conversation's flow state (`flowState`: kept, cleared with null, untouched when absent). Only a message still `received` is committed, so a turn run twice
 * (a crash, two processes) stores its messages and flow state once: a second commit stores nothing and returns null.
 */
export async function commitTurn(
  db: Queryable,
  t: { conversationId: string; channel: string; inboundId: number; replies: Reply[]; trace?: TraceStep[]; status?: 'pending' | 'sent'; flowState?: FlowState | null },
): Promise<MessageRecord[] | null> {
  const flowAction = t.flowState === undefined ? null : t.flowState === null ? 'clear' : 'keep';
  const rows = await db.query<{ processed: number | null; id: number | null; created_at: Date | null }>(
    `with processed as (
       update messages set status = 'processed', trace = $5::jsonb where id = $3 and status = 'received' returning id),
     replies as (
       insert into messages (conversation_id, direction, author, channel, text, sources, quick_replies, handoff_notice, status, reply_to)
       select $1, 'out', 'bot', $2, r.value->>'text', r.value->'sources', r.value->'quickReplies', r.value->'handoffNotice', $6, processed.id
       from processed, jsonb_array_elements($4::jsonb) with ordinality as r(value, n)
       order by r.n
       returning id, created_at),
     kept_flow as (
       insert into flow_states (conversation_id, flow, step, slots, attempts, result, locale, updated_at)
       select $1, f.flow, f.step, coalesce(f.slots, '{}'), f.attempts, f.result, f.locale, now()
       from processed, jsonb_to_record($8::jsonb) as f(flow text, step integer, slots jsonb, attempts integer, result jsonb, locale text)
       where $7::text = 'keep'
       on conflict (conversation_id) do update set flow = excluded.flow, step = excluded.step, slots = excluded.slots, attempts = excluded.attempts,
         result = excluded.result, locale = excluded.locale, updated_at = excluded.updated_at),
     cleared_flow as (
       delete from flow_states where conversation_id = $1 and $7::text = 'clear' and exists (select 1 from processed))
     select (select id from processed) as processed, null::bigint as id, null::timestamptz as created_at
     union all
     select null, r.id, r.created_at from replies r`,
    [t.conversationId, t.channel, t.inboundId, JSON.stringify(t.replies.map((r) => ({ text: r.text, sources: r.sources, quickReplies: r.quickReplies, handoffNotice: r.handoffNotice }))), t.trace ? JSON.stringify(t.trace) : null, t.status ?? 'pending',
     flowAction, t.flowState ? JSON.stringify({ ...t.flowState, result: t.flowState.result ?? null }) : null],
  );
  if (rows[0]?.processed == null) return null;
  // the replies as stored, built here rather than read back (their ids, taken in order, and times come from the insert)
  const stored = rows.filter((r) => r.id != null).sort((x, y) => Number(x.id) - Number(y.id));
  return stored.map((row, i) => {
    const r = t.replies[i]!;
    return {
      id: Number(row.id),
      conversationId: t.conversationId,
      direction: 'out',
      author: 'bot',
      text: r.text,
      sources: r.sources ?? [],
      quickReplies: r.quickReplies ?? [],
      createdAt: new Date(row.created_at!),
      channelMessageId: null,
      status: t.status ?? 'pending',
      replyTo: t.inboundId,
      payload: null,
      ...(r.handoffNotice ? { handoffNotice: r.handoffNotice } : {}),
    };
  });
}

/** A message sent outside any turn (an agent's reply, a system notice), stored pending for the outbox. */
export async function insertOutbound(db: Queryable, m: OutgoingMessage & { conversationId: string; channel: string }): Promise<MessageRecord> {
  const [row] = await db.query<MessageRow>(
    `insert into messages (conversation_id, direction, author, channel, text, sources, quick_replies, author_name, handoff_notice, status)
     values ($1, 'out', $2, $3, $4, $5, $6, $7, $8, 'pending') returning ${COLUMNS}`,
    [m.conversationId, m.author, m.channel, m.text, JSON.stringify(m.sources ?? []), JSON.stringify(m.quickReplies ?? []), m.authorName ?? null, m.handoffNotice ? JSON.stringify(m.handoffNotice) : null],
  );
  return toMessage(row!);
}

/** A stored inbound message's images, bytes included (a turn run again at recovery). */
export async function loadImages(db: Queryable, messageId: number): Promise<ImageAttachment[]> {
  const rows = await db.query<{ ref: AttachmentRef; bytes: Uint8Array | null }>(
    `select a.ref, b.bytes from messages m, jsonb_array_elements(m.attachments) with ordinality as a(ref, n)
     left join attachments b on b.sha256 = a.ref->>'sha256'
     where m.id = $1 order by a.n`,
    [messageId],
  );
  return rows.map(({ ref, bytes }) => ({
    mime: ref.mime,
    ...(bytes ? { bytes: new Uint8Array(bytes), sha256: ref.sha256 } : {}),
    ...(ref.name ? { name: ref.name } : {}),
    ...(ref.url ? { url: ref.url } : {}),
  }));
}

/** An image a customer sent in this conversation, by its content hash; undefined when the conversation has none such (or it is no hash). */
export async function conversationImage(db: Queryable, conversationId: string, sha256: string): Promise<{ mime: string; bytes: Uint8Array } | undefined> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return undefined; // no hash, no image
  const [row] = await db.query<{ mime: string; bytes: Uint8Array }>(
    `select b.mime, b.bytes from attachments b
     where b.sha256 = $2 and exists (select 1 from messages m where m.conversation_id = $1 and m.attachments @> jsonb_build_array(jsonb_build_object('sha256', $2::text)))`,
    [conversationId, sha256],
  );
  return row ? { mime: row.mime, bytes: new Uint8Array(row.bytes) } : undefined;
}

/** The kept images of a conversation's customer messages, by message id, in the order they were sent. */
export async function keptImagesByMessage(db: Queryable, conversationId: string): Promise<Map<number, KeptImage[]>> {
  const rows = await db.query<{ id: number; ref: AttachmentRef }>(
    `select m.id, a.ref from messages m, jsonb_array_elements(m.attachments) with ordinality as a(ref, n)
     where m.conversation_id = $1 and m.direction = 'in' and a.ref ? 'sha256' order by m.id, a.n`,
    [conversationId],
  );
  const byMessage = new Map<number, KeptImage[]>();
  for (const { id, ref } of rows) {
    const list = byMessage.get(Number(id)) ?? [];
    list.push({ sha256: ref.sha256, mime: ref.mime, ...(ref.name ? { name: ref.name } : {}) });
    byMessage.set(Number(id), list);
  }
  return byMessage;
}

/** Marks outgoing messages sent (one statement for a turn's messages). */
export async function markSent(db: Queryable, ids: number[]): Promise<void> {
  if (ids.length) await db.query(`update messages set status = 'sent' where id = any($1::bigint[])`, [ids]);
}

/** The messages a turn sent in answer to an inbound message, in order. */
export async function getRepliesTo(db: Queryable, inboundId: number): Promise<MessageRecord[]> {
  const rows = await db.query<MessageRow>(`select ${COLUMNS} from messages where reply_to = $1 and author = 'bot' order by id`, [inboundId]);
  return rows.map(toMessage);
}

/** A conversation's messages, oldest first; `limit` keeps the most recent ones. */
export async function listMessages(db: Queryable, conversationId: string, limit = 200): Promise<MessageRecord[]> {
  const rows = await db.query<MessageRow>(
    `select * from (select ${COLUMNS} from messages where conversation_id = $1 order by id desc limit $2) m order by id asc`,
    [conversationId, limit],
  );
  return rows.map(toMessage);
}

export async function getTrace(db: Queryable, messageId: number): Promise<TraceStep[] | null> {
  // a bot message's trace is its turn's, kept on the inbound message it answers
  const [row] = await db.query<{ trace: TraceStep[] | null }>(
    'select coalesce(m.trace, i.trace) as trace from messages m left join messages i on i.id = m.reply_to where m.id = $1',
    [messageId],
  );
  return row?.trace ?? null;
}

/** Work left unfinished by a stopped process: inbound messages not yet processed, replies not yet sent. */
export async function listUnfinished(db: Queryable): Promise<MessageRecord[]> {
  const rows = await db.query<MessageRow>(`select ${COLUMNS} from messages where status in ('received', 'pending') order by id asc`);
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
