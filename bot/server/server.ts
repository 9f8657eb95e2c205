import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import websocket from '@fastify/websocket';
import type { HelpEntry } from '../content/help-articles.ts';
import type { Channel, ChatPort } from '../turn/channel.ts';
import type { OpenDesk } from '../turn/desk.ts';
import { helpPages } from './help-pages.ts';
import { requestForLog } from './request-log.ts';
import { securityHeaders } from './security-headers.ts';

const WEB_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../web');

export interface ServerOptions {
  /** The channels to serve, each registered under its own prefix in a scope of its own. */
  channels: Channel[];
  chat: ChatPort;
  secret: string;
  /** Opens agent desks for channels that host one (a Slack channel of agents). */
  openDesk?: OpenDesk;
  helpEntries: HelpEntry[];
  botName: Record<'zh' | 'en', string>;
  /** Log requests (pino, JSON lines) to stdout, or to the given stream. Tokens in URLs are redacted. */
  logger?: boolean | { stream: NodeJS.WritableStream };
  /**
   * Whose X-Forwarded-For to believe (fastify's trustProxy): off by default, so a client cannot claim
   * another address; `true`, a hop count, or addresses / CIDR ranges of the proxies in front of kefu.
   */
  trustProxy?: boolean | number | string;
  /** kefu's own consoles (agents, later trainers), each a plugin under its prefix. */
  consoles?: { prefix: string; routes: FastifyPluginAsync }[];
  /** Parts whose state `/healthz` reports besides `ok` (the answer model); kefu answers either way. */
  health?: () => Promise<Record<string, unknown>>;
}

function loggerOptions(logger: ServerOptions['logger']) {
  if (!logger) return false;
  return { level: 'info', serializers: { req: requestForLog }, ...(typeof logger === 'object' ? { stream: logger.stream } : {}) };
}

/** Explains the framework's own 4xx errors (bad JSON, wrong content type, too large) in plain words. */
function explain(err: FastifyError): { status: number; code: string; message: string } {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, code: 'malformed_json', message: 'the request body is not valid JSON' };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, code: 'body_too_large', message: 'the request body is too large' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, code: 'unsupported_media_type', message: 'send the body as application/json' };
  }
  if (err.statusCode && err.statusCode < 500) return { status: err.statusCode, code: 'bad_request', message: err.message };
  return { status: 500, code: 'internal', message: 'something went wrong on our side; please try again' };
}

/** The HTTP server: the channels' routes, the chat widget, the demo page and the help centre. */
export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: loggerOptions(opts.logger), bodyLimit: 64 * 1024, trustProxy: (opts.trustProxy ?? false) as boolean }); // fastify takes a hop count too; its types omit it
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const { status, code, message } = explain(err);
    if (status >= 500) req.log.error(err);
    reply.code(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((req, reply) => reply.code(404).send({ error: { code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` } }));

  await securityHeaders(app); // on the root instance: its headers reach every route
  await app.register(websocket, { options: { maxPayload: 128 * 1024 } });
  for (const channel of opts.channels) await app.register(channel.routes, { prefix: channel.prefix, chat: opts.chat, secret: opts.secret, openDesk: opts.openDesk });
  for (const c of opts.consoles ?? []) await app.register(c.routes, { prefix: c.prefix });
  await app.register(helpPages, { entries: opts.helpEntries, botName: opts.botName });

  const file = (path: string, type: string) => async (_req: unknown, reply: { type(t: string): unknown }) => {
    reply.type(type);
    return readFile(join(WEB_DIR, path));
  };
  app.get('/', file('demo/index.html', 'text/html; charset=utf-8'));
  app.get('/widget.js', file('widget/widget.js', 'text/javascript; charset=utf-8'));
  app.get('/healthz', async () => ({ ok: true, ...(await opts.health?.()) }));
  return app;
}
