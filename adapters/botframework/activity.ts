import { ActivityTypes, type Activity, type CardAction } from 'botbuilder';
import { plainMessageText } from '../../bot/turn/plain-text.ts';
import type { StoredMessage } from '../../bot/turn/types.ts';

/** The payload of a quick reply travels in the button's value under this key; its label is the text. */
export const PAYLOAD_KEY = 'kefuPayload';

/**
 * A kefu message as a Bot Framework message activity: Markdown text (a table as one line a row, since
 * Teams and Web Chat draw tables differently), its sources as links, and quick replies as suggested
 * actions of the messageBack kind, so a press shows the label and sends the payload in `value`.
 */
export function messageActivity(message: StoredMessage, publicUrl?: string): Partial<Activity> {
  const links = message.sources.map((s) => (s.url && publicUrl ? `[${s.title}](${new URL(s.url, publicUrl).href})` : s.title));
  const text = [plainMessageText(message), ...(links.length ? [links.map((l) => `- ${l}`).join('\n')] : [])].join('\n\n');
  const actions: CardAction[] = message.quickReplies.map((q) => ({ type: 'messageBack', title: q.label, text: q.label, displayText: q.label, value: { [PAYLOAD_KEY]: q.payload } }));
  return {
    type: ActivityTypes.Message,
    text,
    textFormat: 'markdown',
    ...(actions.length ? { suggestedActions: { actions, to: [] } } : {}),
  };
}
