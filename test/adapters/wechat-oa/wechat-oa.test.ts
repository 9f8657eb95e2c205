/**
 * The WeChat Official Account channel through its real code path: requests signed the way WeChat signs
 * them (and sealed in safe mode), answered by the demo shop, with everything kefu sends outside the
 * passive reply going to a local stand-in of WeChat's API in its wire format.
 */
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../adapters/index.ts';
import { wechatOaChannel } from '../../../adapters/wechat-oa/channel.ts';
import type { WechatOaSettings } from '../../../adapters/wechat-oa/settings.ts';
import { wechatSignature } from '../../../adapters/wechat-oa/signature.ts';
import { startKefu, type Kefu } from '../../../bot/app.ts';
import type { Channel } from '../../../bot/turn/channel.ts';
import { CONVERSATION_SCRIPT } from '../../helpers/conversation-script.ts';
import { startFakeWechat } from './fake-wechat.ts';
import { wechatServer } from './wechat-oa-client.ts';

const ACCOUNT = { appId: 'wx0123456789abcdef', appSecret: 'app-secret' };
const PUBLIC_URL = 'https://shop.example';
const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';

let fake: Awaited<ReturnType<typeof startFakeWechat>>;
let kefu: Kefu;
let plain: WechatOaSettings;
let oa: ReturnType<typeof wechatServer>;
let safe: ReturnType<typeof wechatServer>;

beforeAll(async () => {
  fake = await startFakeWechat(ACCOUNT);
  plain = { token: 'oa-token', ...ACCOUNT, apiBase: fake.url, publicUrl: PUBLIC_URL };
  const sealed: WechatOaSettings = { ...plain, name: 'wechat-oa-safe', path: '/wechat-safe', encodingAesKey: AES_KEY };
  kefu = await startKefu({
    botDir: 'examples/demo-shop',
    port: 0,
    channels: [...channels(), wechatOaChannel(plain) as unknown as Channel, wechatOaChannel(sealed) as unknown as Channel],
  });
  oa = wechatServer({ url: `${kefu.url}/wechat`, token: plain.token });
  safe = wechatServer({ url: `${kefu.url}/wechat-safe`, token: plain.token, encodingAesKey: AES_KEY, appId: ACCOUNT.appId });
});
afterAll(async () => {
  await kefu?.close();
  await fake?.close();
});

let n = 0;
const follower = () => `o-follower-${Date.now()}-${n++}`;
const customerMessages = async (openid: string) => {
  const conversation = await kefu.chat.findOrStart({ channel: 'wechat-oa', ref: { openid }, customerId: openid, locale: 'zh' });
  return (await kefu.chat.history(conversation.id)).filter((m) => m.direction === 'in');
};

