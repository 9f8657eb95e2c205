/**
 * The Slack channel through Bolt's real code path: events and button presses signed the way Slack signs
 * them (v0 HMAC), answered by the demo shop, posted to a local stand-in of Slack's Web API.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../adapters/index.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import { CONVERSATION_SCRIPT } from '../../helpers/conversation-script.ts';
import { startFakeSlack, type Posted } from './fake-slack.ts';
import { eventBody, interaction, signedSlackRequest } from './signed-request.ts';

const SIGNING_SECRET = 'slack-signing-secret';
const BOT_TOKEN = 'xoxb-test-token';
const PUBLIC_URL = 'https://shop.example';

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let kefu: Kefu;
beforeAll(async () => {
  slack = await startFakeSlack(BOT_TOKEN);
  kefu = await startKefu({ botDir: 'examples/demo-shop', port: 0, channels: channels({ slack: { signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: slack.apiUrl, publicUrl: PUBLIC_URL } }) });
});
afterAll(async () => {
  await kefu?.close();
  await slack?.close();
});

let clock = 1_800_000_000;
const nextTs = () => `${clock++}.000200`;

const signed = (body: string, contentType: string, opts: { secret?: string; at?: number; retry?: number } = {}) => signedSlackRequest(`${kefu.url}/slack/events`, SIGNING_SECRET, body, contentType, opts);

const dm = (channel: string, text: string, ts = nextTs(), extra: Record<string, unknown> = {}) =>
  ({ type: 'message', channel, channel_type: 'im', user: 'U0CUSTOMER', text, ts, event_ts: ts, ...extra });

const postedTo = (channel: string) => slack.posted.filter((p) => p.channel === channel);
const untilPosted = async (channel: string, count: number): Promise<Posted[]> => {
  await expect.poll(() => postedTo(channel).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
  return postedTo(channel);
};
const buttons = (p: Posted) => p.blocks.find((b) => b.type === 'actions')?.elements ?? [];
const context = (p: Posted) => JSON.stringify(p.blocks.find((b) => b.type === 'context') ?? {});

describe('Slack', () => {
  it('answers its URL check, and refuses a wrong signature and a stale timestamp', async () => {
    const check = await signed(JSON.stringify({ type: 'url_verification', challenge: 'chal-4711' }), 'application/json');
    expect(await check.json()).toEqual({ challenge: 'chal-4711' });
    const forged = await signed(eventBody(dm('D0FORGED', 'hi')), 'application/json', { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    const stale = await signed(eventBody(dm('D0STALE', 'hi')), 'application/json', { at: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    expect((await stale.json()).error).toMatch(/refused/);
    expect(postedTo('D0FORGED')).toHaveLength(0);
  });

  it('carries the conversation script in a DM: one conversation, each answer posted with its source linked', async () => {
    const channel = `D${Date.now()}`;
    for (const [i, line] of CONVERSATION_SCRIPT.entries()) {
      expect((await signed(eventBody(dm(channel, line.text)), 'application/json')).status).toBe(200);
      const answer = (await untilPosted(channel, i + 1)).at(-1)!;
      expect(answer.text).toMatch(line.answer);
      if (line.source) {
        const [, href] = /<([^|>]+)\|/.exec(context(answer)) ?? [];
        expect(href!.slice(PUBLIC_URL.length)).toMatch(line.source);
      } else {
        expect(buttons(answer)[0]?.text).toMatchObject({ text: expect.stringMatching(/person|人工/) });
      }
    }
    const conversation = await kefu.chat.findOrStart({ channel: 'slack', ref: { channel }, customerId: 'U0CUSTOMER', locale: 'en' });
    expect((await kefu.chat.history(conversation.id)).filter((m) => m.direction === 'in').map((m) => m.text)).toEqual(CONVERSATION_SCRIPT.map((l) => l.text));
  });

  it('a redelivered event (X-Slack-Retry-Num) is answered once', async () => {
    const channel = `D${Date.now()}R`;
    const event = eventBody(dm(channel, 'How long does delivery take?'));
    await signed(event, 'application/json');
    await untilPosted(channel, 1);
    expect((await signed(event, 'application/json', { retry: 1 })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1500));
    expect(postedTo(channel)).toHaveLength(1);
  });

  it('a mention in a channel is answered in its thread; a button press sends its payload, and an agent\'s reply lands in the thread', async () => {
    const channel = `C${Date.now()}`;
    const ts = nextTs();
    await signed(eventBody({ type: 'app_mention', channel, user: 'U0CUSTOMER', text: '<@UKEFU> Can you recommend a good sushi restaurant in Paris?', ts, event_ts: ts }), 'application/json');
    const [dontKnow] = await untilPosted(channel, 1);
    expect(dontKnow!.thread_ts).toBe(ts);
    const human = buttons(dontKnow!)[0]!;
    expect(human.text).toMatchObject({ text: expect.stringMatching(/person/) });

    const press = {
      type: 'block_actions',
      user: { id: 'U0CUSTOMER' },
      team: { id: 'T0DEMO' },
      api_app_id: 'A0KEFU',
      container: { type: 'message', message_ts: dontKnow!.ts, channel_id: channel },
      channel: { id: channel },
      message: { ts: dontKnow!.ts, thread_ts: ts, text: dontKnow!.text },
      // a label that means nothing to the bot: only the button's value (the payload) can make this a handoff
      actions: [{ type: 'button', action_id: human.action_id, block_id: 'b1', text: { type: 'plain_text', text: 'Button 1' }, value: human.value, action_ts: nextTs() }],
      trigger_id: 'trigger',
    };
    expect((await signed(interaction(press), 'application/x-www-form-urlencoded')).status).toBe(200);
    const afterPress = await untilPosted(channel, 3); // the handoff's answer and the queue notice
    expect(afterPress[1]!.thread_ts).toBe(ts);
    expect(afterPress.slice(1).map((p) => p.text).join(' ')).toMatch(/colleague|queue|agents/);

    const conversation = await kefu.chat.findOrStart({ channel: 'slack', ref: { channel, thread: ts }, customerId: 'U0CUSTOMER', locale: 'en' });
    const customer = (await kefu.chat.history(conversation.id)).filter((m) => m.direction === 'in');
    expect(customer.map((m) => m.text)).toEqual(['Can you recommend a good sushi restaurant in Paris?', 'Button 1']);
    await kefu.outbox.send(conversation, { author: 'agent', text: 'Hi, this is Li from the service team.' });
    const last = postedTo(channel).at(-1)!;
    expect(last).toMatchObject({ thread_ts: ts, text: 'Hi, this is Li from the service team.' });
  });

  it('an image shared in a DM is fetched with the bot token and stored with the message', async () => {
    const channel = `D${Date.now()}I`;
    const png = new PNG({ width: 8, height: 8 });
    png.data.fill(120);
    const bytes = new Uint8Array(PNG.sync.write(png));
    const ts = nextTs();
    const file = { mimetype: 'image/png', name: 'parcel.png', url_private_download: slack.file(`${ts}.png`, bytes) };
    await signed(eventBody(dm(channel, 'the parcel arrived like this', ts, { subtype: 'file_share', files: [file] })), 'application/json');
    await untilPosted(channel, 1);
    const [row] = await kefu.db.query<{ attachments: { mime: string; size: number }[] }>('select attachments from messages where channel_message_id = $1', [`${channel}:${ts}`]);
    // stored as the intake re-encodes it (metadata stripped), so by its own hash and size, not the bytes sent
    expect(row!.attachments).toEqual([expect.objectContaining({ mime: 'image/png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: expect.any(Number) })]);
  });

  it('an image over the size limit is not held in memory but kept by its address, so nothing is lost', async () => {
    const channel = `D${Date.now()}L`;
    const ts = nextTs();
    const url = slack.file(`${ts}.png`, new Uint8Array(6 * 1024 * 1024)); // over the 5 MB default
    await signed(eventBody(dm(channel, 'a huge photo', ts, { subtype: 'file_share', files: [{ mimetype: 'image/png', name: 'huge.png', url_private_download: url }] })), 'application/json');
    await untilPosted(channel, 1);
    const [row] = await kefu.db.query<{ attachments: unknown[] }>('select attachments from messages where channel_message_id = $1', [`${channel}:${ts}`]);
    expect(row!.attachments).toEqual([{ mime: 'image/png', name: 'huge.png', url }]);
  });
});
