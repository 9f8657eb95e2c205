import { describe, expect, it } from 'vitest';
import { IntentDataError, loadIntentFolder, parseAnnotations, parseIntentSources } from '../../../training/intents/dataset.ts';
import { loadHelpCenter } from '../../../bot/content/help-articles.ts';

const good = `intent: order_status
description:
  en: Where is my order
  zh: 订单在哪
examples:
  en:
    - where is my order [A12345678](order_number)
  zh:
    - 我的订单到哪了
`;

function errorOf(fn: () => unknown): IntentDataError {
  try {
    fn();
  } catch (err) {
    if (err instanceof IntentDataError) return err;
    throw err;
  }
  throw new Error('expected an IntentDataError');
}

describe('intent YAML', () => {
  it('reads examples by language with inline entity annotations', () => {
    const data = parseIntentSources([{ file: 'a.yaml', text: good }]);
    expect(data.intents.map((i) => i.name)).toEqual(['order_status']);
    expect(data.intents[0]!.description.zh).toBe('订单在哪');
    expect(data.examples).toHaveLength(2);
    expect(data.examples[0]).toMatchObject({ text: 'where is my order A12345678', locale: 'en', at: 'a.yaml:7' });
    expect(data.examples[0]!.entities).toEqual([{ type: 'order_number', value: 'A12345678', start: 18, end: 27 }]);
    expect(data.examples[1]).toMatchObject({ text: '我的订单到哪了', locale: 'zh', at: 'a.yaml:9' });
  });

  it('names the file and line of a misspelt key and suggests the right one', () => {
    const err = errorOf(() => parseIntentSources([{ file: 'intents/returns.yaml', text: 'intent: returns\nexmples:\n  - I want to return this\n' }]));
    expect(err.file).toBe('intents/returns.yaml');
    expect(err.line).toBe(2);
    expect(err.message).toContain("did you mean 'examples'");
  });

  it('names the line of a YAML syntax error and explains quoting of a leading bracket', () => {
    const err = errorOf(() => parseIntentSources([{ file: 'x.yaml', text: 'intent: stock\nexamples:\n  - is it in stock\n  - [earbuds](product) back soon\n' }]));
    expect(err.line).toBe(4);
    expect(err.message).toMatch(/^x\.yaml:4: YAML syntax/);
    expect(err.message).toContain('quotes');
  });

  it('rejects an unknown language, an empty intent and the same sentence in two intents', () => {
    expect(errorOf(() => parseIntentSources([{ file: 'l.yaml', text: 'intent: a\nexamples:\n  fr:\n    - bonjour\n' }])).line).toBe(3);
    expect(errorOf(() => parseIntentSources([{ file: 'e.yaml', text: 'intent: a\nexamples: []\n' }])).message).toContain('no examples');
    const dup = errorOf(() =>
      parseIntentSources([
        { file: 'a.yaml', text: 'intent: a\nexamples:\n  - hello there\n' },
        { file: 'b.yaml', text: 'intent: b\nexamples:\n  - Hello there\n' },
      ]),
    );
    expect(dup.message).toMatch(/^b\.yaml:3: .*also an example of 'a'/);
  });

  it('reads entity lists with synonyms', () => {
    const data = parseIntentSources([{ file: 'entities.yaml', text: 'lists:\n  product:\n    - value: smart watch\n      synonyms: [智能手表]\n    - backpack\n' }]);
    expect(data.lists.product).toEqual([
      { value: 'smart watch', synonyms: ['智能手表'] },
      { value: 'backpack', synonyms: [] },
    ]);
  });

  it('flags a broken annotation', () => {
    expect(parseAnnotations('call [me](Phone)').error).toContain('[text](type)');
  });

  it('loads the demo shop: every intent has Chinese and English examples', () => {
    const data = loadIntentFolder('examples/demo-shop/intents');
    const names = data.intents.map((i) => i.name);
    for (const name of ['order_status', 'return_item', 'refund_status', 'change_address', 'payment_problem', 'invoice_request', 'account_help', 'complaint', 'ask_human', 'greeting', 'thanks', 'goodbye', 'oos']) {
      expect(names).toContain(name);
    }
    for (const name of names) {
      const locales = new Set(data.examples.filter((e) => e.intent === name).map((e) => e.locale));
      expect([name, [...locales].sort()]).toEqual([name, ['en', 'zh']]);
    }
    expect(data.lists.product!.length).toBeGreaterThan(0);
  });

  it('the demo shop\'s intents name help topics and entries its help centre has, so their agreement counts in grounding', () => {
    const data = loadIntentFolder('examples/demo-shop/intents');
    const entries = loadHelpCenter('examples/demo-shop/knowledge').map((e) => e.id.replace(/^[a-z]+\//, ''));
    const named = data.intents.flatMap((i) => (i.answers ?? []).map((a) => ({ intent: i.name, a })));
    expect(named.length).toBeGreaterThan(10);
    const unknown = named.filter(({ a }) => !entries.some((key) => key === a || key.startsWith(`${a}#`)));
    expect(unknown).toEqual([]);
    // every question-type intent says where its answers are; small talk and out-of-scope name none
    const without = data.intents.filter((i) => !i.answers?.length).map((i) => i.name).sort();
    expect(without).toEqual(['goodbye', 'greeting', 'oos', 'thanks']);
  });
});
