import { detectLocale } from '../../bot/turn/locale.ts';
import { plainMessageText } from '../../bot/turn/plain-text.ts';
import type { Locale, StoredMessage } from '../../bot/turn/types.ts';

const WORDS = {
  zh: { sources: '来源', options: '您可以回复：', onlyTextAndPictures: '目前我能读懂文字和图片，请用文字描述您的问题。' },
  en: { sources: 'Sources', options: 'You can reply:', onlyTextAndPictures: 'I can read text and pictures for now; please describe your question in words.' },
} as const;

/** What kefu says when a customer sends something it cannot read (voice, video, location…). */
export const onlyTextAndPictures = (locale: Locale) => WORDS[locale].onlyTextAndPictures;

/**
 * How a source's address is written: `anchor` as an `<a href>` link (Official Account text messages may
 * carry them), `address` after its title (a personal chat shows links as text).
 */
export type LinkStyle = 'anchor' | 'address';

function sourceLine(title: string, href: string | undefined, links: LinkStyle): string {
  if (!href) return `· ${title}`;
  return links === 'anchor' ? `· <a href="${href.replaceAll('"', '%22')}">${title}</a>` : `· ${title} ${href}`;
}

/**
 * A kefu message as WeChat text, for the Official Account and personal chats alike: the answer as plain
 * text (WeChat shows no tables or bold), its sources (with their addresses when kefu knows its public
 * address) and the quick replies as lines the customer can send back, labelled in the message's own language.
 */
export function wechatText(message: StoredMessage, fallback: Locale, opts: { publicUrl?: string; links: LinkStyle }): string {
  const words = WORDS[detectLocale(message.text, fallback)];
  const parts = [plainMessageText(message)];
  if (message.sources.length) {
    const lines = message.sources.map((s) => sourceLine(s.title, s.url && opts.publicUrl ? new URL(s.url, opts.publicUrl).href : undefined, opts.links));
    parts.push(`${words.sources}:\n${lines.join('\n')}`);
  }
  if (message.quickReplies.length) parts.push(`${words.options}\n${message.quickReplies.map((q) => `· ${q.label}`).join('\n')}`);
  return parts.join('\n\n');
}
