import type { Db } from '../store/db.ts';
import { getConversation } from '../store/conversations.ts';
import { commitTurn, saveTrace, getReplyTo, insertInbound, listMessages, listUnfinished, type MessageRecord } from '../store/messages.ts';
import { detectLocale } from '../turn/locale.ts';
import { createPipeline } from '../turn/pipeline.ts';
import type { InboundMessage, Stage, StageName, Turn } from '../turn/types.ts';
import { ChatRefusal } from '../turn/channel.ts';
import type { FloodGate } from './flood-gate.ts';
import type { Outbox } from './outbox.ts';

export interface Accepted {
  message: MessageRecord;
  duplicate: boolean;
  /** Set when the customer is sending faster than the bot answers: the message waits its turn. */
  slowedMs?: number;
  /** The bot's reply once the turn has run (null when the turn produced none, e.g. forwarded to an agent). */
  reply: Promise<MessageRecord | null>;
}


export interface InboxDeps {
  db: Db;
  /** The turn's stages by name; the inbox adds `commit` itself. */
  stages: Partial<Record<Exclude<StageName, 'commit'>, Stage>>;
  outbox: Outbox;
  flood?: FloodGate;
  /** Masks personal data before anything is stored (compliance); identity when not configured. */
  redact?: (text: string) => string;
  historyLimit?: number;
  onError?: (err: unknown, messageId: number) => void;
}

/**
 * The inbox: persist first, then run the turn. A repeated channel message id is acknowledged and not
 * run again; turns of one conversation run one at a time in arrival order (a lock per conversation).
 */
export function createInbox(deps: InboxDeps) {
  const { db, outbox } = deps;
  const replies = new WeakMap<Turn, MessageRecord | null>();
  const commit: Stage = {
    name: 'commit',
    always: true,
    async run(turn) {
      const stored = await db.transaction((tx) =>
        commitTurn(tx, { conversationId: turn.conversation.id, channel: turn.conversation.channel, inboundId: turn.messageId, reply: turn.reply }),
      );
      replies.set(turn, stored);
      return stored ? { decision: 'stored reply', detail: { replyId: stored.id } } : { decision: 'stored, no reply' };
    },
  };
  const pipeline = createPipeline({ ...deps.stages, commit });
  const redact = deps.redact ?? ((t: string) => t);
  const inflight = new Map<number, Promise<MessageRecord | null>>();

  function schedule(message: MessageRecord, inbound: InboundMessage, delayMs: number): Promise<MessageRecord | null> {
    const run = db.withLock(`conversation:${message.conversationId}`, async () => {
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      return runTurn(message, inbound);
    });
    inflight.set(message.id, run);
    const forget = () => inflight.delete(message.id);
    run.then(forget, (err) => {
      forget();
      deps.onError?.(err, message.id);
    });
    return run;
  }

  async function runTurn(message: MessageRecord, inbound: InboundMessage): Promise<MessageRecord | null> {
    const conversation = await getConversation(db, message.conversationId);
    if (!conversation) throw new Error(`conversation ${message.conversationId} vanished`);
    const history = (await listMessages(db, conversation.id, (deps.historyLimit ?? 20) + 1)).filter((m) => m.id < message.id);
    // The store holds the redacted text; the turn starts from what the customer wrote (kept in memory
    // only), so guard-in sees the personal data it masks and records that it did.
    const turn: Turn = {
      conversation,
      inbound,
      messageId: message.id,
      text: inbound.text,
      locale: inbound.locale ?? detectLocale(message.text, conversation.locale),
      history,
      trace: [],
    };
    await pipeline.run(turn);
    const stored = replies.get(turn) ?? null;
    await saveTrace(db, stored ? [message.id, stored.id] : [message.id], turn.trace);
    if (stored) await outbox.deliver(conversation, stored);
    return stored;
  }

  return {
    async accept(inbound: InboundMessage): Promise<Accepted> {
      const conversation = await getConversation(db, inbound.conversationId);
      if (!conversation) throw new ChatRefusal('unknown_conversation', `no conversation ${inbound.conversationId}`);
      if (conversation.mode === 'closed') throw new ChatRefusal('conversation_closed', 'this conversation is closed');
      const admission = deps.flood?.admit(conversation.id) ?? { admitted: true as const, delayMs: 0 };
      if (!admission.admitted) {
        throw new ChatRefusal('flooding', 'too many messages waiting; please wait a moment before sending more', admission.retryAfterMs);
      }
      const { message, duplicate } = await insertInbound(db, { ...inbound, text: redact(inbound.text) });
      if (duplicate) {
        const reply = inflight.get(message.id) ?? getReplyTo(db, message.id);
        return { message, duplicate, reply };
      }
      const reply = schedule(message, inbound, admission.delayMs);
      return { message, duplicate, reply, ...(admission.delayMs > 0 ? { slowedMs: admission.delayMs } : {}) };
    },

    /** Finishes what a stopped process left: runs unprocessed messages, resends unsent replies. Returns how many. */
    async recover(): Promise<number> {
      const unfinished = await listUnfinished(db);
      for (const m of unfinished) {
        const conversation = await getConversation(db, m.conversationId);
        if (!conversation) continue;
        if (m.direction === 'in') {
          const inbound: InboundMessage = {
            channel: conversation.channel,
            channelMessageId: m.channelMessageId ?? String(m.id),
            conversationId: m.conversationId,
            customerId: conversation.customerId,
            text: m.text,
            images: [],
            receivedAt: m.createdAt,
          };
          schedule(m, inbound, 0).catch(() => undefined);
        } else {
          await outbox.deliver(conversation, m);
        }
      }
      return unfinished.length;
    },

    /** Resolves when every turn in flight has finished. */
    async idle(): Promise<void> {
      while (inflight.size) await Promise.allSettled([...inflight.values()]);
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
