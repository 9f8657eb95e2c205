import type { Locale } from './types.ts';

/**
 * An agent desk: a place outside kefu's console where a team works handoffs (a Slack channel). A channel
 * that hosts one shows each handoff there, lets its people claim, answer and close it, and mirrors what
 * the customer writes; the bot keeps the claim rules, the customer's side and the queue, as for the console.
 */

/** A person working from a desk, as the desk knows them (a Slack user id and name). */
export interface DeskAgent {
  id: string;
  name: string;
}

export type DeskHandoffStatus = 'queued' | 'claimed' | 'resolved' | 'timed_out';

/** A handoff as a desk shows it. */
export interface DeskHandoff {
  handoffId: number;
  conversationId: string;
  /** The customer's channel (web, wechat-oa, slack, …). */
  channel: string;
  locale: Locale;
  reason: string;
  team: string | null;
  status: DeskHandoffStatus;
  /** The name the agent holding it works under; null while nobody does. */
  agentName: string | null;
  /** What the customer asked so far, in the conversation's language. */
  summary: string;
  /** Where the desk posted it (`posted`), once it has. */
  postId: string | null;
}

/** A customer's message written while their handoff is open, to show under the handoff's post. */
export interface DeskCustomerMessage {
  handoffId: number;
  postId: string;
  text: string;
  images: number;
}

/** What a desk has to show since it last asked; each item is handed to one caller once, across kefu processes. */
export interface DeskUpdates {
  /** Handoffs the desk's people may take and the desk has not posted: post each, then call `posted`. */
  toPost: DeskHandoff[];
  /** Posted handoffs whose state changed since the desk last showed it (claimed, timed out, closed). */
  changed: DeskHandoff[];
  /** What customers wrote under posted handoffs, oldest first. */
  customerSaid: DeskCustomerMessage[];
}

/** Why a desk action was refused. */
export type DeskRefusal = 'taken' | 'not_yours' | 'closed' | 'not_your_team' | 'no_such_handoff' | 'agent_disabled' | 'bad_text';

export type DeskAnswer = { ok: true; handoff: DeskHandoff } | { ok: false; why: DeskRefusal; handoff: DeskHandoff | null };

/** One desk as the bot serves it. */
export interface AgentDesk {
  updates(): Promise<DeskUpdates>;
  posted(handoffId: number, postId: string): Promise<void>;
  /** The handoff the desk posted under `postId`; null when it posted none there. */
  byPost(postId: string): Promise<DeskHandoff | null>;
  /** Claims the handoff for the agent (one claimer: the console's rules); the customer hears who joined. */
  claim(handoffId: number, agent: DeskAgent): Promise<DeskAnswer>;
  /** The claiming agent's words, sent to the customer on the customer's own channel under the agent's name. */
  reply(handoffId: number, agent: DeskAgent, text: string): Promise<DeskAnswer>;
  /** Ends the handoff as the console's resolve does: the conversation returns to the bot, which asks for a rating. */
  close(handoffId: number, agent: DeskAgent): Promise<DeskAnswer>;
  /** Hears that the queue or a handed-over conversation changed (any process); returns the function that stops listening. */
  watch(listener: () => void): () => void;
}

/** A desk's settings: its name (one per channel that hosts a desk) and the teams whose handoffs it works (none: handoffs of no team). */
export interface DeskSettings {
  name: string;
  teams: string[];
}

/** Opens a desk; handed to channels by the bot. */
export type OpenDesk = (settings: DeskSettings) => AgentDesk;
