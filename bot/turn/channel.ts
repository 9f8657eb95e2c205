import type { Conversation, InboundMessage, Locale, StoredMessage } from './types.ts';

/** What an adapter learns when it hands the bot a customer's message. */
export interface Receipt {
  message: StoredMessage;
  duplicate: boolean;
  /** The customer is sending faster than the bot answers; their message waits this long. */
  slowedMs?: number;
  reply: Promise<StoredMessage | null>;
}

/**
 * The bot as a channel adapter sees it: adapters turn channel events into these calls and
 * never reach into the store or the pipeline.
 */
export interface ChatPort {
  startConversation(c: { channel: string; customerId: string; locale: Locale }): Promise<Conversation>;
  conversation(id: string): Promise<Conversation | undefined>;
  history(conversationId: string): Promise<StoredMessage[]>;
  /** Persists then processes; throws ChatRefusal when the message cannot be accepted. */
  receive(inbound: InboundMessage): Promise<Receipt>;
  /** Revokes every channel token of the conversation issued until now. */
  revokeTokens(conversationId: string): Promise<void>;
  /** Listens for messages the bot (or an agent) sends in a conversation; returns the unsubscribe function. */
  subscribe(conversationId: string, listener: (message: StoredMessage) => void): () => void;
}

/** Why the bot refused a message; nothing was stored. */
export class ChatRefusal extends Error {
  constructor(
    readonly code: 'unknown_conversation' | 'conversation_closed' | 'flooding',
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
