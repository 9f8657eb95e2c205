/**
 * The customer's side of a conversation test: how a scripted customer writes or presses a button on one
 * channel, and what they see of the bot's answer to it. The checks (run.ts) are the same on every channel;
 * the web channel's side is web-customer.ts, the other channels' sides live with their tests (they need the
 * local stand-ins of Slack, the Bot Framework connector, WeChat).
 */
import type { Locale, Turn } from '../turn/types.ts';

/** A button as the customer sees it: its label (a side keeps what pressing it sends). */
export interface SeenButton {
  label: string;
}

/** One message of the bot as the customer sees it on the channel: its text and the buttons under it. */
export interface SeenMessage {
  text: string;
  buttons: SeenButton[];
}

/** What the customer saw after one thing they did: every message of that turn, and the conversation it was in. */
export interface SeenTurn {
  /** kefu's id of the conversation, to look the turn up. */
  conversationId: string;
  replies: SeenMessage[];
}

/** One conversation, as the customer holds it. Each call resolves once the turn it started has been delivered. */
export interface CustomerConversation {
  say(text: string): Promise<SeenTurn>;
  /** Presses a button of a message this conversation showed (on a channel without buttons: types its label). */
  press(button: SeenButton): Promise<SeenTurn>;
}

export interface CustomerSide {
  /** The channel's name, for reports. */
  channel: string;
  /** Starts a new conversation of a customer who speaks `locale`. */
  open(locale: Locale): Promise<CustomerConversation>;
  /** The last finished turn of a conversation (KefuOptions.onTurn records them). */
  lastTurn(conversationId: string): Turn | undefined;
}
