import { describe, expect, it } from 'vitest';
import { wechatText } from '../../../../adapters/common/wechat-text.ts';
import type { StoredMessage } from '../../../../bot/turn/types.ts';
import { readWechatText } from './wechat-reading.ts';

const message = (text: string, labels: string[]): StoredMessage => ({
  id: 1,
  conversationId: 'c',
  direction: 'out',
  author: 'bot',
  text,
  sources: [{ title: 'Shipping', url: '/help/en/shipping' }],
  quickReplies: labels.map((label) => ({ label, payload: `p:${label}` })),
  createdAt: new Date(),
});

describe('a customer reading a WeChat message', () => {
  it('sees the labels kefu lists under its answer, in either language, and no label where there is none', () => {
    for (const [text, labels] of [
      ['Where is your order?', ['Track an order', 'Talk to a person']],
      ['您的订单到哪了？', ['查询订单', '转人工']],
      ['No buttons here.', []],
    ] as const) {
      const read = readWechatText(wechatText(message(text, [...labels]), 'en', { links: 'address', publicUrl: 'https://shop.example' }));
      expect(read.text).toContain(text);
      expect(read.buttons.map((b) => b.label)).toEqual(labels);
    }
  });
});
