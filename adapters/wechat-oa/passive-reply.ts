import type { StoredMessage } from '../../bot/turn/types.ts';

/**
 * WeChat waits 5 seconds for the answer to a message posted to the account's URL (the passive reply), then
 * gives up and posts it again. A turn's first message, sent while the request still waits, is handed to
 * that request to answer with; anything later goes through the customer-service message API. A
 * conversation's turns run one at a time, oldest first, so its oldest waiting request takes the message.
 */
class PassiveReply {
  private message: StoredMessage | undefined;
  private open = true;
  private wake: (() => void) | undefined;

  offer(message: StoredMessage): boolean {
    if (!this.open || this.message) return false;
    this.message = message;
    this.wake?.();
    return true;
  }

  /** Waits for the turn's first message until `deadlineMs`, or until the turn ends with none; then closes. */
  async settle(deadlineMs: number, turnDone: Promise<unknown>): Promise<StoredMessage | undefined> {
    if (!this.message) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          this.wake = resolve;
          timer = setTimeout(resolve, deadlineMs);
        }),
        turnDone.then(
          (replies) => (Array.isArray(replies) && replies.length > 0 ? new Promise(() => {}) : undefined),
          () => undefined,
        ),
      ]);
      clearTimeout(timer);
    }
    this.open = false;
    return this.message;
  }

  close() {
    this.open = false;
  }
}

export function createPassiveReplies() {
  const waiting = new Map<string, PassiveReply[]>();

  return {
    /** A request for `conversationId` starts waiting for its answer. */
    open(conversationId: string): PassiveReply {
      const reply = new PassiveReply();
      waiting.set(conversationId, [...(waiting.get(conversationId) ?? []), reply]);
      return reply;
    },
    /** Stops waiting (answered, timed out or refused). */
    release(conversationId: string, reply: PassiveReply) {
      reply.close();
      const rest = (waiting.get(conversationId) ?? []).filter((r) => r !== reply);
      if (rest.length) waiting.set(conversationId, rest);
      else waiting.delete(conversationId);
    },
    /**
     * Hands a message to the conversation's oldest waiting request; false when it has one already or none
     * waits (a later request never takes an earlier turn's message, so the order holds).
     */
    offer(conversationId: string, message: StoredMessage): boolean {
      return waiting.get(conversationId)?.[0]?.offer(message) ?? false;
    },
  };
}

export type PassiveReplies = ReturnType<typeof createPassiveReplies>;
