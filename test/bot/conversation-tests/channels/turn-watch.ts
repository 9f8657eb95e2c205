/**
 * Knows when a customer's message has been answered on a channel whose answers arrive on their own (posted
 * to Slack, to the connector, through WeChat's API or the puppet): the message's turn has finished (kefu's
 * onTurn) and every message the turn stored has been sent through the channel (the real `send` returned).
 * No sleeps: the wait ends on those two events.
 */
import type { Channel } from '../../../../bot/turn/channel.ts';
import type { Conversation, Turn } from '../../../../bot/turn/types.ts';

interface Waiter {
  where: (conversation: Conversation) => boolean;
  turn?: Turn;
  messageIds?: number[];
  resolve: (turn: Turn) => void;
}

/** The ids of the messages a turn stored, as its commit step recorded them. */
const storedBy = (turn: Turn): number[] => (turn.trace.find((s) => s.stage === 'commit')?.detail?.messageIds as number[] | undefined) ?? [];

export function turnWatch() {
  const lastTurns = new Map<string, Turn>();
  const delivered = new Set<number>();
  const waiters = new Set<Waiter>();

  const settle = () => {
    for (const w of waiters) {
      if (w.turn && w.messageIds!.every((id) => delivered.has(id))) {
        waiters.delete(w);
        w.resolve(w.turn);
      }
    }
  };

  return {
    /** For KefuOptions.onTurn. */
    onTurn(turn: Turn) {
      lastTurns.set(turn.conversation.id, turn);
      const waiter = [...waiters].find((w) => !w.turn && w.where(turn.conversation));
      if (waiter) Object.assign(waiter, { turn, messageIds: storedBy(turn) });
      settle();
    },
    lastTurn: (conversationId: string) => lastTurns.get(conversationId),
    /** The channel as it is, telling the watch of each message its `send` has delivered. */
    observe<C extends Channel<never>>(channel: C): C {
      return {
        ...channel,
        async send(ref: never, message: Parameters<C['send']>[1], conversation: Conversation) {
          await channel.send(ref, message, conversation);
          delivered.add(message.id);
          settle();
        },
      };
    },
    /** Resolves with the next turn of a conversation `where` picks, once its messages are delivered. Call it before the customer writes. */
    answered(where: (conversation: Conversation) => boolean): Promise<Turn> {
      return new Promise((resolve) => void waiters.add({ where, resolve }));
    },
  };
}

export type TurnWatch = ReturnType<typeof turnWatch>;
