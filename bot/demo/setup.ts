/** Demo mode (bot.yaml `demo.orders`): the sample orders seeded into the store and the demo orders API's routes. */
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { readBotYaml } from '../bot-config.ts';
import type { Db } from '../turn/database.ts';
import { readDemoOrders, seedDemoOrders } from './orders.ts';
import { demoOrdersRoutes } from './orders-routes.ts';

export const DEMO_API_PREFIX = '/demo/api';

/** The demo orders API to serve, or null when the bot has no demo orders. */
export async function setUpDemo(db: Db, botId: string, botDir: string): Promise<{ prefix: string; routes: FastifyPluginAsync; orders: number } | null> {
  const demo = readBotYaml(botDir).demo as { orders?: unknown } | undefined;
  if (!demo?.orders) return null;
  if (typeof demo.orders !== 'string') throw new Error(`${join(botDir, 'bot.yaml')}: demo.orders must name the sample orders file`);
  const file = readDemoOrders(join(botDir, demo.orders));
  const orders = await seedDemoOrders(db, botId, file);
  return { prefix: DEMO_API_PREFIX, routes: demoOrdersRoutes({ db, botId, returnWindowDays: file.returnWindowDays }), orders };
}
