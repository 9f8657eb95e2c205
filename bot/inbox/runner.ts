import { loadResponses } from '../compose/responses.ts';
import type { Db } from '../turn/database.ts';
import { commitTurn, getMessageStatus, getRepliesTo, readTurnContext, type MessageRecord, type TurnContext } from '../store/messages.ts';
import { detectLocale } from '../turn/locale.ts';
import { typedButton } from '../turn/payload.ts';
import { createPipeline, OVER_BUDGET } from '../turn/pipeline.ts';
import type { InboundMessage, Locale, Reply, Stage, StageName, Turn } from '../turn/types.ts';
import type { Outbox } from './outbox.ts';

/** A turn's stages together may take this long before the turn is cut short (a healthy turn takes milliseconds). */
export const DEFAULT_TURN_BUDGET_MS = 3000;
/**
 * A turn with images may take this long: it loads the image models on a process's first image and reads each
 * image (OCR takes a second or two a screenshot on a small machine, and has its own time limit per image).
 */
export const DEFAULT_IMAGE_TURN_BUDGET_MS = 30_000;

/** The time a turn's stages may take: longer when its message has images. */
export function turnBudget(turn: Turn, budgets: { turnBudgetMs?: number; imageTurnBudgetMs?: number }): number {
  return turn.inbound.images.length > 0 ? (budgets.imageTurnBudgetMs ?? DEFAULT_IMAGE_TURN_BUDGET_MS) : (budgets.turnBudgetMs ?? DEFAULT_TURN_BUDGET_MS);
}

export interface RunnerDeps {
  db: Db;
  /** The turn's stages by name; the runner adds `commit` itself. */
  stages: Partial<Record<Exclude<StageName, 'commit'>, Stage>>;
  outbox: Outbox;
  historyLimit?: number;
  /** The most time one turn's stages may take (see createPipeline); a turn past it is answered with `overBudgetReply`. */
  turnBudgetMs?: number;
  /** The same for a turn whose message has images (default DEFAULT_IMAGE_TURN_BUDGET_MS). */
  imageTurnBudgetMs?: number;
  /** The apology for a turn that ran out of time. */
  overBudgetReply?: (locale: Locale) => Reply;
  /** How long a repeated message waits for the first one's turn when another process is running it. */
  duplicateWaitMs?: number;
  onError?: (err: unknown, messageId: number) => void;
  /** Sees every finished turn (its trace with each stage's time): profiles and benchmarks. */
  onTurn?: (turn: Turn) => void;
}

/**
 * The runner: one turn at a time per conversation (a lock, across processes on PostgreSQL), in arrival
 * order. A turn starts from its conversation, recent history, knowledge version and flow state (read as its message was
 * stored when no earlier turn was waiting, else once under the lock), runs the pipeline, commits the turn's
 * messages, trace and flow state in one statement, and hands the messages to the outbox.
 */
export function createRunner(deps: RunnerDeps) {
  const { db, outbox } = deps;
  const historyLimit = deps.historyLimit ?? 20;
  const committed = new WeakMap<Turn, MessageRecord[] | null>();
  const defaultResponses = loadResponses(undefined, { en: 'kefu', zh: '客服' });
  const overBudgetReply = deps.overBudgetReply ?? ((locale: Locale) => ({ text: defaultResponses('over_budget', locale), sources: [], quickReplies: [] }));

  // The trace stored with the turn is the one as commit begins: every stage before it, timed.
  const commit: Stage = {
    name: 'commit',
    always: true,
    async run(turn) {
      if (turn.stopped === OVER_BUDGET) turn.replies = [overBudgetReply(turn.locale)];
      const stored = await commitTurn(db, {
        conversationId: turn.conversation.id,
        channel: turn.conversation.channel,
        inboundId: turn.messageId,
        replies: turn.replies,
        trace: turn.trace,
        status: outbox.storesSent(turn.conversation) ? 'sent' : 'pending',
        ...(turn.nextFlowState !== undefined ? { flowState: turn.nextFlowState } : {}),
      });
      committed.set(turn, stored);
      if (!stored) return { decision: 'committed before' };
      return { decision: `stored ${stored.length} message(s)`, detail: { messageIds: stored.map((m) => m.id) } };
    },
  };
  const pipeline = createPipeline({ ...deps.stages, commit }, {
    budgetMs: (turn) => turnBudget(turn, deps),
  });
  const inflight = new Map<number, Promise<MessageRecord[]>>();

  async function runTurn(message: MessageRecord, inbound: InboundMessage, readAtInsert?: TurnContext): Promise<MessageRecord[]> {
    const context = readAtInsert ?? (await readTurnContext(db, message.conversationId, message.id, historyLimit));
    if (!context) throw new Error(`conversation ${message.conversationId} vanished`);
    const { conversation, history, knowledgeVersion, flowState } = context;
    // a customer who types the label of a button the bot just offered (WeChat shows no buttons) pressed it
    const typed = !inbound.payload ? typedButton(inbound.text, history) : undefined;
    if (typed) inbound = { ...inbound, payload: typed.payload };
    // The store holds the redacted text; the turn starts from what the customer wrote (kept in memory
    // only), so guard-in sees the personal data it masks and records that it did.
    const turn: Turn = {
      conversation,
      inbound,
      messageId: message.id,
      text: inbound.text,
      locale: inbound.locale ?? detectLocale(message.text, conversation.locale),
      history,
      knowledgeVersion,
      flowState,
      drafts: [],
      replies: [],
      trace: [],
    };
    await pipeline.run(turn);
    deps.onTurn?.(turn);
    const stored = committed.get(turn);
    if (!stored) return getRepliesTo(db, message.id); // another run of this message committed first
    if (stored.every((m) => m.status === 'sent')) {
      await outbox.announce(stored);
      return stored;
    }
    const sent = new Set(await outbox.deliver(conversation, stored));
    return stored.map((m) => (sent.has(m.id) ? { ...m, status: 'sent' } : m));
  }

  return {
    /** How many recent messages a turn reads with its conversation. */
    historyLimit,
    /**
     * Runs the turn of a stored inbound message after those before it in its conversation; resolves to the
     * messages it sent. `context`: the turn's context read as the message was stored (insertInbound), used
     * unless the turn waits first (then it is read again under the lock).
     */
    schedule(message: MessageRecord, inbound: InboundMessage, delayMs = 0, context?: TurnContext): Promise<MessageRecord[]> {
      const run = db.withLock(`conversation:${message.conversationId}`, async () => {
        if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
        return runTurn(message, inbound, delayMs > 0 ? undefined : context);
      });
      inflight.set(message.id, run);
      const forget = () => inflight.delete(message.id);
      run.then(forget, (err) => {
        forget();
        deps.onError?.(err, message.id);
      });
      return run;
    },

    /**
     * The messages a stored inbound message's turn sent: from the turn running here, or — when it runs in
     * another request or process and has not committed yet — from the store once its status says it was processed.
     */
    async repliesTo(message: MessageRecord): Promise<MessageRecord[]> {
      const deadline = Date.now() + (deps.duplicateWaitMs ?? 60_000);
      for (let waitMs = 10; ; waitMs = Math.min(waitMs * 2, 500)) {
        const running = inflight.get(message.id);
        if (running) return running;
        if ((await getMessageStatus(db, message.id)) !== 'received') return getRepliesTo(db, message.id);
        if (Date.now() > deadline) return [];
        await new Promise((r) => setTimeout(r, waitMs));
      }
    },

    /** Resolves when every turn in flight has finished. */
    async idle(): Promise<void> {
      while (inflight.size) await Promise.allSettled([...inflight.values()]);
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
