/**
 * Drafts of answers being written, fanned out to whoever has the conversation open in this process (the web
 * channel's sockets). Drafts are not stored and do not cross processes: the finished answer is a message,
 * which every process delivers through the live bus.
 */
import type { Draft } from '../turn/channel.ts';

export interface Drafts {
  publish(draft: Draft): void;
  subscribe(conversationId: string, listener: (draft: Draft) => void): () => void;
}

export function createDrafts(): Drafts {
  const byConversation = new Map<string, Set<(d: Draft) => void>>();
  return {
    publish(draft) {
      for (const listener of byConversation.get(draft.conversationId) ?? []) listener(draft);
    },
    subscribe(conversationId, listener) {
      const set = byConversation.get(conversationId) ?? new Set();
      set.add(listener);
      byConversation.set(conversationId, set);
      return () => {
        set.delete(listener);
        if (!set.size && byConversation.get(conversationId) === set) byConversation.delete(conversationId);
      };
    },
  };
}
