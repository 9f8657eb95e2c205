import { randomUUID } from 'node:crypto';
import type { Conversation, ConversationMode, ConversationRef, Locale } from '../turn/types.ts';
import type { Queryable } from './db.ts';

interface ConversationRow {
  id: string;
  bot_id: string;
  channel: string;
  customer_id: string;
  mode: ConversationMode;
  locale: Locale;
  created_at: Date;
  tokens_revoked_at: Date | null;
  channel_ref: ConversationRef | null;
}

export const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  botId: r.bot_id,
  channel: r.channel,
  customerId: r.customer_id,
  mode: r.mode,
  locale: r.locale,
  createdAt: new Date(r.created_at),
  tokensRevokedAt: r.tokens_revoked_at ? new Date(r.tokens_revoked_at) : null,
  ref: r.channel_ref ?? null,
});
export type { ConversationRow };

export interface NewConversation {
  botId: string;
  channel: string;
  customerId: string;
  locale: Locale;
  ref?: ConversationRef;
  id?: string;
}

export async function createConversation(db: Queryable, c: NewConversation): Promise<Conversation> {
  const [row] = await db.query<ConversationRow>(
    `insert into conversations (id, bot_id, channel, customer_id, locale, channel_ref) values ($1, $2, $3, $4, $5, $6) returning *`,
    [c.id ?? randomUUID(), c.botId, c.channel, c.customerId, c.locale, c.ref ? JSON.stringify(c.ref) : null],
  );
  return toConversation(row!);
}

/**
 * The conversation a channel knows by its reference (a thread), started with that reference when there is
 * none: one statement, and two processes starting the same thread at once end up in one conversation.
 */
export async function findOrStartConversation(db: Queryable, c: NewConversation & { ref: ConversationRef }): Promise<Conversation> {
  const ref = JSON.stringify(c.ref);
  const find = () => db.query<ConversationRow>('select * from conversations where channel = $1 and channel_ref = $2::jsonb', [c.channel, ref]);
  const [row] = await db.query<ConversationRow>(
    `with started as (
       insert into conversations (id, bot_id, channel, customer_id, locale, channel_ref) values ($1, $2, $3, $4, $5, $6::jsonb)
       on conflict (channel, channel_ref) where channel_ref is not null do nothing returning *)
     select * from started
     union all
     select * from conversations where channel = $3 and channel_ref = $6::jsonb and not exists (select 1 from started)`,
    [c.id ?? randomUUID(), c.botId, c.channel, c.customerId, c.locale, ref],
  );
  // another process started it in the same instant: its row is committed now
  const found = row ?? (await find())[0];
  if (!found) throw new Error(`conversation for ${c.channel} ${ref} neither started nor found`);
  return toConversation(found);
}

export async function getConversation(db: Queryable, id: string): Promise<Conversation | undefined> {
  const [row] = await db.query<ConversationRow>('select * from conversations where id = $1', [id]);
  return row && toConversation(row);
}

export async function setConversationLocale(db: Queryable, id: string, locale: Locale): Promise<void> {
  await db.query('update conversations set locale = $2, updated_at = now() where id = $1', [id, locale]);
}

/**
 * Revokes the conversation's channel tokens issued up to `at` (this process's clock, the one that issues
 * tokens, not the database server's). Millisecond precision, as tokens carry their issue time.
 */
export async function revokeConversationTokens(db: Queryable, id: string, at = new Date()): Promise<void> {
  await db.query('update conversations set tokens_revoked_at = greatest(tokens_revoked_at, $2), updated_at = now() where id = $1', [id, at.toISOString()]);
}
