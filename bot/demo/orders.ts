/**
 * The demo orders: a stand-in for a company's order system, kept in kefu's own store (demo_orders) and
 * seeded from the demo bot's `demo/orders.yaml` at start (days counted back from today). The demo orders
 * API (orders-routes.ts) reads and changes them; kefu's flows reach it over HTTP like any company API.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Db, Queryable } from '../turn/database.ts';
import type { Locale } from '../turn/types.ts';

export type OrderStatus = 'pending' | 'shipped' | 'delivered' | 'cancelled';

export interface DemoOrder {
  number: string;
  status: OrderStatus;
  placedAt: Date;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  eta: string | null;
  carrier: Record<Locale, string> | null;
  tracking: string | null;
  item: Record<Locale, string>;
  address: string;
  returnId: string | null;
  simulate: 'fail' | 'hang' | null;
}

export interface DemoOrdersFile {
  returnWindowDays: number;
  orders: Record<string, unknown>[];
}

const DAY = 86_400_000;

/** Reads the sample orders file; mistakes name the order. */
export function readDemoOrders(file: string): DemoOrdersFile {
  const data = parse(readFileSync(file, 'utf8')) as Partial<DemoOrdersFile> | null;
  if (!data || !Array.isArray(data.orders)) throw new Error(`${file}: expected 'orders:' with a list of sample orders`);
  if (typeof data.returnWindowDays !== 'number') throw new Error(`${file}: expected 'returnWindowDays:' (the help centre's return window)`);
  for (const [i, o] of data.orders.entries()) {
    if (typeof o.number !== 'string' || !/^LM\d{12}$/.test(o.number)) throw new Error(`${file}: order ${i + 1}: number must be LM and 12 digits`);
    if (!['pending', 'shipped', 'delivered', 'cancelled'].includes(String(o.status))) throw new Error(`${file}: order ${o.number}: unknown status '${String(o.status)}'`);
  }
  return data as DemoOrdersFile;
}

/** Puts the sample orders in the store afresh (a demo starts from its file every time). */
export async function seedDemoOrders(db: Db, botId: string, file: DemoOrdersFile, today = new Date()): Promise<number> {
  const ago = (days: unknown) => (typeof days === 'number' ? new Date(today.getTime() - days * DAY) : null);
  await db.transaction(async (tx) => {
    await tx.query('delete from demo_orders where bot_id = $1', [botId]);
    for (const o of file.orders) {
      const eta = typeof o.etaInDays === 'number' ? new Date(today.getTime() + o.etaInDays * DAY).toISOString().slice(0, 10) : null;
      await tx.query(
        `insert into demo_orders (bot_id, number, status, placed_at, shipped_at, delivered_at, eta, carrier, tracking, item, address, simulate)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10::jsonb, $11, $12)`,
        [botId, o.number, o.status, ago(o.placedDaysAgo), ago(o.shippedDaysAgo), ago(o.deliveredDaysAgo), eta, o.carrier ? JSON.stringify(o.carrier) : null, o.tracking ?? null, JSON.stringify(o.item), o.address, o.simulate ?? null],
      );
    }
  });
  return file.orders.length;
}

interface Row {
  number: string;
  status: OrderStatus;
  placed_at: Date | string;
  shipped_at: Date | string | null;
  delivered_at: Date | string | null;
  eta: Date | string | null;
  carrier: Record<Locale, string> | null;
  tracking: string | null;
  item: Record<Locale, string>;
  address: string;
  return_id: string | null;
  simulate: 'fail' | 'hang' | null;
}

const date = (v: Date | string | null) => (v === null ? null : new Date(v));

export async function getDemoOrder(db: Queryable, botId: string, number: string): Promise<DemoOrder | null> {
  const [r] = await db.query<Row>('select * from demo_orders where bot_id = $1 and number = $2', [botId, number]);
  if (!r) return null;
  const eta = r.eta === null ? null : typeof r.eta === 'string' ? r.eta.slice(0, 10) : r.eta.toISOString().slice(0, 10);
  return { number: r.number, status: r.status, placedAt: new Date(r.placed_at), shippedAt: date(r.shipped_at), deliveredAt: date(r.delivered_at), eta, carrier: r.carrier, tracking: r.tracking, item: r.item, address: r.address, returnId: r.return_id, simulate: r.simulate };
}

/** Changes the address of an order not yet dispatched; false when it has left the warehouse. */
export async function changeDemoAddress(db: Queryable, botId: string, number: string, address: string): Promise<boolean> {
  const rows = await db.query("update demo_orders set address = $3 where bot_id = $1 and number = $2 and status = 'pending' returning number", [botId, number, address]);
  return rows.length > 0;
}

/** Opens a return (once: asking again gives the same return number). */
export async function openDemoReturn(db: Queryable, botId: string, number: string): Promise<string> {
  const [row] = await db.query<{ return_id: string }>(
    "update demo_orders set return_id = coalesce(return_id, 'RT' || substr(number, 3)) where bot_id = $1 and number = $2 returning return_id",
    [botId, number],
  );
  return row!.return_id;
}

/** Whole days since the order was delivered. */
export const daysSince = (at: Date, now = new Date()) => Math.floor((now.getTime() - at.getTime()) / DAY);
