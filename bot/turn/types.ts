/**
 * The shared types of a turn: what comes in from a channel, what goes back out, and the record of
 * how the bot decided. Every folder may import from here; this file imports nothing.
 */

export type Locale = 'zh' | 'en';

/**
 * An image a customer sent: raw bytes (already fetched by the adapter) or a URL the adapter can fetch.
 * Bytes are stored with the message (content hash `sha256`), so a turn run again after a crash has them.
 */
export interface ImageAttachment {
  mime: string;
  bytes?: Uint8Array;
  url?: string;
  name?: string;
  sha256?: string;
}

/** A customer's message as an adapter hands it to the bot, before anything is stored. */
export interface InboundMessage {
  /** Channel name: 'web', 'slack', 'wechat', 'botframework', … */
  channel: string;
  /** The channel's own id for this message; a repeat of it is a duplicate. */
  channelMessageId: string;
  /** The bot-side conversation id (adapters resolve their channel's thread to one). */
  conversationId: string;
  /** The channel's id for the customer. */
  customerId: string;
  text: string;
  /** The payload of a quick-reply button the customer pressed (the text is then the button's label). */
  payload?: string;
  images: ImageAttachment[];
  locale?: Locale;
  receivedAt: Date;
  /**
   * The channel token the message came with (web): it is checked as the message is stored, in the same
   * statement — the conversation must be this customer's and its tokens not revoked since `issuedAt` (ms) —
   * or the message is refused (ChatRefusal `token_refused`). Absent: the channel checked its caller itself.
   */
  token?: { customerId: string; issuedAt: number };
}

/** Where an answer came from, shown under the answer. */
export interface Source {
  title: string;
  /** Link to the document, with an anchor to the passage where there is one. */
  url?: string;
  snippet?: string;
}

export interface QuickReply {
  label: string;
  /**
   * What the button means to the bot, sent with the label when it is pressed: plain text, or a
   * machine payload such as `entry:shipping#delivery-time` (a channel shows the label, never this).
   */
  payload: string;
}

/** What the bot says back. */
export interface Reply {
  text: string;
  sources: Source[];
  quickReplies: QuickReply[];
  /** The bot asks for (or has started) a handoff to a human agent. */
  handoff?: boolean;
  /** Where the customer's handoff now stands, when this message tells them. */
  handoffNotice?: HandoffNotice;
}

/**
 * Where a customer's handoff stands, carried by the message that tells them, so a channel that can show it
 * (the web widget's banner) does; every other channel sends the message's text, which says the same.
 *   queued         waiting for an agent: their place (1 = next) and about how many minutes
 *   claimed        an agent (by the name they work under) has the conversation
 *   message_taken  nobody can come now (out of hours, or nobody claimed it in time): what they write is kept for an agent
 *   ended          the agent handed the conversation back to the bot
 */
export type HandoffNotice =
  | { state: 'queued'; position: number; minutes: number }
  | { state: 'claimed'; agent: string }
  | { state: 'message_taken' }
  | { state: 'ended' };

/**
 * A channel's address for one conversation (a Slack channel + thread, a Teams conversation reference, a
 * WeChat openid), stored as JSON on the conversation so anyone can send into it later, outside any turn.
 */
export type ConversationRef = Record<string, string | number | boolean | null>;

export type ConversationMode = 'bot' | 'queued' | 'agent' | 'closed';

export interface Conversation {
  id: string;
  botId: string;
  channel: string;
  customerId: string;
  mode: ConversationMode;
  locale: Locale;
  createdAt: Date;
  /** Channel tokens issued up to this moment no longer open the conversation (revoked); null when none were. */
  tokensRevokedAt?: Date | null;
  /** Where the channel sends into this conversation; null for channels that need none (web: the customer's socket). */
  ref?: ConversationRef | null;
}

/** A stored message of a conversation, as the history shows it (text already masked). */
export interface StoredMessage {
  id: number;
  conversationId: string;
  direction: 'in' | 'out';
  author: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  sources: Source[];
  quickReplies: QuickReply[];
  createdAt: Date;
  /** The name an agent works under, on an agent's message. */
  authorName?: string;
  handoffNotice?: HandoffNotice;
  /** The images of a customer's message that kefu kept, each found again by its hash (a conversation's history lists them). */
  images?: KeptImage[];
}

/**
 * A message as a turn reads it among its conversation's recent ones: without its sources (a turn reads what
 * was said and offered, not where earlier answers came from; reading them back costs most of the read).
 */
export type HistoryMessage = Omit<StoredMessage, 'sources'>;

/** An image kefu stored with a customer's message: its hash finds the bytes. */
export interface KeptImage {
  sha256: string;
  mime: string;
  name?: string;
}

/**
 * A message kefu sends into a conversation outside a turn's answer (an agent's reply, a system notice, a
 * proactive message), as the outbox is given it and the store inserts it.
 */
export interface OutgoingMessage {
  author: 'bot' | 'agent' | 'system';
  text: string;
  sources?: Source[];
  quickReplies?: QuickReply[];
  /** The name an agent works under (agents' messages). */
  authorName?: string;
  handoffNotice?: HandoffNotice;
}

