/**
 * The web server's exposure to the internet, with an in-memory chat in place of the bot: tokens stay out of
 * logs, HTML carries security headers, client addresses cannot be spoofed by default, conversation starts
 * are limited per address, WebSockets are capped, closed when idle and never drop an early frame.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import { buildServer, type ServerOptions } from '../../../bot/server/server.ts';
import type { ChatPort } from '../../../bot/turn/channel.ts';
import { fakeChat } from '../../helpers/fake-chat.ts';
import { webChannel } from '../../../adapters/web/channel.ts';
import type { WebChannelOptions } from '../../../adapters/web/routes.ts';

const SECRET = 'exposure-test-secret-0123456789';
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(opts: Partial<ServerOptions> & { web?: WebChannelOptions } = {}, chat: ChatPort = fakeChat()): Promise<string> {
  const { web, ...rest } = opts;
  app = await buildServer({ channels: [webChannel(web)], chat, secret: SECRET, helpEntries: [], botName: { en: 'Shop', zh: '小铺' }, ...rest });
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const start = async (url: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/conversations`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

const session = async (url: string) => (await (await start(url)).json()) as { conversationId: string; token: string };

const wsUrl = (url: string, id: string, query: string) => `${url.replace('http', 'ws')}/api/conversations/${id}/ws?${query}`;

/** Opens a socket and collects its frames and how it closed. */
function connect(url: string, onOpen?: (ws: WebSocket) => void) {
  const ws = new WebSocket(url);
  const frames: any[] = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  if (onOpen) ws.on('open', () => onOpen(ws));
  const closed = new Promise<{ code: number; reason: string }>((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
  const waitFor = async (pred: (f: any) => boolean) => {
    while (!frames.some(pred)) await new Promise((r) => setTimeout(r, 10));
    return frames.find(pred);
  };
  return { ws, frames, closed, waitFor };
}

describe('logs', () => {
  it('never contain a conversation token, from a header or from a WebSocket URL', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk, _enc, done) => (lines.push(chunk.toString()), done()) });
    const url = await serve({ logger: { stream } });
    const s = await session(url);
    await fetch(`${url}/api/conversations/${s.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } });
    const c = connect(wsUrl(url, s.conversationId, `token=${encodeURIComponent(s.token)}`));
    await new Promise((r) => c.ws.on('open', r));
    c.ws.close();
    await c.closed;
    await app!.close();
    app = undefined;
    const log = lines.join('');
    expect(log).toMatch(/\/ws\?token=\[redacted\]/); // the WebSocket request was logged…
    expect(log).not.toContain(s.token.split('.')[1]!); // …without the token (nor its signature)
    expect(log).not.toContain(s.token.split('.')[0]!);
  });
});

describe('security headers', () => {
  it('the demo page carries a content security policy, nosniff and same-origin framing', async () => {
    const url = await serve();
    const res = await fetch(`${url}/`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it('widget.js and the API may still be used from another site', async () => {
    const url = await serve();
    const widget = await fetch(`${url}/widget.js`);
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const api = await start(url, { origin: 'https://shop.example' });
    expect(api.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('client addresses', () => {
  const few = { burst: 2, perSecond: 0.001, maxWaiting: 0 };

  it('limits new conversations per client address, and X-Forwarded-For cannot get around it by default', async () => {
    const url = await serve({ web: { newConversations: few } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await start(url, { 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect(statuses).toEqual([201, 201, 429]);
    const refused = await start(url);
    expect(((await refused.json()) as any).error.code).toBe('too_many_conversations');
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('believes X-Forwarded-For only when a trusted proxy is configured', async () => {
    const url = await serve({ web: { newConversations: few }, trustProxy: '127.0.0.1' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await start(url, { 'x-forwarded-for': `203.0.113.${i}` })).status);
    expect(statuses).toEqual([201, 201, 201]);
  });
});

describe('WebSocket', () => {
  it('a token given twice in the URL is refused as a bad request, not an internal error', async () => {
    const url = await serve();
    const s = await session(url);
    const t = encodeURIComponent(s.token);
    const c = connect(wsUrl(url, s.conversationId, `token=${t}&token=${t}`));
    expect((await c.closed).code).toBe(4400);
    expect(c.frames[0]).toMatchObject({ type: 'error', code: 'bad_request' });
  });

  it('a frame sent the moment the socket opens, while authorising is slow, is queued and answered', async () => {
    const chat = fakeChat();
    const slow: ChatPort = { ...chat, conversation: async (id) => (await new Promise((r) => setTimeout(r, 300)), chat.conversation(id)) };
    const url = await serve({}, slow);
    const s = await session(url);
    const c = connect(wsUrl(url, s.conversationId, `token=${encodeURIComponent(s.token)}`), (ws) => {
      ws.send(JSON.stringify({ type: 'message', text: 'first', clientMessageId: 'a' }));
      ws.send(JSON.stringify({ type: 'message', text: 'second', clientMessageId: 'b' }));
    });
    await c.waitFor((f) => f.message?.text === 'echo: second');
    const customer = c.frames.filter((f) => f.message?.author === 'customer').map((f) => f.message.text);
    expect(customer).toEqual(['first', 'second']);
    c.ws.close();
  });

  it('caps sockets per conversation (1013, try again later)', async () => {
    const url = await serve({ web: { sockets: { maxPerConversation: 2 } } });
    const s = await session(url);
    const u = wsUrl(url, s.conversationId, `token=${encodeURIComponent(s.token)}`);
    const open = [connect(u), connect(u)];
    await Promise.all(open.map((c) => new Promise((r) => c.ws.on('open', r))));
    await new Promise((r) => setTimeout(r, 100)); // both authorised
    const third = connect(u);
    expect((await third.closed).code).toBe(1013);
    expect(third.frames[0]).toMatchObject({ code: 'too_many_connections' });
    open.forEach((c) => c.ws.close());
  });

  it('caps sockets in all', async () => {
    const url = await serve({ web: { sockets: { maxSockets: 1 } } });
    const s = await session(url);
    const u = wsUrl(url, s.conversationId, `token=${encodeURIComponent(s.token)}`);
    const first = connect(u);
    await new Promise((r) => first.ws.on('open', r));
    expect((await connect(u).closed).code).toBe(1013);
    first.ws.close();
    await first.closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = connect(u, (ws) => ws.send(JSON.stringify({ type: 'message', text: 'hi', clientMessageId: 'x' })));
    await again.waitFor((f) => f.message?.author === 'bot'); // the place was given back
    again.ws.close();
  });

  it('closes a socket that stays silent past the idle timeout (4408)', async () => {
    const url = await serve({ web: { sockets: { idleMs: 200 } } });
    const s = await session(url);
    const c = connect(wsUrl(url, s.conversationId, `token=${encodeURIComponent(s.token)}`));
    expect((await c.closed).code).toBe(4408);
  });
});

describe('token revocation', () => {
  it('DELETE /api/conversations/:id/tokens ends the token: it opens the conversation no more', async () => {
    const url = await serve();
    const s = await session(url);
    const auth = { authorization: `Bearer ${s.token}` };
    expect((await fetch(`${url}/api/conversations/${s.conversationId}/messages`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${url}/api/conversations/${s.conversationId}/tokens`, { method: 'DELETE', headers: auth })).status).toBe(204);
    const after = await fetch(`${url}/api/conversations/${s.conversationId}/messages`, { headers: auth });
    expect(after.status).toBe(401);
    expect(((await after.json()) as any).error.code).toBe('invalid_token');
  });
});
