import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../../bot/intents/entities.ts';

const today = new Date('2026-11-28T09:00:00Z');
const lists = { product: [{ value: 'wireless earbuds', synonyms: ['无线耳机', 'earbuds'] }] };
const of = (text: string) => extractEntities(text, { lists, today }).map((e) => [e.type, e.value, text.slice(e.start, e.end)]);

describe('entities', () => {
  it('finds order numbers with and without a prefix, in both languages', () => {
    expect(of('order #88812345 is late')).toContainEqual(['order_number', '88812345', '88812345']);
    expect(of('我的订单号是KF12345678')).toContainEqual(['order_number', 'KF12345678', 'KF12345678']);
    expect(of('where is a20261128?')).toContainEqual(['order_number', 'A20261128', 'a20261128']);
  });

  it('finds Chinese mobile and international phone numbers', () => {
    expect(of('手机 138-1234-5678')).toContainEqual(['phone', '13812345678', '138-1234-5678']);
    expect(of('call +86 13812345678')).toContainEqual(['phone', '+8613812345678', '+86 13812345678']);
    expect(of('ring +44 20 7946 0958 please')).toContainEqual(['phone', '+442079460958', '+44 20 7946 0958']);
  });

  it('finds emails whole (not the digits inside them)', () => {
    expect(of('mail a1234567@shop.example.com')).toEqual([['email', 'a1234567@shop.example.com', 'a1234567@shop.example.com']]);
  });

  it('finds amounts with currency symbols and words', () => {
    expect(of('charged ¥299 twice')).toContainEqual(['amount', '299 CNY', '¥299']);
    expect(of('退了12.5元')).toContainEqual(['amount', '12.5 CNY', '12.5元']);
    expect(of('only $25.99 back')).toContainEqual(['amount', '25.99 USD', '$25.99']);
    expect(of('it cost 40 euros')).toContainEqual(['amount', '40 EUR', '40 euros']);
  });

  it('finds dates: ISO, Chinese, English month names, and relative days', () => {
    expect(of('ordered 2026-11-28')).toContainEqual(['date', '2026-11-28', '2026-11-28']);
    expect(of('12月3日送到')).toContainEqual(['date', '2026-12-03', '12月3日']);
    expect(of('arrives Dec 3rd')).toContainEqual(['date', '2026-12-03', 'Dec 3rd']);
    expect(of('明天能到吗')).toContainEqual(['date', '2026-11-29', '明天']);
    expect(of('can it come tomorrow')).toContainEqual(['date', '2026-11-29', 'tomorrow']);
    expect(of('on 2026-02-30')).toEqual([]);
  });

  it('finds configured product names by value or synonym, as whole words', () => {
    expect(of('my 无线耳机 broke')).toContainEqual(['product', 'wireless earbuds', '无线耳机']);
    expect(of('The Wireless Earbuds are silent')).toContainEqual(['product', 'wireless earbuds', 'Wireless Earbuds']);
    expect(of('searbudsy')).toEqual([]);
  });

  it('survives empty, emoji-only and very long input', () => {
    expect(of('')).toEqual([]);
    expect(of('😀🎉')).toEqual([]);
    expect(Array.isArray(extractEntities('A1234567 '.repeat(2000)))).toBe(true);
  });
});

describe('entities annotated in the demo shop YAML', () => {
  it('are all found by the extractor at the annotated span', async () => {
    const { loadIntentFolder } = await import('../../../training/intents/dataset.ts');
    const data = loadIntentFolder('examples/demo-shop/intents');
    const annotated = data.examples.flatMap((e) => (e.entities ?? []).map((a) => ({ e, a })));
    expect(annotated.length).toBeGreaterThan(5);
    for (const { e, a } of annotated) {
      const found = extractEntities(e.text, { lists: data.lists, today }).map((f) => `${f.type}@${f.start}-${f.end}`);
      expect([e.at, found]).toEqual([e.at, expect.arrayContaining([`${a.type}@${a.start}-${a.end}`])]);
    }
  });
});
