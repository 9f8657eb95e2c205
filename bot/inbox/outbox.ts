import type { Db } from '../turn/database.ts';
import { insertOutbound, markSent, type MessageRecord } from '../store/messages.ts';
import { ChannelBusy, type Channel } from '../turn/channel.ts';
import type { Pacer } from './pacer.ts';
import type { Conversation, OutgoingMessage } from '../turn/types.ts';
import type { LiveBus } from '../live/bus.ts';

export interface OutboxDeps {
  db: Db;
  bus: LiveBus;
  /** The channels by name; a conversation's messages go through its channel with its stored reference. */
  channels: ReadonlyMap<string, Pick<Channel, 'send' | 'pace' | 'pushes'>>;
  /** Keeps each channel's pace (channel.pace); without one, messages go out as fast as they come. */
  pacer?: Pacer;
  attempts?: number;
  backoffMs?: number;
  onError?: (err: unknown) => void;
}

/**
 * The outbox: every message kefu sends — a turn's, an agent's, the system's — is stored first (pending),
 * then published on the live bus and sent through the conversation's channel to its stored reference
 * (a turn's messages to a channel that pushes nothing itself are stored sent and only published),
 * in order, retried with backoff. One that still could not be sent stays pending (with those after it) and
 * is sent again at recovery. A message id is sent at most once at a time by this process, and a sent one is
 * not sent again.
 */
export function createOutbox(deps: OutboxDeps) {
  const { db, bus, channels } = deps;
  const attempts = deps.attempts ?? 3;
  const backoffMs = deps.backoffMs ?? 200;
  const sending = new Set<number>();

  async function sendOne(conversation: Conversation, message: MessageRecord): Promise<boolean> {
    const channel = channels.get(conversation.channel);
    if (!channel) {
      deps.onError?.(new Error(`no channel '${conversation.channel}' to send message ${message.id}`));
      return false;
    }
    // live fan-out is best effort: a socket that missed it reads the history when it reconnects
    await bus.publish(message).catch((err) => deps.onError?.(err));
    const ref = conversation.ref ?? {};
    const send = () => channel.send(ref, message, conversation);
    const paced = channel.pace && deps.pacer ? () => deps.pacer!.schedule(conversation.channel, channel.pace!.key(ref), channel.pace!.minTimeMs, send) : send;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      try {
        await paced();
        return true;
      } catch (err) {
        deps.onError?.(err);
        // a service that says when to come back is taken at its word; otherwise back off
        const wait = err instanceof ChannelBusy ? err.retryAfterMs : backoffMs * 2 ** (attempt - 1);
        if (attempt < attempts) await new Promise((r) => setTimeout(r, wait));
      }
    }
    return false;
  }

  /** Sends stored pending messages of one conversation, in order; marks the sent ones in one statement. Returns their ids. */
  async function deliver(conversation: Conversation, messages: MessageRecord[]): Promise<number[]> {
    const sent: number[] = [];
    for (const message of messages) {
      if (message.status === 'sent' || sending.has(message.id)) continue;
      sending.add(message.id);
      try {
        if (!(await sendOne(conversation, message))) break; // keep the order: what follows waits for recovery too
        sent.push(message.id);
      } finally {
        sending.delete(message.id);
      }
    }
    await markSent(db, sent);
    return sent;
  }

  return {
    deliver,
    /** Whether a turn's messages into this conversation are stored sent as it commits (its channel pushes nothing itself). */
    storesSent: (conversation: Conversation) => channels.get(conversation.channel)?.pushes === false,
    /** Publishes messages stored sent (storesSent) on the live bus: best effort, as every live fan-out. */
    async announce(messages: MessageRecord[]): Promise<void> {
      for (const message of messages) await bus.publish(message).catch((err) => deps.onError?.(err));
    },
    /** Stores and sends a message outside any turn. Returns it as stored (status `sent` once delivered). */
    async send(conversation: Conversation, m: OutgoingMessage): Promise<MessageRecord> {
      const stored = await insertOutbound(db, { conversationId: conversation.id, channel: conversation.channel, ...m });
      const [sent] = await deliver(conversation, [stored]);
      return sent === stored.id ? { ...stored, status: 'sent' } : stored;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
