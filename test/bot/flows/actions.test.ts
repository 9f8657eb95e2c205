import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createActionCaller } from '../../../bot/flows/actions.ts';
import type { ActionDefinition } from '../../../bot/flows/definition.ts';
import { startOrderSystem, type OrderSystem } from './order-system.ts';

describe('actions call the company system over HTTP and always end in an outcome', () => {
  let erp: OrderSystem;
  beforeAll(async () => (erp = await startOrderSystem()));
  afterAll(() => erp.close());
  beforeEach(() => void erp.requests.splice(0));

  const caller = () => createActionCaller(new Map([['erp', { url: erp.url + '/api', headers: { authorization: 'Bearer t0ken' } }]]), () => 'unused');
  // a generous time-out, so a loaded machine's slow first request is no failure (the time-out test sets its own)
  const action = (a: Partial<ActionDefinition>): ActionDefinition => ({ name: 'a', service: 'erp', method: 'GET', path: '/orders/{n}', timeoutMs: 5000, retries: 0, ...a });

  it('slot values are URL-encoded into the path, the service headers are sent and the JSON result is read', async () => {
    erp.answer('GET /api/orders/LM1%2F..%3Fx', 200, { status: 'shipped' });
    const r = await caller().call(action({}), { slots: { n: 'LM1/..?x' } });
    expect(r).toMatchObject({ outcome: 'ok', status: 200, result: { status: 'shipped' }, tries: 1 });
    expect(erp.requests[0]!.headers.authorization).toBe('Bearer t0ken');
  });

  it('404 is not_found, another 4xx is rejected with its body, 5xx is failed', async () => {
    erp.answer('POST /api/orders/B/returns', 422, { reason: 'window_closed' });
    erp.answer('GET /api/orders/C', 503, {});
    expect((await caller().call(action({}), { slots: { n: 'A' } })).outcome).toBe('not_found');
    expect(await caller().call(action({ method: 'POST', path: '/orders/{n}/returns' }), { slots: { n: 'B' } })).toMatchObject({ outcome: 'rejected', result: { reason: 'window_closed' } });
    expect((await caller().call(action({}), { slots: { n: 'C' } })).outcome).toBe('failed');
  });

  it('a failed idempotent call (GET, PUT) is tried again; a POST is never sent twice', async () => {
    erp.answer('GET /api/orders/D', 500);
    erp.answer('POST /api/orders/D', 500);
    expect(await caller().call(action({ retries: 2 }), { slots: { n: 'D' } })).toMatchObject({ outcome: 'failed', tries: 3 });
    expect(await caller().call(action({ retries: 2, method: 'POST' }), { slots: { n: 'D' } })).toMatchObject({ outcome: 'failed', tries: 1 });
    expect(erp.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET', 'POST']);
  });

  it('the body template is filled with slot values and sent as JSON', async () => {
    erp.answer('PUT /api/orders/E/address', 200, { address: 'x' });
    await caller().call(action({ method: 'PUT', path: '/orders/{n}/address', body: { address: '{addr}', note: 'by kefu' } }), { slots: { n: 'E', addr: '1 "Main" St' } });
    expect(JSON.parse(erp.requests[0]!.body)).toEqual({ address: '1 "Main" St', note: 'by kefu' });
  });

  it('a call that hangs ends at its time-out, and retries stop at the deadline', async () => {
    erp.answer('GET /api/orders/F', 'hang');
    const started = performance.now();
    const r = await caller().call(action({ timeoutMs: 300, retries: 5 }), { slots: { n: 'F' } }, performance.now() + 700);
    const took = performance.now() - started;
    expect(r).toMatchObject({ outcome: 'failed', status: 'timeout' });
    // two full time-outs fit before the deadline, the third try gets what is left (none on a busy machine,
    // where each try ends a little after its 300 ms); five retries would have taken 1.8 s
    expect(took).toBeGreaterThanOrEqual(600);
    expect(r.tries === 2 || r.tries === 3).toBe(true);
    expect(took).toBeLessThan(1500); // ended near the 700 ms deadline, well short of the retries' 1.8 s
  });

  it('a service that cannot be reached fails with status network', async () => {
    const dead = createActionCaller(new Map([['erp', { url: 'http://127.0.0.1:1', headers: {} }]]), () => '');
    expect(await dead.call(action({}), { slots: { n: 'G' } })).toMatchObject({ outcome: 'failed', status: 'network' });
  });
});
