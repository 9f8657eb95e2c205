import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kefu } from '../../../bot/app.ts';
import { addStaffUser } from '../../../bot/staff/accounts.ts';
import { CSRF_HEADER } from '../../../bot/staff/routes.ts';
import { newSession, postMessage, startDemo, type Session } from '../../helpers/kefu.ts';

let kefu: Kefu;
beforeAll(async () => {
  kefu = await startDemo();
  await addStaffUser(kefu.db, { login: 'mei', displayName: 'Mei', role: 'agent', password: 'a long password' });
}, 180_000);
afterAll(async () => kefu?.close());

interface Out {
  author: string;
  text: string;
  quickReplies: { label: string; payload: string }[];
}
const say = async (s: Session, text: string, extra: Record<string, unknown> = {}) =>
  (await (await postMessage(kefu.url, s, { text, clientMessageId: `m${Math.random()}`, ...extra })).json()) as { replies: Out[] };
const history = async (s: Session) =>
  ((await (await fetch(`${kefu.url}/api/conversations/${s.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } })).json()) as { messages: Out[] }).messages;

async function agentSession() {
  const res = await fetch(`${kefu.url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'mei', password: 'a long password' }) });
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const headers = { cookie: res.headers.get('set-cookie')!.split(';')[0]!, [CSRF_HEADER]: csrfToken };
  return (method: string, path: string, body?: unknown) =>
    fetch(`${kefu.url}/console/api${path}`, body === undefined ? { method, headers } : { method, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('a conversation handed to a person and back', () => {
  it('queues the customer with their place, goes quiet while the agent has them, delivers the agent’s reply, and asks for a rating after', async () => {
    const s = await newSession(kefu.url, 'en');
    const asked = await say(s, 'I want to talk to a real person');
    expect(asked.replies.map((r) => r.text).join(' ')).toMatch(/number 1 in the queue.*about \d+ min/);

    const agent = await agentSession();
    const queue = (await (await agent('GET', '/queue')).json()) as { waiting: { handoffId: number; conversationId: string; reason: string }[] };
    const waiting = queue.waiting.find((h) => h.conversationId === s.conversationId)!;
    expect(waiting.reason).toBe('asked_for_human');

    // while waiting, and while the agent has the conversation, the bot says nothing
    expect((await say(s, 'hello? how long is the warranty?')).replies).toEqual([]);
    expect((await agent('POST', `/handoffs/${waiting.handoffId}/claim`)).status).toBe(200);
    expect((await say(s, 'my kettle stopped working')).replies).toEqual([]);

    expect((await agent('POST', `/conversations/${s.conversationId}/messages`, { text: 'Hi, I am Mei. Sorry about the kettle, I will send a new one.' })).status).toBe(201);
    const seen = await history(s);
    expect(seen.at(-1)).toMatchObject({ author: 'agent', text: 'Hi, I am Mei. Sorry about the kettle, I will send a new one.' });

    expect((await agent('POST', `/handoffs/${waiting.handoffId}/resolve`)).status).toBe(200);
    const rating = (await history(s)).at(-1)!;
    expect(rating.author).toBe('bot');
    expect(rating.quickReplies.map((q) => q.payload)).toEqual(['rating:1', 'rating:2', 'rating:3', 'rating:4', 'rating:5']);

    const thanked = await say(s, '5 ★★★★★', { payload: 'rating:5' });
    expect(thanked.replies[0]!.text).toMatch(/Thank you for your rating/);
    const [{ rating: stored }] = await kefu.db.query<{ rating: number }>('select rating from handoffs where id = $1', [waiting.handoffId]);
    expect(stored).toBe(5);
    // back with the bot: a question is answered again
    expect((await say(s, 'how long does delivery take?')).replies.length).toBeGreaterThan(0);
  });

  it('hands a customer in strong displeasure to a person, in Chinese too, with the reason recorded', async () => {
    const s = await newSession(kefu.url, 'zh');
    const replies = (await say(s, '你们就是骗子，太过分了，退钱！')).replies.map((r) => r.text).join(' ');
    expect(replies).toMatch(/排第 \d+ 位/);
    const [{ reason }] = await kefu.db.query<{ reason: string }>('select reason from handoffs where conversation_id = $1', [s.conversationId]);
    expect(reason).toBe('strong_negative');
  });
});
