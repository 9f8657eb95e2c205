import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrdersRoutes } from '../../../bot/demo/orders-routes.ts';
import { readDemoOrders, seedDemoOrders } from '../../../bot/demo/orders.ts';
import { migrate } from '../../../bot/store/migrate.ts';
import { openPglite } from '../../../bot/store/pglite.ts';
import type { Db } from '../../../bot/turn/database.ts';

describe('the demo orders API (demo mode)', () => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await openPglite();
    await migrate(db);
    const file = readDemoOrders('examples/demo-shop/demo/orders.yaml');
    await seedDemoOrders(db, 'demo-shop', file, new Date('2026-12-01T08:00:00Z'));
    app = Fastify();
    await app.register(demoOrdersRoutes({ db, botId: 'demo-shop', returnWindowDays: file.returnWindowDays, hangMs: 50, now: () => new Date('2026-12-01T08:00:00Z') }), { prefix: '/demo/api' });
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const call = (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) => app.inject({ method, url: `/demo/api${url}`, ...(payload ? { payload } : {}) });

  it('shows a seeded order with its dates counted back from the seeding day, and 404 for an unknown one', async () => {
    const res = await call('GET', '/orders/LM202611280042');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ number: 'LM202611280042', status: 'shipped', shippedAt: '2026-11-29', eta: '2026-12-02', carrier: { en: 'SF Express', zh: '顺丰速运' } });
    expect((await call('GET', '/orders/LM209900000000')).statusCode).toBe(404);
  });

  it('changes the address only before dispatch', async () => {
    const changed = await call('PUT', '/orders/LM202611300017/address', { address: '9 Nathan Road, Kowloon' });
    expect(changed.json()).toMatchObject({ address: '9 Nathan Road, Kowloon' });
    expect((await call('GET', '/orders/LM202611300017')).json().address).toBe('9 Nathan Road, Kowloon');
    const refused = await call('PUT', '/orders/LM202611280042/address', { address: '9 Nathan Road, Kowloon' });
    expect([refused.statusCode, refused.json()]).toEqual([409, { reason: 'dispatched', status: 'shipped' }]);
    expect((await call('PUT', '/orders/LM202611300017/address', { address: 'x' })).statusCode).toBe(400);
  });

  it('opens a return within the 15-day window once, and refuses one too late or not yet delivered', async () => {
    const opened = await call('POST', '/orders/LM202611200008/returns');
    expect(opened.json()).toEqual({ returnId: 'RT202611200008', days: 5, windowDays: 15 });
    expect((await call('POST', '/orders/LM202611200008/returns')).json().returnId).toBe('RT202611200008');
    const late = await call('POST', '/orders/LM202610250031/returns');
    expect([late.statusCode, late.json()]).toEqual([422, { reason: 'window_closed', days: 30, windowDays: 15 }]);
    expect((await call('POST', '/orders/LM202611280042/returns')).statusCode).toBe(409);
  });

  it('misbehaves as seeded: 500 for one order, no answer (until it gives up) for another', async () => {
    expect((await call('GET', '/orders/LM202611290500')).statusCode).toBe(500);
    expect((await call('GET', '/orders/LM202611290504')).statusCode).toBe(504);
  });
});
