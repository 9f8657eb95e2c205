/**
 * A local stand-in for Slack's Web API (slack.com/api), in its wire format: methods take a form or JSON
 * body with the token as a Bearer header and answer `{ ok, … }`. It knows auth.test and chat.postMessage,
 * serves private files only with the bot token, and records every message posted.
 */
import Fastify from 'fastify';
import { recorded } from '../../helpers/recorded.ts';

export interface Posted {
  channel: string;
  thread_ts?: string;
  text: string;
  blocks: { type: string; text?: { text: string }; elements?: { type: string; text?: unknown; value?: string; action_id?: string }[] }[];
  ts: string;
}

export async function startFakeSlack(botToken: string) {
  const app = Fastify();
  const posted = recorded<Posted>();
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
  app.get('/files/:name', async (req, reply) => {
    if (!authorized(req.headers.authorization)) return reply.code(403).send('forbidden');
    const bytes = files.get((req.params as { name: string }).name);
    return bytes ? reply.type('image/png').send(Buffer.from(bytes)) : reply.code(404).send();
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    apiUrl: `${url}/api/`,
    posted: posted.items,
    file: (name: string, bytes: Uint8Array) => {
      files.set(name, bytes);
      return `${url}/files/${name}`;
    },
    when: posted.when,
    close: () => app.close(),
  };
}
