import type { Db } from '../turn/database.ts';
import { findInbound, insertInbound, type MessageRecord, type StoredInbound } from '../store/messages.ts';
import { ChatRefusal } from '../turn/channel.ts';
import type { InboundMessage } from '../turn/types.ts';
import { prepareImages, type AttachmentLimits } from './attachments.ts';
import type { FloodGate } from '../turn/flood-gate.ts';
import type { Runner } from './runner.ts';

export interface Accepted {
  message: MessageRecord;
  duplicate: boolean;
  /** Set when the customer is sending faster than the bot answers: the message waits its turn. */
  slowedMs?: number;
  /** The messages the turn sent, once it has run (none when it produced none, e.g. forwarded to an agent). */
  replies: Promise<MessageRecord[]>;
}

export interface InboxDeps {
  db: Db;
  runner: Runner;
  flood?: FloodGate;
  /** Masks personal data before anything is stored (compliance); identity when not configured. */
  redact?: (text: string) => string;
  attachments?: AttachmentLimits;
}

/**
 * The inbox: admits a customer's message (the flood gate), persists it with its images before anything
 * else happens, and hands it to the runner. A repeated channel message id is a duplicate: answered with
 * the first one's messages, not run again, and it takes nothing from the flood gate.
 */
export function createInbox(deps: InboxDeps) {
  const { db, runner } = deps;
  const redact = deps.redact ?? ((t: string) => t);

  return {
    async accept(inbound: InboundMessage): Promise<Accepted> {
      const images = await prepareImages(inbound.images, deps.attachments);
      const admission = deps.flood?.admit(inbound.conversationId) ?? { admitted: true as const, delayMs: 0 };
      if (!admission.admitted) {
        // a message seen before is no new work: answered from the store even while the gate is shut
        const seen = await findInbound(db, inbound.channel, inbound.channelMessageId);
        if (seen) return { message: seen, duplicate: true, replies: runner.repliesTo(seen) };
        throw new ChatRefusal('flooding', 'too many messages waiting; please wait a moment before sending more', admission.retryAfterMs);
      }
      let stored: StoredInbound;
      try {
        stored = await insertInbound(db, { ...inbound, text: redact(inbound.text), images }, runner.historyLimit);
      } catch (err) {
        deps.flood?.giveBack(inbound.conversationId);
        throw err;
      }
      const { message, duplicate, context } = stored;
      if (duplicate) {
        deps.flood?.giveBack(inbound.conversationId);
        return { message, duplicate, replies: runner.repliesTo(message) };
      }
      const replies = runner.schedule(message, { ...inbound, images }, admission.delayMs, context);
      return { message, duplicate, replies, ...(admission.delayMs > 0 ? { slowedMs: admission.delayMs } : {}) };
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
