import { describe, expect, it } from 'vitest';
import { FlowFileError, loadFlows, readFlow } from '../../../bot/flows/load.ts';
import { ACTION_OUTCOMES } from '../../../bot/flows/definition.ts';
import { entityTypes } from '../../../bot/intents/entities.ts';
import { readBotYaml } from '../../../bot/bot-config.ts';
import type { ServiceDefinition } from '../../../bot/flows/definition.ts';

const ctx = {
  intents: ['order_status', 'return_item'],
  entityTypes: entityTypes(),
  settings: {},
  services: new Map<string, ServiceDefinition>([['orders', { url: 'https://orders.example.com', headers: {} }]]),
};

const GOOD = `flow: track_order
title: { en: Track an order, zh: 查询订单 }
intents: [order_status]
slots:
  order_number:
    entity: order_number
    pattern: '^LM\\d{12}$'
    ask: { en: "Order number?", zh: "订单号？" }
    invalid: { en: "Not an order number.", zh: "不是订单号。" }
actions:
  get_order:
    service: orders
    path: /orders/{order_number}
steps:
  - ask: order_number
  - call: get_order
  - reply: { en: "It is {result.status}.", zh: "状态：{result.status}。" }
`;

function problemsOf(text: string): string[] {
  const problems: string[] = [];
  readFlow('flows/track.yaml', text, ctx, problems);
  return problems;
}

describe('flow files are checked at load', () => {
  it('a correct flow compiles into a program that waits at its ask step and ends', () => {
    const problems: string[] = [];
    const flow = readFlow('flows/track.yaml', GOOD, ctx, problems);
    expect(problems).toEqual([]);
    expect(flow!.program.map((o) => o.op)).toEqual(['ask', 'call', 'reply', 'end']);
    expect(flow!.actions.get('get_order')).toMatchObject({ method: 'GET', retries: 0, timeoutMs: 2000 });
  });

  it('an unknown slot in a reply is refused with the file, the line and the slot', () => {
    const text = GOOD.replace('It is {result.status}.', 'Order {order_id} is {result.status}.');
    expect(problemsOf(text)).toEqual([expect.stringMatching(/^flows\/track\.yaml:17: reply: unknown slot '\{order_id\}'/)]);
  });

  it('an unknown slot in an ask step is refused with its line', () => {
    expect(problemsOf(GOOD.replace('- ask: order_number', '- ask: order_id'))).toEqual([expect.stringMatching(/^flows\/track\.yaml:15: ask: unknown slot 'order_id'/)]);
  });

  it('an unknown intent is refused with its line and the intents the bot has', () => {
    expect(problemsOf(GOOD.replace('intents: [order_status]', 'intents: [where_is_it]'))).toEqual([expect.stringMatching(/^flows\/track\.yaml:3: unknown intent 'where_is_it' \(the bot's intents: order_status, return_item\)/)]);
  });

  it('a URL template naming an unknown slot, with unbalanced braces, or not a path is refused with its line', () => {
    expect(problemsOf(GOOD.replace('/orders/{order_number}', '/orders/{order_no}'))).toEqual([expect.stringMatching(/^flows\/track\.yaml:13: action 'get_order': bad URL template: unknown slot '\{order_no\}'/)]);
    expect(problemsOf(GOOD.replace('/orders/{order_number}', '/orders/{order_number'))).toEqual([expect.stringMatching(/^flows\/track\.yaml:13: action 'get_order': bad URL template: unbalanced/)]);
    expect(problemsOf(GOOD.replace('/orders/{order_number}', 'https://evil.example/{order_number}'))).toEqual([expect.stringMatching(/^flows\/track\.yaml:13: action 'get_order': bad URL template/)]);
  });

  it('a result field in a URL template is refused: only slots go into URLs', () => {
    expect(problemsOf(GOOD.replace('/orders/{order_number}', '/orders/{result.id}'))).toEqual([expect.stringMatching(/:13: .*unknown slot '\{result\.id\}'/)]);
  });

  it('a missing language, an unknown step, action or service, and a bad pattern are each refused with their lines', () => {
    const text = GOOD.replace('ask: { en: "Order number?", zh: "订单号？" }', 'ask: { en: "Order number?" }')
      .replace("pattern: '^LM\\d{12}$'", () => "pattern: '^LM(\\d{12}$'")
      .replace('service: orders', 'service: erp')
      .replace('- call: get_order', '- call: get_order_status')
      .replace('- reply:', '- say:');
    const problems = problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/:7: slot 'order_number': pattern is not a regular expression/),
        expect.stringMatching(/:8: slot 'order_number': ask needs both en and zh/),
        expect.stringMatching(/:12: action 'get_order': unknown service 'erp'/),
        expect.stringMatching(/:16: call: unknown action 'get_order_status'/),
        expect.stringMatching(/:17: unknown step 'say'/),
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it('a YAML syntax error is refused with its line', () => {
    expect(problemsOf(GOOD.replace('steps:\n', 'steps:\n  - ask: [\n'))).toEqual([expect.stringMatching(/^flows\/track\.yaml:1[5-9]: /)]);
  });

  it("a call's outcome handlers are compiled so that success without a handler goes on and other outcomes jump to theirs", () => {
    const problems: string[] = [];
    const text = GOOD.replace('  - call: get_order\n', '  - call: get_order\n    not_found:\n      - reply: { en: "None.", zh: "没有。" }\n      - ask_again: order_number\n');
    const flow = readFlow('f.yaml', text, ctx, problems)!;
    expect(problems).toEqual([]);
    const call = flow.program[1] as { op: 'call'; on: Record<string, number> };
    expect(flow.program[call.on.not_found!]).toMatchObject({ op: 'reply' });
    expect(flow.program[call.on.ok!]).toMatchObject({ op: 'reply', text: { en: 'It is {result.status}.' } });
    expect(call.on.failed).toBeUndefined();
    expect(ACTION_OUTCOMES).toContain('rejected');
  });

  it('services come from bot.yaml: headers read secrets from the environment, and a missing secret is refused', () => {
    const settings = { services: { orders: { url: 'https://erp.example.com/api/', headers: { Authorization: 'Bearer {env:ERP_TOKEN}' } } } };
    const book = loadFlows('/nonexistent-bot', { intents: [], entityTypes: [], settings, env: { ERP_TOKEN: 's3cret' } });
    expect(book.services.get('orders')).toEqual({ url: 'https://erp.example.com/api', headers: { authorization: 'Bearer s3cret' } });
    expect(() => loadFlows('/nonexistent-bot', { intents: [], entityTypes: [], settings, env: {} })).toThrow(/flows\.services\.orders\.headers\.Authorization: the environment variable ERP_TOKEN is not set/);
    expect(() => loadFlows('/nonexistent-bot', { intents: [], entityTypes: [], settings: { services: { orders: { url: 'ftp://x' } } } })).toThrow(FlowFileError);
  });

  it("the demo shop's flows load against its intents and services", () => {
    const intents = ['order_status', 'change_address', 'return_item'];
    const book = loadFlows('examples/demo-shop', { intents, entityTypes: entityTypes(), settings: readBotYaml('examples/demo-shop').flows });
    expect(book.flows.map((f) => f.name).sort()).toEqual(['change_address', 'start_return', 'track_order']);
    expect(book.services.get('orders')!.url).toBe('self/demo/api');
  });
});
