import { plainMessageText } from '../../bot/turn/plain-text.ts';
import type { StoredMessage } from '../../bot/turn/types.ts';

/** Slack's limits: a section's text, a button's label and value. */
const SECTION_CHARS = 3000;
const LABEL_CHARS = 75;
const VALUE_CHARS = 2000;
/** Buttons kefu posts carry action ids with this prefix; a press comes back to the channel under it. */
export const QUICK_REPLY_ACTION = 'kefu_quick_reply_';

/** Text Slack shows as text: its three control characters escaped. */
export const escape = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/**
 * A kefu message as a Slack message: the answer as sections of text (a table becomes one line a row),
 * its sources as links under it, and its quick replies as buttons whose value is the reply's payload.
 * `text` is the plain fallback notifications show.
 */
export function slackMessage(message: StoredMessage, publicUrl?: string) {
  const text = plainMessageText(message);
  const blocks: Record<string, unknown>[] = [];
  for (let i = 0; i < text.length || i === 0; i += SECTION_CHARS) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: escape(text.slice(i, i + SECTION_CHARS)) || ' ' } });
  }
  if (message.sources.length) {
    const links = message.sources.map((s) => (s.url && publicUrl ? `<${new URL(s.url, publicUrl).href}|${escape(s.title)}>` : escape(s.title)));
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: links.join('  ·  ') }] });
  }
  if (message.quickReplies.length) {
    blocks.push({
      type: 'actions',
      elements: message.quickReplies.map((q, i) => ({
        type: 'button',
        action_id: `${QUICK_REPLY_ACTION}${i}`,
        text: { type: 'plain_text', text: q.label.slice(0, LABEL_CHARS) },
        value: q.payload.slice(0, VALUE_CHARS),
      })),
    });
  }
  return { text, blocks };
}
