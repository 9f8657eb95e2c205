import type { FastifyPluginAsync } from 'fastify';
import type { OpenDesk } from './desk.ts';
import type { Conversation, ConversationRef, InboundMessage, Locale, StoredMessage } from './types.ts';

/** What a channel learns when it hands the bot a customer's message. */
export interface Receipt {
  message: StoredMessage;
  duplicate: boolean;
  /** The customer is sending faster than the bot answers; their message waits this long. */
  slowedMs?: number;
  /** Every message the turn sent, in order (none when, e.g., the message went to an agent). */
  replies: Promise<StoredMessage[]>;
  /** The turn's answer: the last of `replies`, or null when it sent none. */
  reply: Promise<StoredMessage | null>;
}

/**
 * The bot as a channel sees it: channels turn their events into these calls and never reach into the
 * store or the pipeline.
 */
export interface ChatPort {
  startConversation(c: { channel: string; customerId: string; locale: Locale; ref?: ConversationRef }): Promise<Conversation>;
  /** The conversation a thread-shaped channel knows by `ref`, started (with that reference) when there is none yet. */
  findOrStart(c: { channel: string; ref: ConversationRef; customerId: string; locale: Locale }): Promise<Conversation>;
  conversation(id: string): Promise<Conversation | undefined>;
  /** The conversation's messages, oldest first, a customer's with the images kefu kept. */
  history(conversationId: string): Promise<StoredMessage[]>;
  /** An image a customer sent in this conversation, by its hash; undefined when it has none such. */
  image(conversationId: string, sha256: string): Promise<{ mime: string; bytes: Uint8Array } | undefined>;
  /** Persists then processes; throws ChatRefusal when the message cannot be accepted. */
  receive(inbound: InboundMessage): Promise<Receipt>;
  /** Revokes every channel token of the conversation issued until now. */
  revokeTokens(conversationId: string): Promise<void>;
  /**
   * Listens for messages sent into a conversation (by the bot, an agent or the system) from any kefu
   * process sharing the database; returns the unsubscribe function.
   */
  subscribe(conversationId: string, listener: (message: StoredMessage) => void): () => void;
  /**
   * Listens for answers being written in this process (a streaming model), for channels that can show
   * text as it arrives; returns the unsubscribe function. Absent: the bot does not stream.
   */
  subscribeDrafts?(conversationId: string, listener: (draft: Draft) => void): () => void;
}

/**
 * An answer the bot is still writing, as far as the output guard has passed it: `text` is everything shown
 * so far (each draft frame replaces the last). `retracted`: the draft is withdrawn (the model failed and
 * another answer comes). The finished answer arrives as an ordinary message, which replaces the draft.
 */
export interface Draft {
  conversationId: string;
  /** The same for every frame of one answer. */
  id: string;
  text: string;
  retracted?: boolean;
}

/** What a channel's routes are given when kefu registers them. */
export interface ChannelContext {
  chat: ChatPort;
  /** kefu's signing secret (tokens a channel issues to its clients). */
  secret: string;
  /** Opens an agent desk, for a channel where agents work handoffs (a Slack channel); absent where the bot has none. */
  openDesk?: OpenDesk;
}

/**
 * A channel: its routes and hooks as one fastify plugin, registered under `prefix` in a scope of its own
 * (its CORS, signature checks and error answers touch nothing else), and `send`, which delivers a stored
 * message to the conversation's reference. `send` must be idempotent per message id: the outbox retries it
 * and sends again at recovery what it could not send.
 */
export interface Channel<Ref extends ConversationRef = ConversationRef> {
  name: string;
  prefix: string;
  routes: FastifyPluginAsync<ChannelContext>;
  send(ref: Ref, message: StoredMessage, conversation: Conversation): Promise<void>;
  /**
   * false: the channel pushes nothing itself (its clients read the conversation over HTTP and hear it on the
   * live bus, like the web's), so a turn's messages are stored sent as the turn commits and only published on
   * the bus. Default true: each message is stored pending and sent through `send`.
   */
  pushes?: boolean;
  /** How fast the channel's service takes messages into one place; none: as fast as kefu sends. */
  pace?: SendPace<Ref>;
}

/**
 * A channel's outbound pace: messages whose references share a key (a Slack channel, a Teams conversation)
 * go out at least `minTimeMs` apart, across every kefu process when they share Redis.
 */
export interface SendPace<Ref extends ConversationRef = ConversationRef> {
  key(ref: Ref): string;
  minTimeMs: number;
}

/** The channel's service asked kefu to slow down (HTTP 429): the outbox waits `retryAfterMs`, then tries again. */
export class ChannelBusy extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/**
 * Why the bot refused a message; nothing was stored. `reason` says more for channels that explain it in the
 * customer's language (an image refused: `empty`, `not_an_image`, `too_large`, `too_many_pixels`, …; a token
 * refused: `not_this_customer`, `revoked`).
 */
export class ChatRefusal extends Error {
  constructor(
    readonly code: 'unknown_conversation' | 'conversation_closed' | 'flooding' | 'attachment_refused' | 'token_refused',
    message: string,
    readonly retryAfterMs?: number,
    readonly reason?: string,
  ) {
    super(message);
  }
}
