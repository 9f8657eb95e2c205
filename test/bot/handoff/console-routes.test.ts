import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleRoutes } from '../../../bot/handoff/console-routes.ts';
import { requestHandoff } from '../../../bot/handoff/queue.ts';
import { addStaffUser } from '../../../bot/staff/accounts.ts';
import { CSRF_HEADER, staffRoutes } from '../../../bot/staff/routes.ts';
import { createConversation } from '../../../bot/store/conversations.ts';
import type { Db } from '../../../bot/store/db.ts';
import { openDb } from '../../../bot/store/open.ts';

const BOT = 'demo-shop';
let db: Db;
let app: FastifyInstance;
const replies: { conversationId: string; text: string; agent: string }[] = [];

async function customerConversation(team: string | null, said: string[]) {
  const c = await createConversation(db, { botId: BOT, channel: 'web', customerId: `c${Math.random()}`, locale: 'en' });
  for (const text of said) {
    await db.query("insert into messages (conversation_id, direction, author, channel, text, status) values ($1, 'in', 'customer', 'web', $2, 'processed')", [c.id, text]);
    await db.query(
      "insert into messages (conversation_id, direction, author, channel, text, status, trace) values ($1, 'out', 'bot', 'web', 'Sorry, I am not sure.', 'sent', $2)",
      [c.id, JSON.stringify([{ stage: 'understand', decision: 'intent:return_item', ms: 1 }, { stage: 'ground', decision: 'decline', ms: 1 }])],
    );
  }
  const h = await requestHandoff(db, { conversationId: c.id, botId: BOT, reason: 'asked_for_human', team });
  return { conversationId: c.id, handoffId: h.id };
}

async function signIn(login: string) {
  const res = await app.inject({ method: 'POST', url: '/console/api/session', payload: { login, password: 'a long password' } });
  return { cookie: String(res.headers['set-cookie']).split(';')[0]!, [CSRF_HEADER]: res.json().csrfToken as string };
}

