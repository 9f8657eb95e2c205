/** One WeChat text for the Official Account and personal chats: only how a source's address is written differs. */
import { describe, expect, it } from 'vitest';
import { wechatText } from '../../../adapters/common/wechat-text.ts';
import type { StoredMessage } from '../../../bot/turn/types.ts';

const message = (text: string, extra: Partial<StoredMessage> = {}): StoredMessage =>
  ({ id: 1, conversationId: 'c', direction: 'out', author: 'bot', text, sources: [], quickReplies: [], createdAt: new Date(0).toISOString(), ...extra }) as StoredMessage;

describe('WeChat text', () => {
  const answer = message('| fee | days |\n|---|---|\n| **free** | 3 |', {
    sources: [{ title: 'Shipping "fees"', url: '/help/en/shipping#fees' }],
    quickReplies: [{ label: 'Returns', payload: 'entry:returns' }],
  });

  it('writes tables as lines and bold as text, sources and quick replies under it, labelled in the message\'s language', () => {
    const text = wechatText(answer, 'zh', { links: 'address' });
    expect(text).not.toMatch(/\*\*|\|---/);
    expect(text).toContain('free');
    expect(text).toMatch(/Sources:\n· Shipping "fees"\n\nYou can reply:\n· Returns$/);
    expect(wechatText(message('运费是多少？', { quickReplies: [{ label: '退货', payload: 'p' }] }), 'en', { links: 'address' })).toBe('运费是多少？\n\n您可以回复：\n· 退货');
  });

  it('links a source as an <a> on the Official Account and as its address in a chat, when kefu knows its public address', () => {
    expect(wechatText(answer, 'en', { links: 'anchor', publicUrl: 'https://shop.example' })).toContain('· <a href="https://shop.example/help/en/shipping#fees">Shipping "fees"</a>');
    expect(wechatText(answer, 'en', { links: 'address', publicUrl: 'https://shop.example' })).toContain('· Shipping "fees" https://shop.example/help/en/shipping#fees');
  });
});
