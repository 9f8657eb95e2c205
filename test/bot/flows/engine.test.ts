import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActionCaller } from '../../../bot/flows/actions.ts';
import { createEngine, type FlowInput, type FlowState } from '../../../bot/flows/engine.ts';
import { readFlow } from '../../../bot/flows/load.ts';
import { loadFlowMessages } from '../../../bot/flows/messages.ts';
import type { FlowDefinition } from '../../../bot/flows/definition.ts';
import { extractEntities } from '../../../bot/intents/entities.ts';
import type { Locale } from '../../../bot/turn/types.ts';
import { startOrderSystem, type OrderSystem } from './order-system.ts';

const RETURN_FLOW = `flow: start_return
title: { en: Start a return, zh: 申请退货 }
intents: [return_item]
slots:
  order_number:
    entity: order_number
    pattern: '^LM\\d{12}$'
    maxAttempts: 2
    ask: { en: "Order number?", zh: "订单号？" }
    invalid: { en: "Not one of ours.", zh: "不是我们的订单号。" }
  reason:
    minLength: 4
    ask: { en: "Why?", zh: "原因？" }
    invalid: { en: "A few more words please.", zh: "请多说几个字。" }
actions:
  get_order:
    service: erp
    path: /orders/{order_number}
  open_return:
    service: erp
    method: POST
    path: /orders/{order_number}/returns
    body: { reason: "{reason}" }
steps:
  - ask: order_number
  - call: get_order
    not_found:
      - reply: { en: "No order {order_number}.", zh: "没有订单 {order_number}。" }
      - ask_again: order_number
  - branch: result.status
    cases:
      delivered: []
    else:
      - end: { en: "Not delivered yet ({result.status}).", zh: "还没签收（{result.status}）。" }
  - ask: reason
  - confirm: { en: "Return the {result.item} of {order_number}?", zh: "退订单 {order_number} 的{result.item}？" }
  - call: open_return
    rejected:
      - end: { en: "Too late: {result.days} days.", zh: "超期：{result.days} 天。" }
  - reply: { en: "Return {result.returnId} is open.", zh: "退货 {result.returnId} 已提交。" }
`;

const A = 'LM202611200008';
const B = 'LM202611280043';

