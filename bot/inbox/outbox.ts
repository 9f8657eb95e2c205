import type { Db } from '../turn/database.ts';
import { markSent, type MessageRecord } from '../store/messages.ts';
import type { Conversation } from '../turn/types.ts';

/** A channel's way of sending a stored reply to the customer. Must be idempotent per message id. */
export type Sender = (conversation: Conversation, message: MessageRecord) => Promise<void>;

/**
 * Sends persisted replies through their channel's sender, retrying with backoff. A reply that still
 * could not be sent stays `pending` in the store and is sent again when the process recovers.
 */
export function createOutbox(db: Db, opts: { attempts?: number; backoffMs?: number; onError?: (err: unknown) => void } = {}) {
  const senders = new Map<string, Sender>();
  const attempts = opts.attempts ?? 3;
  const backoffMs = opts.backoffMs ?? 200;

  return {
    register(channel: string, sender: Sender) {
      senders.set(channel, sender);
    },
    async deliver(conversation: Conversation, message: MessageRecord): Promise<boolean> {
      const send = senders.get(conversation.channel);
      if (!send) return false;
      for (let attempt = 1; attempt <= attempts; attempt++) {
        try {
          await send(conversation, message);
          await markSent(db, message.id);
          return true;
        } catch (err) {
          opts.onError?.(err);
          if (attempt < attempts) await new Promise((r) => setTimeout(r, backoffMs * 2 ** (attempt - 1)));
        }
      }
      return false;
    },
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
