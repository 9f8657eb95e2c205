/**
 * Slack over Socket Mode, for companies without a public URL: kefu opens the socket itself
 * (apps.connections.open with the app-level token), acknowledges each envelope, and answers as over HTTP —
 * against a local stand-in that speaks Slack's Socket Mode protocol.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../adapters/index.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { fakeChat } from '../../helpers/fake-chat.ts';
import { newSession, postMessage } from '../../helpers/kefu.ts';
import { startFakeSlack } from './fake-slack.ts';
import { eventBody } from './signed-request.ts';

const BOT_TOKEN = 'xoxb-test-token';
const APP_TOKEN = 'xapp-1-A0KEFU-test';

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let kefu: Kefu;
beforeAll(async () => {
  slack = await startFakeSlack(BOT_TOKEN, { appToken: APP_TOKEN });
  kefu = await startKefu({ botDir: 'examples/demo-shop', port: 0, channels: channels({ slack: { appToken: APP_TOKEN, botToken: BOT_TOKEN, apiUrl: slack.apiUrl, agents: { channel: 'C0AGENTS', teams: [] } } }) });
}, 300_000);
afterAll(async () => {
  await kefu?.close();
  await slack?.close();
});

let clock = 1_900_000_000;
const dm = (channel: string, text: string) => {
  const ts = `${clock++}.000500`;
  return JSON.parse(eventBody({ type: 'message', channel, channel_type: 'im', user: 'U0CUSTOMER', text, ts, event_ts: ts })) as Record<string, unknown>;
};
const postedTo = (channel: string) => slack.posted.filter((p) => p.channel === channel);

describe('Slack over Socket Mode', () => {
  let openedBefore = 0;
  it('opens the socket at start and serves no HTTP route for Slack', async () => {
    expect(slack.socketMode!.opened()).toBeGreaterThanOrEqual(1);
    expect(slack.socketMode!.connected()).toBe(true);
    expect((await fetch(`${kefu.url}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    openedBefore = slack.socketMode!.opened();
  });

  it('acknowledges a direct message\'s envelope and answers it in the DM; a redelivered envelope is answered once', async () => {
    const event = dm('D0SOCKET', 'How long does delivery take?');
    const ack = await slack.socketMode!.send('events_api', event);
    expect(ack.envelope_id).toBeTruthy();
    const answer = await slack.when((p) => p.channel === 'D0SOCKET');
    expect(answer.text).toMatch(/deliver|working days/i);

    await slack.socketMode!.send('events_api', event, 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(postedTo('D0SOCKET')).toHaveLength(1);
  });

  it('a button press comes as an interactive envelope and sends its payload', async () => {
    await slack.socketMode!.send('events_api', dm('D0PRESS', 'Can you recommend a good sushi restaurant in Paris?'));
    const [dontKnow] = await (async () => {
      await expect.poll(() => postedTo('D0PRESS').length, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
      return postedTo('D0PRESS');
    })();
    const human = dontKnow!.blocks.find((b) => b.type === 'actions')!.elements![0]!;
    await slack.socketMode!.send('interactive', {
      type: 'block_actions',
      user: { id: 'U0CUSTOMER' },
      team: { id: 'T0DEMO' },
      api_app_id: 'A0KEFU',
      container: { type: 'message', message_ts: dontKnow!.ts, channel_id: 'D0PRESS' },
      channel: { id: 'D0PRESS' },
      message: { ts: dontKnow!.ts, text: dontKnow!.text },
      actions: [{ type: 'button', action_id: human.action_id, block_id: 'b1', text: { type: 'plain_text', text: 'Button 1' }, value: human.value, action_ts: `${clock++}.1` }],
      trigger_id: 'trigger',
    });
    await expect.poll(() => postedTo('D0PRESS').map((p) => p.text).join(' '), { timeout: 20_000 }).toMatch(/colleague|queue/);
  });

  it('agents in Slack work over the socket too: a Claim press in an interactive envelope claims the handoff', async () => {
    const customer = await newSession(kefu.url, 'en');
    await postMessage(kefu.url, customer, { text: 'I want to talk to a real person', clientMessageId: 's1' });
    const [handoff] = await kefu.db.query<{ id: string }>('select id from handoffs where conversation_id = $1', [customer.conversationId]);
    const post = await slack.when((p) => p.channel === 'C0AGENTS' && !p.thread_ts && JSON.stringify(p.blocks).includes(`"value":"${handoff!.id}"`));
    const claim = post.blocks.find((b) => b.type === 'actions')!.elements![0]!;
    await slack.socketMode!.send('interactive', {
      type: 'block_actions',
      user: { id: 'U0MEI', username: 'mei' },
      team: { id: 'T0DEMO' },
      api_app_id: 'A0KEFU',
      container: { type: 'message', message_ts: post.ts, channel_id: 'C0AGENTS' },
      channel: { id: 'C0AGENTS' },
      message: { ts: post.ts, text: post.text },
      actions: [{ type: 'button', action_id: claim.action_id, block_id: 'b', text: { type: 'plain_text', text: 'Claim' }, value: claim.value, action_ts: `${clock++}.2` }],
      trigger_id: 'trigger',
    });
    await slack.whenUpdated((u) => u.ts === post.ts && JSON.stringify(u.blocks).includes('Claimed by *Mei*'));
    await expect.poll(async () => (await kefu.chat.history(customer.conversationId)).at(-1)?.text, { timeout: 20_000 }).toBe('Mei has joined the conversation.');
  });

  it('a wrong app-level token stops the channel at start', async () => {
    const [wrong] = channels({ slack: { appToken: 'xapp-1-wrong', botToken: BOT_TOKEN, apiUrl: slack.apiUrl } }).filter((c) => c.name === 'slack');
    const server = Fastify();
    await expect(server.register(wrong!.routes, { chat: fakeChat(), secret: 's' }).ready()).rejects.toThrow(/invalid_auth/);
    await server.close().catch(() => undefined);
    expect(slack.socketMode!.opened()).toBe(openedBefore);
  });
});
