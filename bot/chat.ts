import type { Db } from './turn/database.ts';
import { createConversation, getConversation, revokeConversationTokens } from './store/conversations.ts';
import { listMessages } from './store/messages.ts';
import type { ChatPort } from './turn/channel.ts';
import type { StoredMessage } from './turn/types.ts';
import type { Inbox } from './inbox/inbox.ts';

/** Fans a conversation's outgoing messages out to whoever listens (open WebSockets of this process). */
export function createHub() {
  const listeners = new Map<string, Set<(m: StoredMessage) => void>>();
  return {
    subscribe(conversationId: string, listener: (m: StoredMessage) => void) {
      const set = listeners.get(conversationId) ?? new Set();
      set.add(listener);
      listeners.set(conversationId, set);
      return () => {
        set.delete(listener);
        if (!set.size) listeners.delete(conversationId);
      };
    },
    publish(conversationId: string, message: StoredMessage) {
      for (const listener of listeners.get(conversationId) ?? []) listener(message);
    },
  };
}
export type Hub = ReturnType<typeof createHub>;

/** The bot as channel adapters see it. */
export function createChat(deps: { db: Db; botId: string; inbox: Inbox; hub: Hub }): ChatPort {
  const { db, botId, inbox, hub } = deps;
  return {
    startConversation: (c) => createConversation(db, { ...c, botId }),
    conversation: (id) => getConversation(db, id),
    history: (id) => listMessages(db, id),
    receive: (inbound) => inbox.accept(inbound),
    revokeTokens: (id) => revokeConversationTokens(db, id),
    subscribe: (id, listener) => hub.subscribe(id, listener),
  };
}
