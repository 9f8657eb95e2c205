import { detectLocale } from '../../bot/turn/locale.ts';
import { plainText } from '../../bot/turn/plain-text.ts';
import type { Locale, StoredMessage } from '../../bot/turn/types.ts';

const WORDS = {
  zh: { sources: '来源', options: '您可以回复：' },
  en: { sources: 'Sources', options: 'You can reply:' },
} as const;

/**
 * A kefu message as a WeChat chat message: plain text (no tables or bold), the sources with their
 * addresses (a chat shows links as text), and the quick replies as lines to send back, labelled in the
 * message's own language.
 */
export function chatText(message: StoredMessage, fallback: Locale, publicUrl?: string): string {
  const words = WORDS[detectLocale(message.text, fallback)];
  const parts = [plainText(message.text)];
  if (message.sources.length) {
    parts.push(`${words.sources}:\n${message.sources.map((s) => `· ${s.title}${s.url && publicUrl ? ` ${new URL(s.url, publicUrl).href}` : ''}`).join('\n')}`);
  }
  if (message.quickReplies.length) parts.push(`${words.options}\n${message.quickReplies.map((q) => `· ${q.label}`).join('\n')}`);
  return parts.join('\n\n');
}
