/**
 * The Bot Framework channel through botbuilder's CloudAdapter: activities posted as the Bot Framework
 * Emulator posts them (no app id, so no JWT), answered by the demo shop, and kefu's messages sent as
 * proactive messages to a local stand-in of the channel's connector service.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../adapters/index.ts';
import { botFrameworkChannel } from '../../../adapters/botframework/channel.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { CONVERSATION_SCRIPT } from '../../helpers/conversation-script.ts';
import { fakeChat } from '../../helpers/fake-chat.ts';
import { startFakeConnector, type PostedActivity } from './fake-connector.ts';

const PUBLIC_URL = 'https://shop.example';
let connector: Awaited<ReturnType<typeof startFakeConnector>>;
let kefu: Kefu;
beforeAll(async () => {
  connector = await startFakeConnector();
  kefu = await startKefu({ botDir: 'examples/demo-shop', port: 0, channels: channels({ botFramework: { publicUrl: PUBLIC_URL } }) });
});
afterAll(async () => {
  await kefu?.close();
  await connector?.close();
});

let n = 0;
function activity(conversationId: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'message',
    id: `act-${++n}`,
    timestamp: new Date().toISOString(),
    serviceUrl: connector.url,
    channelId: 'emulator',
    from: { id: 'user-42', name: 'Customer' },
    conversation: { id: conversationId },
    recipient: { id: 'kefu-bot', name: 'kefu' },
    text,
    locale: 'en-US',
    ...extra,
  };
}
const post = (body: unknown, url = `${kefu.url}/botframework/messages`, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const postedTo = (id: string) => connector.posted.filter((p) => p.conversationId === id);
const untilPosted = async (id: string, count: number): Promise<PostedActivity[]> => {
  await expect.poll(() => postedTo(id).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  return postedTo(id);
};

describe('Bot Framework (Teams, Web Chat, the Emulator)', () => {
  it('carries the conversation script: answers go to the conversation with Markdown links to their sources', async () => {
    const id = `conv-${Date.now()}`;
    for (const [i, line] of CONVERSATION_SCRIPT.entries()) {
      expect((await post(activity(id, line.text, { locale: line.locale === 'zh' ? 'zh-CN' : 'en-US' }))).status).toBe(200);
      const answer = (await untilPosted(id, i + 1)).at(-1)!;
      expect(answer).toMatchObject({ type: 'message', textFormat: 'markdown' });
      expect(answer.text).toMatch(line.answer);
      if (line.source) {
        const [, href] = /\]\(([^)]+)\)/.exec(answer.text!) ?? [];
        expect(href!.slice(PUBLIC_URL.length)).toMatch(line.source);
      } else {
        expect(answer.suggestedActions?.actions[0]).toMatchObject({ type: 'messageBack', title: expect.stringMatching(/person/) });
      }
    }
  });

  it('a suggested action sends its payload, not its label; an activity delivered twice is answered once; an agent\'s reply is a proactive message', async () => {
    const id = `conv-${Date.now()}-h`;
    await post(activity(id, 'Can you recommend a good sushi restaurant in Paris?'));
    const [dontKnow] = await untilPosted(id, 1);
    const human = dontKnow!.suggestedActions!.actions[0]!;
    // a label that means nothing to the bot: only the payload in `value` can make this a handoff
    const press = activity(id, 'Button 1', { value: human.value });
    await post(press);
    await post(press); // the channel delivers it again
    const after = await untilPosted(id, 3); // the handoff's answer and the queue notice
    expect(after.slice(1).map((a) => a.text).join(' ')).toMatch(/colleague|queue|agents/);
    const conversation = await kefu.chat.findOrStart({
      channel: 'botframework',
      ref: { channelId: 'emulator', conversationId: id, serviceUrl: connector.url, botId: 'kefu-bot', botName: 'kefu', tenantId: null },
      customerId: 'user-42',
      locale: 'en',
    });
    const inbound = (await kefu.chat.history(conversation.id)).filter((m) => m.direction === 'in');
    expect(inbound.map((m) => m.text)).toEqual(['Can you recommend a good sushi restaurant in Paris?', 'Button 1']);
    await kefu.outbox.send(conversation, { author: 'agent', text: 'Hi, this is Li from the service team.' });
    expect(postedTo(id).at(-1)).toMatchObject({ type: 'message', text: 'Hi, this is Li from the service team.' });
    expect(postedTo(id)).toHaveLength(4);
  });

  it('with an app id, a request without a Bot Framework JWT is refused with 401 and not read', async () => {
    const chat = fakeChat();
    const channel = botFrameworkChannel({ appId: '00000000-0000-0000-0000-000000000001', appPassword: 'secret', appType: 'MultiTenant' });
    const app = Fastify();
    await app.register(channel.routes, { prefix: channel.prefix, chat, secret: 's' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const address = app.server.address();
      const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/botframework/messages`;
      expect((await post(activity('conv-jwt', 'hello'), url)).status).toBe(401);
      expect(chat.conversations.size).toBe(0);
    } finally {
      await app.close();
    }
  });
});
