import type { StoredMessage } from '../turn/types.ts';

/**
 * Live delivery: every message sent into a conversation is published here, and whoever holds that
 * conversation open (a customer's WebSocket, later an agent's console) hears it — in any kefu process that
 * shares the database. On PGlite (one process) the bus is in memory; on a PostgreSQL server it is
 * LISTEN/NOTIFY (postgres-bus.ts). Listeners of one process hear a conversation's messages in publish order.
 */
export interface LiveBus {
  publish(message: StoredMessage): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(conversationId: string, listener: (message: StoredMessage) => void): () => void;
  close(): Promise<void>;
}

/** Listeners by conversation, the part both buses share: the in-process fan-out. */
export function createListeners() {
  const byConversation = new Map<string, Set<(m: StoredMessage) => void>>();
  return {
    has: (conversationId: string) => byConversation.has(conversationId),
    add(conversationId: string, listener: (m: StoredMessage) => void): () => void {
      const set = byConversation.get(conversationId) ?? new Set();
      set.add(listener);
      byConversation.set(conversationId, set);
      return () => {
        set.delete(listener);
        if (!set.size && byConversation.get(conversationId) === set) byConversation.delete(conversationId);
      };
    },
    notify(message: StoredMessage) {
      for (const listener of byConversation.get(message.conversationId) ?? []) listener(message);
    },
  };
}

/** The bus of a single process (the embedded database, which only one process opens). */
export function createLocalBus(): LiveBus {
  const listeners = createListeners();
  return {
    async publish(message) {
      listeners.notify(message);
    },
    subscribe: (conversationId, listener) => listeners.add(conversationId, listener),
    async close() {},
  };
}
