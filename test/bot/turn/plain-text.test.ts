import { describe, expect, it } from 'vitest';
import { plainMessageText, plainText } from '../../../bot/turn/plain-text.ts';

describe('plainText', () => {
  it('turns a pipe table into one line per row, each cell named by its header', () => {
    const markdown = [
      'Shipping fees:',
      '',
      '| Destination | Fee | Free when the order is |',
      '|---|:---:|---:|',
      '| Mainland China, standard | ¥8 | ¥99 or more |',
      '| Express (next day, major cities) | **¥18** | never free |',
      '',
      'The threshold is checked against what you actually pay.',
    ].join('\n');
    expect(plainText(markdown)).toBe([
      'Shipping fees:',
      '',
      'Destination: Mainland China, standard · Fee: ¥8 · Free when the order is: ¥99 or more',
      'Destination: Express (next day, major cities) · Fee: ¥18 · Free when the order is: never free',
      '',
      'The threshold is checked against what you actually pay.',
    ].join('\n'));
  });

  it('reads Chinese tables, tables without outer pipes, escaped pipes and short rows', () => {
    expect(plainText('| 收货地区 | 运费 |\n|---|---|\n| 中国大陆 | ¥8 |\n| 海外 | ¥60 起 |')).toBe('收货地区: 中国大陆 · 运费: ¥8\n收货地区: 海外 · 运费: ¥60 起');
    expect(plainText('Plan | Price\n--- | ---\nA \\| B | 5')).toBe('Plan: A | B · Price: 5');
    expect(plainText('| a | b | c |\n|---|---|---|\n| 1 |')).toBe('a: 1');
    expect(plainText('| a | b |\n|---|---|\n| 1 | 2 |\nafter')).toBe('a: 1 · b: 2\nafter');
  });

  it('removes bold marks and leaves all other text as it is', () => {
    expect(plainText('Standard delivery takes **3–5 business days**.\n- one | two\n* star')).toBe(
      'Standard delivery takes 3–5 business days.\n- one | two\n* star',
    );
    expect(plainText('2 * 3 ** 2 = 18, a|b and a lone ** stay')).toBe('2 * 3 ** 2 = 18, a|b and a lone ** stay');
    expect(plainText('')).toBe('');
  });

  it('does not take a line with pipes for a table without a delimiter row of the same width', () => {
    const text = '| a | b |\n|---|\n| 1 | 2 |';
    expect(plainText(text)).toBe(text);
  });
});

describe('plainMessageText', () => {
  it("starts an agent's message with the agent's name, in the message's language", () => {
    expect(plainMessageText({ text: 'Your refund is on its way.', author: 'agent', authorName: 'Li Wei' })).toBe('Li Wei: Your refund is on its way.');
    expect(plainMessageText({ text: '退款已经在路上了。', author: 'agent', authorName: '李伟' })).toBe('李伟：退款已经在路上了。');
  });

  it("leaves the bot's messages and an unnamed agent's message as plain text", () => {
    expect(plainMessageText({ text: 'Delivery takes **3 days**.', author: 'bot' })).toBe('Delivery takes 3 days.');
    expect(plainMessageText({ text: 'Hello', author: 'agent' })).toBe('Hello');
  });
});
