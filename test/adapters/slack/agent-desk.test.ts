/**
 * Agents in Slack, end to end through Bolt's real code path and a local stand-in of Slack's Web API: a web
 * customer asks for a person → the handoff is posted in the agents' channel with a Claim button → a signed
 * button press claims it as that Slack user → the agent's signed thread replies reach the customer's
 * WebSocket under the agent's name → the customer's next message appears in the thread → `结束` ends it.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../adapters/index.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { addStaffUser } from '../../../bot/staff/accounts.ts';
import { consoleAgent } from '../../helpers/console.ts';
import { newSession, postMessage, type Session } from '../../helpers/kefu.ts';
import { startFakeSlack, type Posted } from './fake-slack.ts';
import { eventBody, interaction, signedSlackRequest } from './signed-request.ts';

const SIGNING_SECRET = 'slack-signing-secret';
const BOT_TOKEN = 'xoxb-test-token';
const AGENTS = 'C0AGENTS';

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let kefu: Kefu;
beforeAll(async () => {
  slack = await startFakeSlack(BOT_TOKEN);
  kefu = await startKefu({
    botDir: 'examples/demo-shop',
    port: 0,
    channels: channels({ slack: { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: slack.apiUrl, agents: { channel: AGENTS, teams: [] } } }),
  });
}, 300_000);
afterAll(async () => {
  await kefu?.close();
  await slack?.close();
});

let clock = 1_800_000_000;
const nextTs = () => `${clock++}.000400`;
const signed = (body: string, contentType: string) => signedSlackRequest(`${kefu.url}/slack/events`, SIGNING_SECRET, body, contentType);

/** A customer's WebSocket: every frame it received, and a promise of the first that matches. */
function openSocket(s: Session) {
  return new Promise<{ ws: WebSocket; next: (pred: (f: any) => boolean) => Promise<any> }>((resolve, reject) => {
    const ws = new WebSocket(`${kefu.url.replace('http', 'ws')}/api/conversations/${s.conversationId}/ws?token=${encodeURIComponent(s.token)}`);
    const frames: any[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    const next = async (pred: (f: any) => boolean) => {
      await expect.poll(() => frames.some(pred), { timeout: 20_000 }).toBe(true);
      return frames.find(pred);
    };
    ws.on('open', () => resolve({ ws, next }));
    ws.on('error', reject);
  });
}

const buttonsOf = (p: Posted) => p.blocks.find((b) => b.type === 'actions')?.elements ?? [];
const shownState = (p: Posted) => JSON.stringify(p.blocks.filter((b) => b.type === 'context'));
const press = (user: { id: string; name: string }, post: Posted, button: { action_id?: string; value?: string }) =>
  signed(
    interaction({
      type: 'block_actions',
      user: { id: user.id, username: user.name, name: user.name },
      team: { id: 'T0DEMO' },
      api_app_id: 'A0KEFU',
      container: { type: 'message', message_ts: post.ts, channel_id: AGENTS },
      channel: { id: AGENTS },
      message: { ts: post.ts, text: post.text },
      actions: [{ type: 'button', action_id: button.action_id, block_id: 'b', text: { type: 'plain_text', text: 'x' }, value: button.value, action_ts: nextTs() }],
      trigger_id: 'trigger',
    }),
    'application/x-www-form-urlencoded',
  );
const inThread = (user: string, post: Posted, text: string) => {
  const ts = nextTs();
  return signed(eventBody({ type: 'message', channel: AGENTS, channel_type: 'channel', user, text, ts, thread_ts: post.ts, event_ts: ts }), 'application/json');
};
const handoffPostOf = async (conversationId: string) => {
  const [h] = await kefu.db.query<{ id: string }>('select id from handoffs where conversation_id = $1 order by id desc limit 1', [conversationId]);
  return slack.when((p) => p.channel === AGENTS && !p.thread_ts && buttonsOf(p).some((b) => b.value === String(h!.id)));
};

describe('agents in Slack', () => {
  it('a web customer handed over is claimed, answered, mirrored and closed from the Slack agent channel', async () => {
    const s = await newSession(kefu.url, 'en');
    const { ws, next } = await openSocket(s);
    ws.send(JSON.stringify({ type: 'message', text: 'I want to talk to a real person', clientMessageId: 'c1' }));
    await next((f) => f.type === 'message' && f.message.handoffNotice?.state === 'queued');

    const post = await handoffPostOf(s.conversationId);
    expect(post.text).toMatch(/Handoff #\d+ \(web\): queued/);
    expect(JSON.stringify(post.blocks)).toContain('I want to talk to a real person');
    const [claim] = buttonsOf(post);
    expect(claim).toMatchObject({ action_id: 'kefu_desk_claim', text: { text: 'Claim · 接待' } });

    expect((await press({ id: 'U0MEI', name: 'mei' }, post, claim!)).status).toBe(200);
    const joined = await next((f) => f.type === 'message' && f.message.handoffNotice?.state === 'claimed');
    expect(joined.message).toMatchObject({ author: 'system', text: 'Mei has joined the conversation.' });
    const claimed = await slack.whenUpdated((u) => u.ts === post.ts && shownState(u).includes('Claimed by *Mei*'));
    expect(buttonsOf(claimed).map((b) => b.action_id)).toEqual(['kefu_desk_close']);

    // one claimer: a second agent's press is refused, shown only to them
    await press({ id: 'U0LI', name: 'li' }, post, claim!);
    expect((await slack.whenEphemeral((e) => e.user === 'U0LI')).text).toMatch(/Another agent has already claimed it/);

    expect((await inThread('U0MEI', post, 'Hi, this is Mei. I &amp; the team will sort it out.')).status).toBe(200);
    const said = await next((f) => f.type === 'message' && f.message.author === 'agent');
    expect(said.message).toMatchObject({ authorName: 'Mei', text: 'Hi, this is Mei. I & the team will sort it out.' });

    // someone who did not claim it writes in the thread: told so, and the customer hears nothing of it
    await inThread('U0LI', post, 'I can take over');
    expect((await slack.whenEphemeral((e) => e.user === 'U0LI' && /claim it first/.test(e.text))).channel).toBe(AGENTS);

    ws.send(JSON.stringify({ type: 'message', text: 'Thanks, my order 1042 is a week late', clientMessageId: 'c2' }));
    const mirrored = await slack.when((p) => p.channel === AGENTS && p.thread_ts === post.ts);
    expect(mirrored.text).toBe('*Customer 客户:* Thanks, my order 1042 is a week late');

    expect((await inThread('U0MEI', post, '结束')).status).toBe(200);
    const ended = await next((f) => f.type === 'message' && f.message.handoffNotice?.state === 'ended');
    expect(ended.message.quickReplies.map((q: { payload: string }) => q.payload)).toEqual(['rating:1', 'rating:2', 'rating:3', 'rating:4', 'rating:5']);
    await slack.whenUpdated((u) => u.ts === post.ts && shownState(u).includes('Closed by *Mei*'));
    const agentMessages = (await kefu.chat.history(s.conversationId)).filter((m) => m.author === 'agent').map((m) => m.text);
    expect(agentMessages).toEqual(['Hi, this is Mei. I & the team will sort it out.']);
    const [account] = await kefu.db.query<{ login: string; display_name: string; role: string }>(
      "select u.login, u.display_name, u.role from staff_identities i join staff_users u on u.id = i.user_id where i.desk = 'slack' and i.external_id = 'U0MEI'",
    );
    expect(account).toEqual({ login: 'slack.u0mei', display_name: 'Mei', role: 'agent' });
    ws.close();
  }, 120_000);

  it('a handoff claimed in the console shows who holds it in Slack, and its Claim button then refuses', async () => {
    await addStaffUser(kefu.db, { login: 'ana', displayName: 'Ana', role: 'agent', password: 'a long password' });
    const s = await newSession(kefu.url, 'zh');
    await postMessage(kefu.url, s, { text: '我要转人工', clientMessageId: 'z1' });
    const post = await handoffPostOf(s.conversationId);
    const [h] = await kefu.db.query<{ id: string }>('select id from handoffs where conversation_id = $1', [s.conversationId]);
    const ana = await consoleAgent(kefu.url, 'ana');
    expect((await ana('POST', `/handoffs/${h!.id}/claim`)).status).toBe(200);
    await slack.whenUpdated((u) => u.ts === post.ts && shownState(u).includes('Claimed by *Ana*'));

    await press({ id: 'U0MEI', name: 'mei' }, post, buttonsOf(post)[0]!);
    expect((await slack.whenEphemeral((e) => e.user === 'U0MEI' && /already claimed/.test(e.text))).channel).toBe(AGENTS);
    expect((await kefu.db.query<{ login: string }>('select u.login from handoffs h join staff_users u on u.id = h.agent_id where h.id = $1', [h!.id]))[0]!.login).toBe('ana');
  }, 120_000);
});
