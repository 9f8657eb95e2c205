import type { Locale } from '../../bot/turn/types.ts';

/** Texts the web channel itself says to a customer, in both languages. */
export const NOTICES = {
  slow_down: {
    en: "You're sending messages quickly — I'll answer each one in order, please give me a moment.",
    zh: '您发送得有点快，我会按顺序逐条回复，请稍等片刻。',
  },
  flooding: {
    en: 'Too many messages are waiting for an answer. Please wait a few seconds before sending more.',
    zh: '待回复的消息太多了，请稍等几秒再发送。',
  },
} satisfies Record<string, Record<Locale, string>>;
