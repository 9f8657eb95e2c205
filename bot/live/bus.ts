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

/** Signal listeners by topic. */
export function createWatchers() {
  const byTopic = new Map<string, Set<() => void>>();
  return {
    add(topic: string, listener: () => void): () => void {
      const set = byTopic.get(topic) ?? new Set();
      set.add(listener);
      byTopic.set(topic, set);
      return () => {
        set.delete(listener);
        if (!set.size && byTopic.get(topic) === set) byTopic.delete(topic);
      };
    },
    notify(topic: string) {
      for (const listener of byTopic.get(topic) ?? []) listener();
    },
  };
}

/**
 * Listeners by conversation, the in-process fan-out: of stored messages (the part both buses share) and of
 * anything else addressed to a conversation (an answer's drafts).
 */
export function createListeners<T extends { conversationId: string } = StoredMessage>() {
  const byConversation = new Map<string, Set<(item: T) => void>>();
  return {
    has: (conversationId: string) => byConversation.has(conversationId),
    add(conversationId: string, listener: (item: T) => void): () => void {
      const set = byConversation.get(conversationId) ?? new Set();
      set.add(listener);
      byConversation.set(conversationId, set);
      return () => {
        set.delete(listener);
        if (!set.size && byConversation.get(conversationId) === set) byConversation.delete(conversationId);
      };
    },
    notify(item: T) {
      for (const listener of byConversation.get(item.conversationId) ?? []) listener(item);
    },
  };
}

/** The bus of a single process (the embedded database, which only one process opens). */
export function createLocalBus(): LiveBus {
  const listeners = createListeners();
  const watchers = createWatchers();
  return {
    async publish(message) {
      listeners.notify(message);
    },
    subscribe: (conversationId, listener) => listeners.add(conversationId, listener),
    async signal(topic) {
      watchers.notify(topic);
    },
    watch: (topic, listener) => watchers.add(topic, listener),
    async close() {},
  };
}
