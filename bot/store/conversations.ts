import { randomUUID } from 'node:crypto';
import type { Conversation, ConversationMode, Locale } from '../turn/types.ts';
import type { Queryable } from '../turn/database.ts';

interface ConversationRow {
  id: string;
  bot_id: string;
  channel: string;
  customer_id: string;
  mode: ConversationMode;
  locale: Locale;
  created_at: Date;
  tokens_revoked_at: Date | null;
}

const toConversation = (r: ConversationRow): Conversation => ({
  id: r.id,
  botId: r.bot_id,
  channel: r.channel,
  customerId: r.customer_id,
  mode: r.mode,
  locale: r.locale,
  createdAt: new Date(r.created_at),
  tokensRevokedAt: r.tokens_revoked_at ? new Date(r.tokens_revoked_at) : null,
});

export async function createConversation(
  db: Queryable,
  c: { botId: string; channel: string; customerId: string; locale: Locale; id?: string },
): Promise<Conversation> {
  const [row] = await db.query<ConversationRow>(
    `insert into conversations (id, bot_id, channel, customer_id, locale) values ($1, $2, $3, $4, $5) returning *`,
    [c.id ?? randomUUID(), c.botId, c.channel, c.customerId, c.locale],
  );
  return toConversation(row!);
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
