import type { StoredMessage } from '../turn/types.ts';

/**
 * Live delivery: every message sent into a conversation is published here, and whoever holds that
 * conversation open (a customer's WebSocket, later an agent's console) hears it — in any kefu process that
 * shares the database. On PGlite (one process) the bus is in memory; on a PostgreSQL server it is
 * LISTEN/NOTIFY (postgres-bus.ts). Listeners of one process hear a conversation's messages in publish order.
 * Besides messages, the bus carries signals: "something under this topic changed, read it again" (the agent
 * console's queue), with no content of their own.
 */
export interface LiveBus {
  publish(message: StoredMessage): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(conversationId: string, listener: (message: StoredMessage) => void): () => void;
  signal(topic: string): Promise<void>;
  /** Hears the signals of a topic; returns the function that stops listening. */
  watch(topic: string, listener: () => void): () => void;
  close(): Promise<void>;
}

/** Listeners by key (a conversation, a topic): the in-process fan-out the buses and the drafts share. */
export function createKeyedListeners<T = void>() {
  const byKey = new Map<string, Set<(item: T) => void>>();
  return {
    has: (key: string) => byKey.has(key),
    add(key: string, listener: (item: T) => void): () => void {
      const set = byKey.get(key) ?? new Set();
      set.add(listener);
      byKey.set(key, set);
      return () => {
        set.delete(listener);
        if (!set.size && byKey.get(key) === set) byKey.delete(key);
      };
    },
    notify(key: string, item: T) {
      for (const listener of byKey.get(key) ?? []) listener(item);
    },
  };
}

/**
 * Listeners by conversation: of stored messages (the part both buses share) and of anything else addressed
 * to a conversation (an answer's drafts).
 */
export function createListeners<T extends { conversationId: string } = StoredMessage>() {
  const keyed = createKeyedListeners<T>();
  return { has: keyed.has, add: keyed.add, notify: (item: T) => keyed.notify(item.conversationId, item) };
}

/** The bus of a single process (the embedded database, which only one process opens). */
export function createLocalBus(): LiveBus {
  const listeners = createListeners();
  const watchers = createKeyedListeners();
  return {
    async publish(message) {
      listeners.notify(message);
    },
    subscribe: (conversationId, listener) => listeners.add(conversationId, listener),
    async signal(topic) {
      watchers.notify(topic, undefined);
    },
    watch: (topic, listener) => watchers.add(topic, listener),
    async close() {},
  };
}