beforeAll(async () => {
  db = (await openDb({})).db;
  for (const [login, role, teams] of [['li', 'agent', ['returns']], ['wang', 'agent', ['returns']], ['zhao', 'agent', ['billing']], ['boss', 'admin', []]] as const)
    await addStaffUser(db, { login, role, teams: [...teams], password: 'a long password', displayName: login.toUpperCase() });
  app = Fastify();
  await app.register(staffRoutes, { prefix: '/console/api', db });
  await app.register(consoleRoutes, {
    prefix: '/console/api',
    db,
    botId: BOT,
    reply: async (conversationId, text, agent) => void replies.push({ conversationId, text, agent: agent.displayName }),
    suggest: async (text) => [{ title: 'Returns', text: `You can return within 15 days (${text.length})` }],
  });
}, 120_000);
afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('agent console API', () => {
  it('refuses every console route without a session', async () => {
    for (const [method, url] of [['GET', '/console/api/queue'], ['POST', '/console/api/handoffs/next'], ['GET', '/console/api/conversations/x'], ['PUT', '/console/api/presence']] as const)
      expect((await app.inject({ method, url })).statusCode, url).toBe(401);
  });

  it('shows each agent the waiting customers of their teams, with place, reason and the latest words', async () => {
    const r = await customerConversation('returns', ['I want to return my kettle']);
    await customerConversation('billing', ['invoice please']);
    const li = await signIn('li');
    const q = (await app.inject({ method: 'GET', url: '/console/api/queue', headers: li })).json();
    const mine = q.waiting.find((h: { handoffId: number }) => h.handoffId === r.handoffId);
    expect(mine).toMatchObject({ reason: 'asked_for_human', team: 'returns', preview: 'I want to return my kettle', channel: 'web', locale: 'en' });
    expect(mine.position).toBeGreaterThanOrEqual(1);
    expect(q.waiting.every((h: { team: string }) => h.team === 'returns')).toBe(true);
  });

  it('lets the first agent claim; the second gets 409; another team cannot read it', async () => {
    const { conversationId, handoffId } = await customerConversation('returns', ['my parcel is crushed', 'hello??']);
    const li = await signIn('li');
    const wang = await signIn('wang');
    const zhao = await signIn('zhao');
    expect((await app.inject({ method: 'GET', url: `/console/api/conversations/${conversationId}`, headers: zhao })).statusCode).toBe(403);
    const [a, b] = await Promise.all([
      app.inject({ method: 'POST', url: `/console/api/handoffs/${handoffId}/claim`, headers: li }),
      app.inject({ method: 'POST', url: `/console/api/handoffs/${handoffId}/claim`, headers: wang }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const holder = a.statusCode === 200 ? li : wang;
    const other = a.statusCode === 200 ? wang : li;
    // once claimed, only its agent (and admins) read it
    expect((await app.inject({ method: 'GET', url: `/console/api/conversations/${conversationId}`, headers: other })).statusCode).toBe(403);
    const view = (await app.inject({ method: 'GET', url: `/console/api/conversations/${conversationId}`, headers: holder })).json();
    expect(view.messages.map((m: { author: string }) => m.author)).toEqual(['customer', 'bot', 'customer', 'bot']);
    expect(view.messages[1].trace[0]).toMatchObject({ stage: 'understand', decision: 'intent:return_item' });
    expect(view.summary).toBe('2 customer messages. First asked: "my parcel is crushed"; intents: return_item; last said: "hello??".');
    expect(view.suggestions[0].title).toBe('Returns');
    expect((await app.inject({ method: 'GET', url: `/console/api/conversations/${conversationId}`, headers: await signIn('boss') })).statusCode).toBe(200);
  });

  it('sends the holding agent’s reply to the customer, refuses anyone else’s, keeps notes internal, and resolves', async () => {
    const { conversationId, handoffId } = await customerConversation('returns', ['where is my refund']);
    const li = await signIn('li');
    const wang = await signIn('wang');
    await app.inject({ method: 'POST', url: `/console/api/handoffs/${handoffId}/claim`, headers: li });
    expect((await app.inject({ method: 'POST', url: `/console/api/conversations/${conversationId}/messages`, headers: wang, payload: { text: 'hi' } })).statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: `/console/api/conversations/${conversationId}/messages`, headers: li, payload: { text: '' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/console/api/conversations/${conversationId}/messages`, headers: li, payload: { text: ' It was sent today. ' } })).statusCode).toBe(201);
    expect(replies.at(-1)).toEqual({ conversationId, text: 'It was sent today.', agent: 'LI' });
    expect((await app.inject({ method: 'POST', url: `/console/api/conversations/${conversationId}/notes`, headers: li, payload: { text: 'refund #R-1 approved' } })).statusCode).toBe(201);
    const view = (await app.inject({ method: 'GET', url: `/console/api/conversations/${conversationId}`, headers: li })).json();
    expect(view.notes).toEqual([expect.objectContaining({ author: 'LI', text: 'refund #R-1 approved' })]);
    expect(view.messages.some((m: { text: string }) => m.text.includes('R-1'))).toBe(false);
    expect((await app.inject({ method: 'POST', url: `/console/api/handoffs/${handoffId}/resolve`, headers: wang })).statusCode).toBe(409);
    expect((await app.inject({ method: 'POST', url: `/console/api/handoffs/${handoffId}/resolve`, headers: li })).json().handoff.status).toBe('resolved');
    const [{ mode }] = await db.query<{ mode: string }>('select mode from conversations where id = $1', [conversationId]);
    expect(mode).toBe('bot');
  });

  it('transfers a held conversation to another team’s queue', async () => {
    const { handoffId } = await customerConversation('returns', ['I was charged twice']);
    const li = await signIn('li');
    await app.inject({ method: 'POST', url: `/console/api/handoffs/${handoffId}/claim`, headers: li });
    expect((await app.inject({ method: 'POST', url: `/console/api/handoffs/${handoffId}/transfer`, headers: li, payload: { team: '<b>' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: `/console/api/handoffs/${handoffId}/transfer`, headers: li, payload: { team: 'billing' } })).statusCode).toBe(200);
    const q = (await app.inject({ method: 'GET', url: '/console/api/queue', headers: await signIn('zhao') })).json();
    expect(q.waiting.map((h: { handoffId: number }) => h.handoffId)).toContain(handoffId);
  });

  it('sets presence and refuses values that mean nothing', async () => {
    const li = await signIn('li');
    expect((await app.inject({ method: 'PUT', url: '/console/api/presence', headers: li, payload: { presence: 'online' } })).json()).toEqual({ presence: 'online' });
    expect((await app.inject({ method: 'PUT', url: '/console/api/presence', headers: li, payload: { presence: 'asleep' } })).statusCode).toBe(400);
  });
});
