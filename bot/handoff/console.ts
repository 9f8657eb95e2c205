/**
 * The agent console as one fastify plugin under `/console`: its page and script (web/agent/), the
 * sign-in routes (bot/staff) and the console API (console-routes.ts) under `/console/api`.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { staffRoutes } from '../staff/routes.ts';
import { consoleRoutes, type ConsoleRoutesOptions } from './console-routes.ts';

const PAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../web/agent');
const FILES: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/console.js': ['console.js', 'text/javascript; charset=utf-8'],
  '/console.css': ['console.css', 'text/css; charset=utf-8'],
};

export async function agentConsole(app: FastifyInstance, opts: ConsoleRoutesOptions) {
  await app.register(staffRoutes, { prefix: '/api', db: opts.db });
  await app.register(consoleRoutes, { ...opts, prefix: '/api' });
  for (const [path, [file, type]] of Object.entries(FILES)) app.get(path, async (_req, reply) => reply.type(type).send(await readFile(join(PAGE_DIR, file))));
}
