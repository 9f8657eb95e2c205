import { detectLocale } from '../../bot/turn/locale.ts';
import { plainText } from '../../bot/turn/plain-text.ts';
import type { Locale, StoredMessage } from '../../bot/turn/types.ts';

const WORDS = {
  zh: { sources: '来源', options: '您可以回复：', onlyTextAndPictures: '目前我能读懂文字和图片，请用文字描述您的问题。' },
  en: { sources: 'Sources', options: 'You can reply:', onlyTextAndPictures: 'I can read text and pictures for now; please describe your question in words.' },
} as const;

/** What kefu says when a customer sends something it cannot read (voice, video, location…). */
export const onlyTextAndPictures = (locale: Locale) => WORDS[locale].onlyTextAndPictures;

/**
 * A kefu message as WeChat text: the answer as plain text (WeChat shows no tables or bold), its sources
 * (linked when kefu knows its public address, since WeChat text may carry `<a>` links) and the quick
 * replies as lines the customer can send back, labelled in the message's own language.
 */
export function wechatText(message: StoredMessage, fallback: Locale, publicUrl?: string): string {
  const words = WORDS[detectLocale(message.text, fallback)];
  const parts = [plainText(message.text)];
  if (message.sources.length) {
    const lines = message.sources.map((s) => {
      const href = s.url && publicUrl ? new URL(s.url, publicUrl).href : undefined;
      return href ? `· <a href="${href.replaceAll('"', '%22')}">${s.title}</a>` : `· ${s.title}`;
    });
    parts.push(`${words.sources}:\n${lines.join('\n')}`);
  }
  if (message.quickReplies.length) parts.push(`${words.options}\n${message.quickReplies.map((q) => `· ${q.label}`).join('\n')}`);
  return parts.join('\n\n');
}
