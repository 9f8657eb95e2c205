/**
 * A quick reply's payload is either a machine payload, `kind:value` (`entry:shipping#delivery-time`,
 * `rating:4`), which a stage acts on, or plain words ("I'd like to talk to a person") that the bot reads
 * as what the customer said, whatever the button's label was.
 *
 * On a channel without buttons (WeChat) the customer sees the labels as lines of text and types one back:
 * a typed label of a button the bot offered since the customer last wrote counts as pressing it.
 */
import type { QuickReply, StoredMessage } from './types.ts';

const MACHINE_PAYLOAD = /^[a-z][a-z-]*:\S/;

/** The payload as the customer's words, when it is plain words; undefined for none or a machine payload. */
export function payloadAsWords(payload: string | undefined): string | undefined {
  return payload?.trim() && !MACHINE_PAYLOAD.test(payload) ? payload : undefined;
}

/** A label as a customer may type it: full-width folded to half-width (NFKC), any case, spaces ignored. */
export function labelKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * The button whose label the customer typed, among those offered in the messages after the customer's last
 * message (`history`, oldest first, the customer's messages `in`); undefined when the text is no such label.
 */
export function typedButton(text: string, history: Pick<StoredMessage, 'direction' | 'quickReplies'>[]): QuickReply | undefined {
  const typed = labelKey(text);
  if (!typed) return undefined;
  for (let i = history.length - 1; i >= 0 && history[i]!.direction !== 'in'; i--) {
    const button = history[i]!.quickReplies.find((q) => labelKey(q.label) === typed);
    if (button) return button;
  }
  return undefined;
}
