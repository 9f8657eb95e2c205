/**
 * A local stand-in for Slack's Web API (slack.com/api), in its wire format: methods take a form or JSON
 * body with the token as a Bearer header and answer `{ ok, … }`. It knows auth.test, chat.postMessage,
 * chat.update, chat.postEphemeral and users.info, serves private files only with the bot token, and records
 * every message posted, updated and shown to one user. Started with an app-level token it speaks Socket
 * Mode too (fake-socket-mode.ts).
 */
import Fastify from 'fastify';
import { recorded } from '../../helpers/recorded.ts';
import { fakeSocketMode } from './fake-socket-mode.ts';

export interface Posted {
  channel: string;
  thread_ts?: string;
  text: string;
  blocks: { type: string; text?: { text: string }; elements?: { type: string; text?: unknown; value?: string; action_id?: string }[] }[];
  ts: string;
}

export interface Ephemeral {
  channel: string;
  user: string;
  text: string;
}

/** The workspace's people users.info knows (id → display name). */
const PEOPLE: Record<string, string> = { U0MEI: 'Mei', U0LI: 'Li Wei' };

export async function startFakeSlack(botToken: string, opts: { appToken?: string } = {}) {
  const app = Fastify();
  let url = '';
  const socketMode = opts.appToken ? fakeSocketMode(app, opts.appToken, () => url) : undefined;
  const posted = recorded<Posted>();
  const updated = recorded<Posted>();
  const ephemeral = recorded<Ephemeral>();
  const files = new Map<string, Uint8Array>();
  let clock = 1_700_000_000;
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))));
  const authorized = (auth: string | undefined) => auth === `Bearer ${botToken}`;

  app.post('/api/auth.test', async (req) =>
    authorized(req.headers.authorization) ? { ok: true, url: 'https://demo-shop.slack.com/', team: 'Demo Shop', user: 'kefu', team_id: 'T0DEMO', user_id: 'UKEFU', bot_id: 'BKEFU' } : { ok: false, error: 'invalid_auth' },
  );
  app.post('/api/chat.postMessage', async (req) => {
    if (!authorized(req.headers.authorization)) return { ok: false, error: 'invalid_auth' };
    const body = req.body as Record<string, string>;
    if (!body.channel || (!body.text && !body.blocks)) return { ok: false, error: 'no_text' };
    const blocks = typeof body.blocks === 'string' ? JSON.parse(body.blocks) : (body.blocks ?? []);
    const ts = `${clock++}.000100`;
    posted.push({ channel: body.channel, thread_ts: body.thread_ts || undefined, text: body.text ?? '', blocks, ts });
    return { ok: true, channel: body.channel, ts };
  });
  app.post('/api/chat.update', async (req) => {
    if (!authorized(req.headers.authorization)) return { ok: false, error: 'invalid_auth' };
    const body = req.body as Record<string, string>;
    if (!posted.items.some((p) => p.channel === body.channel && p.ts === body.ts)) return { ok: false, error: 'message_not_found' };
    const blocks = typeof body.blocks === 'string' ? JSON.parse(body.blocks) : (body.blocks ?? []);
    updated.push({ channel: body.channel!, ts: body.ts!, text: body.text ?? '', blocks });
    return { ok: true, channel: body.channel, ts: body.ts };
  });
  app.post('/api/chat.postEphemeral', async (req) => {
    if (!authorized(req.headers.authorization)) return { ok: false, error: 'invalid_auth' };
    const body = req.body as Record<string, string>;
    if (!body.channel || !body.user || !body.text) return { ok: false, error: 'invalid_arguments' };
    ephemeral.push({ channel: body.channel, user: body.user, text: body.text });
    return { ok: true, message_ts: `${clock++}.000300` };
  });
  app.post('/api/users.info', async (req) => {
    if (!authorized(req.headers.authorization)) return { ok: false, error: 'invalid_auth' };
    const id = (req.body as Record<string, string>).user ?? '';
    const name = PEOPLE[id];
    return name ? { ok: true, user: { id, name: name.toLowerCase().replace(' ', '.'), real_name: name, profile: { display_name: name, real_name: name } } } : { ok: false, error: 'user_not_found' };
  });
  app.get('/files/:name', async (req, reply) => {
    if (!authorized(req.headers.authorization)) return reply.code(403).send('forbidden');
    const bytes = files.get((req.params as { name: string }).name);
    return bytes ? reply.type('image/png').send(Buffer.from(bytes)) : reply.code(404).send();
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    apiUrl: `${url}/api/`,
    posted: posted.items,
    updated: updated.items,
    ephemeral: ephemeral.items,
    whenUpdated: updated.when,
    whenEphemeral: ephemeral.when,
    file: (name: string, bytes: Uint8Array) => {
      files.set(name, bytes);
      return `${url}/files/${name}`;
    },
    when: posted.when,
    /** Slack's Socket Mode side, when started with an app-level token. */
    socketMode,
    close: async () => {
      socketMode?.close();
      await app.close();
    },
  };
}
