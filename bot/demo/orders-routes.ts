/**
 * The demo orders API, served by kefu in demo mode under /demo/api (bot.yaml `demo.orders`), speaking
 * JSON like a company's own order system:
 *   GET  /orders/:number           the order (404 when there is none)
 *   PUT  /orders/:number/address   {address} → the new address; 409 {reason: 'dispatched'} once it has left
 *   POST /orders/:number/returns   → {returnId}; 409 {reason: 'not_delivered'}; 422 {reason: 'window_closed', days}
 * An order seeded with `simulate: fail` answers 500; with `simulate: hang` it answers only when the caller gives up.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../turn/database.ts';
import { changeDemoAddress, daysSince, getDemoOrder, openDemoReturn, type DemoOrder } from './orders.ts';

export interface DemoOrdersDeps {
  db: Db;
  botId: string;
  returnWindowDays: number;
  /** The longest a `hang` order keeps a request open (a caller that never gives up still gets an answer). */
  hangMs?: number;
  now?: () => Date;
}

type Params = { Params: { number: string } };

export function demoOrdersRoutes(deps: DemoOrdersDeps): FastifyPluginAsync {
  const { db, botId } = deps;

  /** The order, or the misbehaviour it was seeded with, or 404; null when the reply was sent. */
  async function orderOf(req: FastifyRequest<Params>, reply: FastifyReply): Promise<DemoOrder | null> {
    const order = await getDemoOrder(db, botId, req.params.number.toUpperCase());
    if (!order) {
      reply.code(404).send({ error: 'not_found' });
      return null;
    }
    if (order.simulate === 'fail') {
      reply.code(500).send({ error: 'order system unavailable' });
      return null;
    }
    if (order.simulate === 'hang') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deps.hangMs ?? 30_000);
        req.raw.once('close', () => (clearTimeout(timer), resolve()));
      });
      reply.code(504).send({ error: 'order system timed out' });
      return null;
    }
    return order;
  }

  const view = (o: DemoOrder) => ({
    number: o.number,
    status: o.status,
    placedAt: o.placedAt.toISOString().slice(0, 10),
    shippedAt: o.shippedAt?.toISOString().slice(0, 10) ?? null,
    deliveredAt: o.deliveredAt?.toISOString().slice(0, 10) ?? null,
    eta: o.eta,
    carrier: o.carrier,
    tracking: o.tracking,
    item: o.item,
    address: o.address,
    returnId: o.returnId,
  });

  return async (app) => {
    app.get<Params>('/orders/:number', async (req, reply) => {
      const order = await orderOf(req, reply);
      return order ? view(order) : reply;
    });

    app.put<Params & { Body: { address?: unknown } }>('/orders/:number/address', async (req, reply) => {
      const address = typeof req.body?.address === 'string' ? req.body.address.trim() : '';
      if (address.length < 5 || address.length > 300) return reply.code(400).send({ error: 'address must be 5 to 300 characters' });
      const order = await orderOf(req, reply);
      if (!order) return reply;
      if (!(await changeDemoAddress(db, botId, order.number, address))) return reply.code(409).send({ reason: 'dispatched', status: order.status });
      return view({ ...order, address });
    });

    app.post<Params>('/orders/:number/returns', async (req, reply) => {
      const order = await orderOf(req, reply);
      if (!order) return reply;
      if (order.status !== 'delivered' || !order.deliveredAt) return reply.code(409).send({ reason: 'not_delivered', status: order.status });
      const days = daysSince(order.deliveredAt, deps.now?.());
      if (days > deps.returnWindowDays) return reply.code(422).send({ reason: 'window_closed', days, windowDays: deps.returnWindowDays });
      return { returnId: await openDemoReturn(db, botId, order.number), days, windowDays: deps.returnWindowDays };
    });
  };
}
