/**
 * Live delivery across processes: two kefu on one PostgreSQL server, each with its own live bus
 * (LISTEN/NOTIFY). A customer's WebSocket held by A hears what B sends into the conversation; an agent
 * console on one process hears a handoff made on the other, and the agent's words reach the customer's socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { channels } from '../../../adapters/index.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { addStaffUser } from '../../../bot/staff/accounts.ts';
import { consoleAgent } from '../../helpers/console.ts';
import { postgresUrl } from '../../helpers/databases.ts';
import { newSession, postMessage } from '../../helpers/kefu.ts';

let fresh: Awaited<ReturnType<typeof postgresUrl>>;
let a: Kefu | undefined;
let b: Kefu | undefined;
beforeAll(async () => {
  fresh = await postgresUrl();
  if (!fresh) return;
  a = await startKefu({ botDir: 'examples/demo-shop', channels: channels(), databaseUrl: fresh.url, port: 0 });
  b = await startKefu({ botDir: 'examples/demo-shop', channels: channels(), databaseUrl: fresh.url, port: 0 });
  await addStaffUser(a.db, { login: 'mei', displayName: 'Mei', role: 'agent', password: 'a long password' });
}, 300_000); // two first starts on an empty database: minutes on a loaded machine
afterAll(async () => {
  await a?.close();
  await b?.close();
  await fresh?.drop();
});

/** Opens the conversation's socket on a server; resolves once it is subscribed (the server answered a frame). */
async function openSocket(url: string, s: { conversationId: string; token: string }) {
  const frames: { at: number; frame: any }[] = [];
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/conversations/${s.conversationId}/ws?token=${encodeURIComponent(s.token)}`);
  ws.on('message', (d) => frames.push({ at: performance.now(), frame: JSON.parse(d.toString()) }));
  await new Promise((r) => ws.on('open', r));
  const waitFor = async (pred: (f: any) => boolean, timeoutMs: number) => {
    const end = performance.now() + timeoutMs;
    while (performance.now() < end) {
      const hit = frames.find((f) => pred(f.frame));
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`no such frame within ${timeoutMs} ms; got ${JSON.stringify(frames.map((f) => f.frame))}`);
  };
  return { ws, frames, waitFor };
}

interface Frame {
  type: string;
  message?: { author: string; text: string; authorName?: string; handoffNotice?: { state: string; agent?: string } };
}

describe('two kefu processes on one PostgreSQL', () => {
  it('a WebSocket on A receives, within 1 s, the answer to a message posted to B, and a system message B sends outside any turn', async (ctx) => {
    if (!a || !b) return ctx.skip();
    const s = await newSession(a.url, 'en');
    const socket = await openSocket(a.url, s);
    // the socket subscribes once its token is checked: a frame's answer shows it is
    socket.ws.send(JSON.stringify({ type: 'message', text: 'hello', clientMessageId: 'warm' }));
    await socket.waitFor((f) => f.type === 'message' && f.message.author === 'bot', 10_000);

    const res = await postMessage(b.url, s, { text: 'How long does delivery take?', clientMessageId: 'via-b' });
    const answeredAt = performance.now();
    const body = await res.json();
    expect(body.reply.sources[0].url).toBe('/help/en/shipping#delivery-time');
    const heard = await socket.waitFor((f) => f.type === 'message' && f.message.id === body.reply.id, 1000);
    expect(heard.at - answeredAt).toBeLessThan(1000);
    expect(heard.frame.message.text).toBe(body.reply.text);

    const conversation = (await b.chat.conversation(s.conversationId))!;
    const sentAt = performance.now();
    const notice = await b.outbox.send(conversation, { author: 'system', text: 'Our team is online until 22:00.' });
    expect(notice.status).toBe('sent');
    const system = await socket.waitFor((f) => f.type === 'message' && f.message.id === notice.id, 1000);
    expect(system.frame.message).toMatchObject({ author: 'system', text: 'Our team is online until 22:00.' });
    expect(system.at - sentAt).toBeLessThan(1000);
    socket.ws.close();
  });

  it('the console on A sees the handoff made on B at once; the agent’s claim and reply on A reach the customer’s socket on B', async (ctx) => {
    if (!a || !b) return ctx.skip();
    const mei = await consoleAgent(a.url, 'mei');
    // the console's live feed on A
    const feed = new AbortController();
    const events = await fetch(`${a.url}/console/api/queue/events`, { headers: mei.headers, signal: feed.signal });
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = events.body!.getReader();
    const queueEvent = (async () => {
      let seen = '';
      while (!seen.includes('event: queue')) {
        const { value, done } = await reader.read();
        if (done) return false;
        seen += new TextDecoder().decode(value);
      }
      return true;
    })();

    const s = await newSession(b.url, 'en');
    const frames: Frame[] = [];
    const socket = new WebSocket(`${b.url.replace('http', 'ws')}/api/conversations/${s.conversationId}/ws?token=${encodeURIComponent(s.token)}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.on('message', (data) => frames.push(JSON.parse(String(data)) as Frame));

    expect((await postMessage(b.url, s, { text: 'I want to talk to a real person', clientMessageId: 'x1' })).status).toBe(200);
    expect(await queueEvent).toBe(true);
    feed.abort();

    const queue = (await (await mei('GET', '/queue')).json()) as { waiting: { handoffId: number; conversationId: string }[] };
    const waiting = queue.waiting.find((h) => h.conversationId === s.conversationId)!;
    expect((await mei('POST', `/handoffs/${waiting.handoffId}/claim`)).status).toBe(200);
    expect((await mei('POST', `/conversations/${s.conversationId}/messages`, { text: 'Hello from the other process.' })).status).toBe(201);

    const sent = () => frames.filter((f) => f.type === 'message' && (f.message!.author === 'agent' || f.message!.author === 'system')).map((f) => f.message);
    await expect
      .poll(sent, { timeout: 20_000 })
      .toEqual([
        expect.objectContaining({ author: 'system', handoffNotice: { state: 'claimed', agent: 'Mei' } }),
        expect.objectContaining({ author: 'agent', authorName: 'Mei', text: 'Hello from the other process.' }),
      ]);
    socket.close();
  }, 120_000);
});