describe('WeChat checks the account URL', () => {
  it('a signed check gets its echostr back; a wrong signature or a stale timestamp is refused', async () => {
    const check = (query: Record<string, string>) => fetch(`${kefu.url}/wechat?${new URLSearchParams(query)}`);
    const ok = await check({ ...oa.signedQuery(), echostr: 'echo-4711' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('echo-4711');
    const forged = await check({ ...oa.signedQuery(), signature: wechatSignature('another-token', '1', '2'), echostr: 'x' });
    expect(forged.status).toBe(401);
    expect(await forged.text()).toMatch(/invalid signature/);
    const stale = await check({ ...oa.signedQuery({}, Math.floor(Date.now() / 1000) - 3600), echostr: 'x' });
    expect(stale.status).toBe(401);
    expect(await stale.text()).toMatch(/stale timestamp/);
  });
});

describe('a follower writes to the account', () => {
  it('carries the conversation script: each answer is the passive reply, its source linked; "don\'t know" offers a person', async () => {
    const openid = follower();
    for (const [i, line] of CONVERSATION_SCRIPT.entries()) {
      const { status, reply } = await oa.post({ openid, msgId: `${openid}-${i}`, text: line.text });
      expect(status).toBe(200);
      expect(reply).toMatchObject({ ToUserName: openid, FromUserName: 'gh_demo_shop', MsgType: 'text' });
      expect(reply!.Content).toMatch(line.answer);
      const [, href] = /href="([^"]+)"/.exec(reply!.Content!) ?? [];
      if (line.source) {
        expect(href?.startsWith(PUBLIC_URL)).toBe(true);
        expect(href!.slice(PUBLIC_URL.length)).toMatch(line.source);
        expect(reply!.Content).not.toMatch(/\*\*/); // WeChat shows no bold: the marks are gone
        expect(reply!.Content).toMatch(line.locale === 'zh' ? /来源/ : /Sources/);
      } else expect(reply!.Content).toMatch(/person|人工/);
    }
    expect((await customerMessages(openid)).map((m) => m.text)).toEqual(CONVERSATION_SCRIPT.map((l) => l.text));
  });

  it('a message WeChat delivers again (same MsgId) is answered once and stored once', async () => {
    const openid = follower();
    const first = await oa.post({ openid, msgId: 'dup-1', text: 'How long does delivery take?' });
    expect(first.reply?.Content).toMatch(/business days/);
    const sentBefore = fake.sent.length;
    const again = await oa.post({ openid, msgId: 'dup-1', text: 'How long does delivery take?' });
    expect(again).toMatchObject({ status: 200, body: 'success' });
    expect(await customerMessages(openid)).toHaveLength(1);
    expect(fake.sent.length).toBe(sentBefore);
  });

  it('a turn slower than WeChat waits is answered through the customer-service API, once', async () => {
    const openid = follower();
    plain.passiveReplyMs = 0;
    try {
      const answer = await oa.post({ openid, msgId: `${openid}-slow`, text: '退货政策是什么？' });
      expect(answer).toMatchObject({ status: 200, body: 'success' });
      await expect.poll(() => fake.sent.filter((m) => m.touser === openid).length, { timeout: 20_000 }).toBe(1);
      expect(fake.sent.find((m) => m.touser === openid)!.text.content).toMatch(/15/);
    } finally {
      delete plain.passiveReplyMs;
    }
  });

  it('asks for a person, and the agent\'s reply reaches the follower through the API (after the token is refreshed)', async () => {
    const openid = follower();
    const asked = await oa.post({ openid, msgId: `${openid}-human`, text: '我要转人工客服' });
    expect(asked.reply?.Content).toMatch(/排第|人工客服/);
    const conversation = await kefu.chat.findOrStart({ channel: 'wechat-oa', ref: { openid }, customerId: openid, locale: 'zh' });
    fake.rotateToken(); // WeChat no longer takes the token kefu holds
    const issued = fake.tokensIssued();
    const sent = await kefu.outbox.send(conversation, { author: 'agent', text: '您好，我是客服小李，马上为您查看。' });
    expect(sent.status).toBe('sent');
    // the queue notice (the turn's second message) went through the API too; the agent's reply follows it, once
    const toFollower = fake.sent.filter((m) => m.touser === openid).map((m) => m.text.content);
    expect(toFollower.filter((t) => t === '您好，我是客服小李，马上为您查看。')).toHaveLength(1);
    expect(toFollower.at(-1)).toBe('您好，我是客服小李，马上为您查看。');
    expect(fake.tokensIssued()).toBe(issued + 1);
  });

  it('a picture is fetched from WeChat and stored with the message', async () => {
    const openid = follower();
    const png = new PNG({ width: 8, height: 8 });
    png.data.fill(200);
    const bytes = new Uint8Array(PNG.sync.write(png));
    const { status } = await oa.post({ openid, msgId: `${openid}-pic`, picUrl: fake.picture(`${openid}.png`, bytes) });
    expect(status).toBe(200);
    const [row] = await kefu.db.query<{ attachments: { mime: string; size: number }[] }>('select attachments from messages where channel_message_id = $1', [`${openid}-pic`]);
    // stored as the intake re-encodes it (metadata stripped), so by its own hash and size, not the bytes sent
    expect(row!.attachments).toEqual([expect.objectContaining({ mime: 'image/png', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: expect.any(Number) })]);
  });

  it('a voice message gets a clear answer that kefu reads text and pictures; nothing is stored', async () => {
    const openid = follower();
    const { reply } = await oa.post({ openid, msgId: `${openid}-voice`, msgType: 'voice' });
    expect(reply?.Content).toMatch(/文字和图片/);
    expect(await customerMessages(openid)).toHaveLength(0);
  });
});

describe('forged, replayed and broken requests', () => {
  it('an unsigned message, a stale one, malformed XML and an oversized body are refused and not stored', async () => {
    const openid = follower();
    const xml = oa.xmlOf({ openid, msgId: `${openid}-forged`, text: 'hello' });
    expect((await oa.postRaw(xml, { ...oa.signedQuery(), signature: 'f'.repeat(40) })).status).toBe(401);
    expect((await oa.postRaw(xml, oa.signedQuery({}, Math.floor(Date.now() / 1000) - 600))).status).toBe(401);
    const broken = await oa.postRaw('<html><body>hello</body></html>', oa.signedQuery());
    expect(broken.status).toBe(400);
    expect(await broken.text()).toMatch(/root element must be <xml>/);
    expect((await oa.postRaw(`<xml><Content>${'a'.repeat(70_000)}</Content></xml>`, oa.signedQuery())).status).toBe(413);
    expect(await customerMessages(openid)).toHaveLength(0);
  });
});

describe('safe mode (安全模式)', () => {
  it('an encrypted message is answered with a sealed, signed passive reply', async () => {
    const openid = follower();
    const { status, reply } = await safe.post({ openid, msgId: `${openid}-sealed`, text: 'How long does delivery take?' });
    expect(status).toBe(200);
    expect(reply).toMatchObject({ ToUserName: openid, MsgType: 'text' });
    expect(reply!.Content).toMatch(/business days/);
  });

  it('a plain message, or one whose msg_signature does not match, is refused', async () => {
    const openid = follower();
    const xml = safe.xmlOf({ openid, msgId: `${openid}-plain`, text: 'hi' });
    const plainAnswer = await safe.postRaw(xml, safe.signedQuery());
    expect(plainAnswer.status).toBe(400);
    expect(await plainAnswer.text()).toMatch(/must come encrypted/);
    const forged = await safe.postRaw('<xml><Encrypt><![CDATA[AAAAAAAAAAAAAAAAAAAAAA==]]></Encrypt></xml>', safe.signedQuery({ encrypt_type: 'aes', msg_signature: 'f'.repeat(40) }));
    expect(forged.status).toBe(400);
    expect(await forged.text()).toMatch(/msg_signature/);
  });
});