export const STAGE_NAMES = [
  'guard-in',
  'route',
  'perceive',
  'understand',
  'decide',
  'flow',
  'ground',
  'compose',
  'guard-out',
  'handoff',
  'commit',
] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** One stage's line in the trace: what it decided and how long it took. */
export interface TraceStep {
  stage: StageName;
  decision: string;
  ms: number;
  detail?: Record<string, unknown>;
}

export interface Entity {
  type: string;
  value: string;
  start: number;
  end: number;
}

export interface Understanding {
  intent: string | null;
  confidence: number;
  outOfScope: boolean;
  ambiguous: boolean;
  entities: Entity[];
}

/** A knowledge passage found for the turn, with the source it came from. */
export interface Passage {
  text: string;
  score: number;
  source: Source;
  /** The help entry it answers (language-neutral key, e.g. `shipping#delivery-time`) and that entry's question. */
  entry?: string;
  question?: string;
}

/**
 * What the ground stage concluded from all its evidence: answer from one entry, ask which of a few
 * entries the customer means, or decline honestly (and offer a human).
 */
export type GroundingOutcome = 'answer' | 'clarify' | 'decline';

export type Decision = 'answer' | 'clarify' | 'escalate' | 'flow' | 'smalltalk';

/** What kefu made of one of the customer's images (the perceive stage). */
export interface SeenImage {
  /** The image's place in the message (0-based). */
  index: number;
  /** The text read in it (OCR), personal data masked; '' when none. */
  text: string;
  /** The issue it shows, from the issue taxonomy, with how sure kefu is and what told it (its text, CLIP, the learned detector). */
  issue?: { id: string; label: Record<Locale, string>; confidence: number; by: 'text' | 'clip' | 'learned' };
  /** What each way of seeing said (text, clip, learned), the winner's among them. */
  evidence?: { by: 'text' | 'clip' | 'learned'; id: string; confidence: number }[];
  /** Why looking at the picture (CLIP, the learned detector) failed, when it did. */
  lookFailed?: string;
  /** An error code shown in it ("1024"). */
  errorCode?: string;
  /** Why the image could not be read (OCR failed or ran out of time). */
  unreadable?: string;
}

/**
 * Where the turn left a multi-turn flow (bot/flows): the flow, what happened (waiting, done, cancelled,
 * failed, digression, offered, …) and its slots after the turn; `resume` is said after the answer to a
 * question asked mid-flow, `offer` is a button that starts the flow, shown under a help-centre answer.
 */
export interface FlowReport {
  name: string;
  status: string;
  slots: Record<string, string>;
  resume?: Reply;
  offer?: QuickReply;
}

/**
 * The working state of one turn. Each stage reads what earlier stages added and adds its own part.
 * A stage that has settled the turn (a blocked input, a message forwarded to an agent) sets `stopped`;
 * later stages are then skipped except those marked `always`.
 */
/** A conversation's place in a multi-turn flow (bot/flows), stored between turns in `flow_states`. */
export interface FlowState {
  flow: string;
  /** The program step the flow waits at. */
  step: number;
  slots: Record<string, string>;
  /** Answers that did not fit at this step. */
  attempts: number;
  /** The last action's JSON result, for templates and branches. */
  result: unknown;
  /** The language the flow speaks: the customer's, kept while they answer with a bare order number. */
  locale: Locale;
}

/** A flow state as read with the turn's context: when it was last stored (a flow idle too long expires). */
export interface StoredFlowState extends FlowState {
  updatedAt: Date;
}

export interface Turn {
  conversation: Conversation;
  inbound: InboundMessage;
  /** The stored inbound message's id (the inbox persisted it before the turn began). */
  messageId: number;
  /** The text the pipeline works on: the inbound text after guard-in (masked). */
  text: string;
  locale: Locale;
  history: HistoryMessage[];
  /** The knowledge base's version, read with the turn's context: its searches read that version. */
  knowledgeVersion?: number;
  /** The conversation's flow state, read with the turn's context (null: in no flow). */
  flowState?: StoredFlowState | null;
  /**
   * The flow state the turn leaves, stored by the turn's commit in the same statement as its replies:
   * a state to keep, null to clear it, absent to leave the stored one as it is.
   */
  nextFlowState?: FlowState | null;
  /** What the perceive stage saw in the customer's images (their text also joined `text`). */
  seen?: SeenImage[];
  understanding?: Understanding;
  decision?: Decision;
  flow?: FlowReport;
  /** Passages for the reply: the answer's entry, or the entries a clarifying question offers. */
  passages?: Passage[];
  grounding?: GroundingOutcome;
  /** What the compose stage drafted, in order (usually one message); guard-out checks each into `replies`. */
  drafts: Reply[];
  /** What the turn sends, in order: none, one or several messages. */
  replies: Reply[];
  stopped?: string;
  trace: TraceStep[];
}

/** A stage's verdict: a short decision word for the trace, and optional detail. */
export interface StageOutcome {
  decision: string;
  detail?: Record<string, unknown>;
}

export interface Stage {
  name: StageName;
  /** Runs even when an earlier stage stopped the turn (guard-out, commit). */
  always?: boolean;
  run(turn: Turn): Promise<StageOutcome> | StageOutcome;
}
