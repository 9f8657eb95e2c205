import { loadResponses } from '../compose/responses.ts';
import type { Db } from '../turn/database.ts';
import { getConversation } from '../store/conversations.ts';
import { commitTurn, findInbound, getMessageStatus, saveTrace, getReplyTo, insertInbound, listMessages, listUnfinished, type MessageRecord } from '../store/messages.ts';
import { detectLocale } from '../turn/locale.ts';
import { createPipeline, OVER_BUDGET } from '../turn/pipeline.ts';
import type { InboundMessage, Locale, Reply, Stage, StageName, Turn } from '../turn/types.ts';
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


/** A turn's stages together may take this long before the turn is cut short (a healthy turn takes milliseconds). */
export const DEFAULT_TURN_BUDGET_MS = 3000;

export interface InboxDeps {
  db: Db;
  /** The turn's stages by name; the inbox adds `commit` itself. */
  stages: Partial<Record<Exclude<StageName, 'commit'>, Stage>>;
  outbox: Outbox;
  flood?: FloodGate;
  /** Masks personal data before anything is stored (compliance); identity when not configured. */
  redact?: (text: string) => string;
  historyLimit?: number;
  /** The most time one turn's stages may take (see createPipeline); a turn past it is answered with `overBudgetReply`. */
  turnBudgetMs?: number;
  /** The apology for a turn that ran out of time. */
  overBudgetReply?: (locale: Locale) => Reply;
  /** How long a repeated message waits for the first one's reply when another process is running its turn. */
  duplicateWaitMs?: number;
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
      if (turn.stopped === OVER_BUDGET) turn.reply = overBudgetReply(turn.locale);
      const stored = await db.transaction((tx) =>
        commitTurn(tx, { conversationId: turn.conversation.id, channel: turn.conversation.channel, inboundId: turn.messageId, reply: turn.reply }),
      );
      replies.set(turn, stored);
      return stored ? { decision: 'stored reply', detail: { replyId: stored.id } } : { decision: 'stored, no reply' };
    },
  };
  const defaultResponses = loadResponses(undefined, { en: 'kefu', zh: '客服' });
  const overBudgetReply = deps.overBudgetReply ?? ((locale: Locale) => ({ text: defaultResponses('over_budget', locale), sources: [], quickReplies: [] }));
  const pipeline = createPipeline({ ...deps.stages, commit }, { budgetMs: deps.turnBudgetMs ?? DEFAULT_TURN_BUDGET_MS });
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

  /**
   * The reply to a message already stored: from the turn running here, or — when the turn runs in another
   * request or process and has not committed yet — from the store once its status says it was processed.
   */
  async function replyTo(message: MessageRecord): Promise<MessageRecord | null> {
    const deadline = Date.now() + (deps.duplicateWaitMs ?? 60_000);
    for (let waitMs = 10; ; waitMs = Math.min(waitMs * 2, 500)) {
      const running = inflight.get(message.id);
      if (running) return running;
      if ((await getMessageStatus(db, message.id)) !== 'received') return getReplyTo(db, message.id);
      if (Date.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, waitMs));
    }
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
      // a message seen before is answered from the store: it is no new work and takes nothing from the flood gate
      const seen = await findInbound(db, inbound.channel, inbound.channelMessageId);
      if (seen) return { message: seen, duplicate: true, reply: replyTo(seen) };
      const admission = deps.flood?.admit(conversation.id) ?? { admitted: true as const, delayMs: 0 };
      if (!admission.admitted) {
        throw new ChatRefusal('flooding', 'too many messages waiting; please wait a moment before sending more', admission.retryAfterMs);
      }
      const { message, duplicate } = await insertInbound(db, { ...inbound, text: redact(inbound.text) });
      if (duplicate) {
        deps.flood?.giveBack(conversation.id);
        return { message, duplicate, reply: replyTo(message) };
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