describe('the flow engine', () => {
  let erp: OrderSystem;
  let flow: FlowDefinition;
  beforeAll(async () => {
    erp = await startOrderSystem();
    const problems: string[] = [];
    flow = readFlow('return.yaml', RETURN_FLOW, { intents: ['return_item'], entityTypes: ['order_number'], settings: {}, services: new Map([['erp', { url: erp.url, headers: {} }]]) }, problems)!;
    expect(problems).toEqual([]);
  });
  afterAll(() => erp.close());
  beforeEach(() => {
    erp.requests.splice(0);
    erp.answer(`GET /orders/${A}`, 200, { status: 'delivered', item: 'running shoes' });
    erp.answer(`GET /orders/${B}`, 200, { status: 'delivered', item: 'smart watch' });
    erp.answer(`POST /orders/${A}/returns`, 200, { returnId: 'RT1' });
    erp.answer(`POST /orders/${B}/returns`, 422, { reason: 'window_closed', days: 30 });
  });

  const engine = () =>
    createEngine({
      actions: createActionCaller(new Map([['erp', { url: erp.url, headers: {} }]]), () => ''),
      messages: loadFlowMessages(),
      humanButton: (locale) => ({ label: locale === 'zh' ? '转人工' : 'Talk to a person', payload: 'human' }),
    });
  const say = (text: string, locale: Locale = 'en', payload?: string): FlowInput => ({ text, locale, entities: extractEntities(text), ...(payload ? { payload } : {}) });

  /** Starts the flow and answers each message in turn; the last step's result. */
  async function converse(first: string, ...answers: (string | FlowInput)[]) {
    const e = engine();
    let step = await e.start(flow, say(first), []);
    const seen = [step];
    for (const a of answers) {
      step = await e.continue(flow, step.state as FlowState, typeof a === 'string' ? say(a) : a);
      seen.push(step);
    }
    return { step, seen, text: step.replies.map((r) => r.text).join(' | ') };
  }

  it('collects the slots, confirms, calls the action with them and replies with its result', async () => {
    const { step, seen, text } = await converse(`I want to return ${A}`, 'they are too small', 'yes');
    expect(seen.map((s) => s.status)).toEqual(['waiting', 'waiting', 'done']);
    expect(seen[1]!.replies[0]!.text).toBe(`Return the running shoes of ${A}?`);
    expect(seen[1]!.replies[0]!.quickReplies.map((q) => q.payload)).toEqual(['flow:yes', 'flow:no']);
    expect(text).toBe('Return RT1 is open.');
    expect(step.slots).toEqual({ order_number: A, reason: 'they are too small' });
    expect(JSON.parse(erp.requests.at(-1)!.body)).toEqual({ reason: 'they are too small' });
  });

  it('asks again in the customer’s language when an answer does not fit, and offers a person after the last attempt', async () => {
    const e = engine();
    const start = await e.start(flow, say('我想退货', 'zh'), []);
    expect(start.replies[0]!.text).toBe('订单号？');
    const once = await e.continue(flow, start.state!, say('不知道', 'zh'));
    expect(once).toMatchObject({ status: 'waiting' });
    expect(once.replies[0]!.text).toBe('不是我们的订单号。\n订单号？');
    const twice = await e.continue(flow, once.state!, say('LM123', 'zh'));
    expect(twice.status).toBe('failed');
    expect(twice.replies[0]!.quickReplies).toEqual([{ label: '转人工', payload: 'human' }]);
  });

  it('an order that is not found is reported and asked for again; its slot is cleared', async () => {
    const { step, text } = await converse('I want to return LM209900000000');
    expect(step.status).toBe('waiting');
    expect(text).toBe('No order LM209900000000. | Order number?');
    expect(step.slots).toEqual({});
  });

  it('branches on the result: an order not delivered ends the flow with its status', async () => {
    erp.answer(`GET /orders/${A}`, 200, { status: 'shipped', item: 'running shoes' });
    const { step, text } = await converse(`return ${A}`);
    expect(step).toMatchObject({ status: 'done', state: null });
    expect(text).toBe('Not delivered yet (shipped).');
  });

  it('a rejected action takes its handler: past the window', async () => {
    const { step, text } = await converse(`return ${B}`, 'changed my mind', { text: 'Yes', locale: 'en', entities: [], payload: 'flow:yes' });
    expect(step.status).toBe('done');
    expect(text).toBe('Too late: 30 days.');
  });

  it('a correction at the confirmation runs the flow again from the order number: looked up again, confirmed again, later answers kept', async () => {
    const { step, seen } = await converse(`return ${B}`, 'wrong size', `no, it's ${A}`);
    expect(seen[2]!.corrected).toEqual(['order_number']);
    expect(step.status).toBe('waiting');
    expect(step.replies.map((r) => r.text)).toEqual(['Updated.', `Return the running shoes of ${A}?`]);
    expect(step.slots).toEqual({ order_number: A, reason: 'wrong size' });
    expect(erp.requests.filter((r) => r.method === 'GET').map((r) => r.path)).toEqual([`/orders/${B}`, `/orders/${A}`]);
  });

  it('no at the confirmation changes nothing; cancel words and the cancel button leave the flow', async () => {
    expect((await converse(`return ${A}`, 'wrong size', 'no')).step).toMatchObject({ status: 'cancelled', state: null });
    expect((await converse('I want to return something', 'never mind')).step.status).toBe('cancelled');
    expect((await converse('I want to return something', say('算了', 'zh'))).step.status).toBe('cancelled');
    expect((await converse('I want to return something', { text: 'Cancel', locale: 'en', entities: [], payload: 'flow:cancel' })).step.status).toBe('cancelled');
    expect(erp.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('a question while the flow waits is a digression: the state stays as it was', async () => {
    const e = engine();
    const waiting = await e.start(flow, say('I want to return something'), []);
    const asked = await e.continue(flow, waiting.state!, say('how long does a refund take?'));
    expect(asked).toMatchObject({ status: 'digression', state: waiting.state, replies: [] });
    expect(e.prompt(flow, waiting.state!, 'zh').text).toBe('订单号？');
  });

  it('an order number said earlier fills the slot when the flow starts', async () => {
    const step = await engine().start(flow, say('I want to return something'), extractEntities(`my order ${A} arrived`));
    expect(step.slots.order_number).toBe(A);
    expect(step.replies[0]!.text).toBe('Why?');
  });

  it('an action that fails without a handler apologises and offers a person', async () => {
    erp.answer(`GET /orders/${A}`, 500);
    const { step } = await converse(`return ${A}`);
    expect(step.status).toBe('failed');
    expect(step.replies[0]!.text).toMatch(/^Sorry/);
    expect(step.replies[0]!.quickReplies[0]!.payload).toBe('human');
  });
});
