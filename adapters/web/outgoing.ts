import type { StoredMessage } from '../../bot/turn/types.ts';

/** A message as the web API shows it. */
export interface OutgoingMessage {
  id: number;
  direction: StoredMessage['direction'];
  author: StoredMessage['author'];
  text: string;
  sources: StoredMessage['sources'];
  quickReplies: StoredMessage['quickReplies'];
  createdAt: string;
  clientMessageId?: string;
  /** The agent's name, on an agent's message. */
  authorName?: string;
  /** Where the customer's handoff stands, on a message that tells them (the widget shows it as a banner). */
  handoffNotice?: StoredMessage['handoffNotice'];
  /** A customer's images, each fetched from `/api/conversations/:id/images/:sha256` with the conversation's token. */
  images?: StoredMessage['images'];
}

/** The web channel keeps the browser's own message id inside the channel message id. */
export const channelMessageId = (conversationId: string, clientMessageId: string) => `${conversationId}/${clientMessageId}`;

export function toOutgoing(m: StoredMessage & { channelMessageId?: string | null }): OutgoingMessage {
  const out: OutgoingMessage = {
    id: m.id,
    direction: m.direction,
    author: m.author,
    text: m.text,
    sources: m.sources,
    quickReplies: m.quickReplies,
    createdAt: m.createdAt.toISOString(),
  };
  if (m.authorName) out.authorName = m.authorName;
  if (m.handoffNotice) out.handoffNotice = m.handoffNotice;
  if (m.images?.length) out.images = m.images;
  const cmid = m.channelMessageId?.split('/')[1];
  if (cmid) out.clientMessageId = cmid;
  return out;
}
