/**
 * How many WebSockets the web channel keeps open: in all, and per conversation. A socket over either cap
 * is closed at once (1013, try again later); the widget reconnects with backoff.
 */
export interface SocketLimitOptions {
  maxSockets: number;
  maxPerConversation: number;
  /** A socket that sends nothing for this long is closed (4408); the widget reconnects when the customer next writes. */
  idleMs: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimitOptions = { maxSockets: 10_000, maxPerConversation: 8, idleMs: 10 * 60_000 };

export function createSocketLimits(opts: SocketLimitOptions = DEFAULT_SOCKET_LIMITS) {
  let open = 0;
  const perConversation = new Map<string, number>();
  return {
    options: opts,
    /** Takes a place for a new socket; returns its release function, or undefined when no place is left. */
    admit(): (() => void) | undefined {
      if (open >= opts.maxSockets) return undefined;
      open++;
      let released = false;
      return () => {
        if (!released) (released = true), open--;
      };
    },
    /** Takes a place in a conversation for an authorised socket; undefined when the conversation has its fill. */
    join(conversationId: string): (() => void) | undefined {
      const n = perConversation.get(conversationId) ?? 0;
      if (n >= opts.maxPerConversation) return undefined;
      perConversation.set(conversationId, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (perConversation.get(conversationId) ?? 1) - 1;
        if (left > 0) perConversation.set(conversationId, left);
        else perConversation.delete(conversationId);
      };
    },
    get open() {
      return open;
    },
  };
}

export type SocketLimits = ReturnType<typeof createSocketLimits>;
