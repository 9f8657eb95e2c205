/**
 * Drafts of answers being written, fanned out to whoever has the conversation open in this process (the web
 * channel's sockets). Drafts are not stored and do not cross processes: the finished answer is a message,
 * which every process delivers through the live bus.
 */
import { createListeners } from '../live/bus.ts';
import type { Draft } from '../turn/channel.ts';

export interface Drafts {
  publish(draft: Draft): void;
  subscribe(conversationId: string, listener: (draft: Draft) => void): () => void;
}

export function createDrafts(): Drafts {
  const listeners = createListeners<Draft>();
  return { publish: listeners.notify, subscribe: listeners.add };
}
