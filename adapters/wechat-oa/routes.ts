import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ChatRefusal, type ChannelContext } from '../../bot/turn/channel.ts';
import { detectLocale } from '../../bot/turn/locale.ts';
import type { ImageAttachment } from '../../bot/turn/types.ts';
import { downloadImage } from '../common/download.ts';
import { onlyTextAndPictures, wechatText } from '../common/wechat-text.ts';
import type { PassiveReplies } from './passive-reply.ts';
import type { SafeMode } from './safe-mode.ts';
import { DEFAULT_NAME, type WechatOaSettings } from './settings.ts';
import { signatureMatches, wechatSignature } from './signature.ts';
import { parseWechatXml, wechatXml } from './xml.ts';

/** Where a conversation lives on the account: the follower's openid. */
export type WechatOaRef = { openid: string };

/** The largest message body WeChat sends is a few kilobytes; anything far larger is not from WeChat. */
const MAX_BODY_BYTES = 64 * 1024;
/** How long fetching a customer's picture from WeChat may take (the passive reply must come within 5 s). */
const PICTURE_TIMEOUT_MS = 4000;

interface SignedQuery {
  signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  encrypt_type?: string;
  msg_signature?: string;
}

export interface WechatOaDeps {
  settings: WechatOaSettings;
  passive: PassiveReplies;
  safeMode?: SafeMode;
}

/**
 * The Official Account's server URL (服务器地址): `GET` is WeChat checking the URL (echo `echostr` when the
 * signature holds), `POST` a follower's message or event as XML, answered within WeChat's 5 seconds: with
 * the turn's answer as a passive reply when it is ready in time, else with `success` while the answer goes
 * through the customer-service message API. Every request must carry a valid signature and a timestamp
 * within a few minutes; a message WeChat delivers again (same MsgId) is answered once.
 */
export const wechatOaRoutes = (deps: WechatOaDeps) => async (app: FastifyInstance, { chat }: ChannelContext) => {
  const { settings, passive, safeMode } = deps;
  const channel = settings.name ?? DEFAULT_NAME;
  const maxClockSkewS = settings.maxClockSkewS ?? 300;
  const maxImageBytes = settings.maxImageBytes ?? 5 * 1024 * 1024;

  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));

  /** Refuses a request WeChat did not sign, or one signed too long ago (a replay). */
  app.addHook('preHandler', async (req: FastifyRequest<{ Querystring: SignedQuery }>, reply) => {
    const { signature, timestamp = '', nonce = '' } = req.query;
    if (!signatureMatches(signature, wechatSignature(settings.token, timestamp, nonce))) {
      return reply.code(401).type('text/plain').send('invalid signature: this request was not signed with the account token');
    }
    const age = Math.abs(Date.now() / 1000 - Number(timestamp));
    if (!Number.isFinite(age) || age > maxClockSkewS) {
      return reply.code(401).type('text/plain').send(`stale timestamp: requests older than ${maxClockSkewS} s are refused`);
    }
  });

  app.get('/', async (req: FastifyRequest<{ Querystring: SignedQuery }>, reply) => reply.type('text/plain').send(req.query.echostr ?? ''));

  app.post('/', async (req: FastifyRequest<{ Querystring: SignedQuery }>, reply) => {
    let message: Record<string, string>;
    try {
      message = readMessage(req.query, String(req.body ?? ''));
    } catch (err) {
      return reply.code(400).type('text/plain').send(`bad message: ${(err as Error).message}`);
    }
    const answer = (text: string) => {
      const xml = wechatXml({ ToUserName: message.FromUserName ?? '', FromUserName: message.ToUserName ?? '', CreateTime: Math.floor(Date.now() / 1000), MsgType: 'text', Content: text });
      return reply.type('application/xml').send(safeMode ? sealed(xml, req.query.nonce ?? '') : xml);
    };
    const openid = message.FromUserName;
    if (!openid) return reply.code(400).type('text/plain').send('bad message: no FromUserName');
    if (message.MsgType !== 'text' && message.MsgType !== 'image') {
      // events (follow, menu clicks) need no answer; voice, video and the like kefu cannot read yet
      return message.MsgType === 'event' ? reply.type('text/plain').send('success') : answer(onlyTextAndPictures('zh'));
    }

    const text = message.MsgType === 'text' ? (message.Content ?? '') : '';
    const ref: WechatOaRef = { openid };
    const conversation = await chat.findOrStart({ channel, ref, customerId: openid, locale: detectLocale(text, 'zh') });
    const images = message.MsgType === 'image' ? await picture(message, req) : [];
    const waiting = passive.open(conversation.id);
    try {
      const receipt = await chat.receive({
        channel,
        // WeChat's own message id; a message without one is known by its sender and time
        channelMessageId: message.MsgId ?? `${openid}:${message.CreateTime ?? ''}`,
        conversationId: conversation.id,
        customerId: openid,
        text,
        images,
        locale: text ? detectLocale(text, conversation.locale) : undefined,
        receivedAt: new Date(),
      });
      if (receipt.duplicate) return reply.type('text/plain').send('success');
      const first = await waiting.settle(settings.passiveReplyMs ?? 4500, receipt.replies);
      return first ? answer(wechatText(first, conversation.locale, { publicUrl: settings.publicUrl, links: 'anchor' })) : reply.type('text/plain').send('success');
    } catch (err) {
      if (err instanceof ChatRefusal) return answer(err.message);
      throw err;
    } finally {
      passive.release(conversation.id, waiting);
    }
  });

  /** The message's fields, decrypted first in safe mode (its own signature over the ciphertext checked). */
  function readMessage(query: SignedQuery, body: string): Record<string, string> {
    const outer = parseWechatXml(body);
    if (!safeMode) return outer;
    const encrypted = outer.Encrypt;
    if (!encrypted) throw new Error('safe mode is on: the message must come encrypted (<Encrypt>)');
    if (!signatureMatches(query.msg_signature, wechatSignature(settings.token, query.timestamp ?? '', query.nonce ?? '', encrypted))) {
      throw new Error('msg_signature does not match the encrypted message');
    }
    return parseWechatXml(safeMode.decrypt(encrypted));
  }

  /** A passive reply sealed for safe mode, with its own signature. */
  function sealed(xml: string, nonce: string): string {
    const encrypted = safeMode!.encrypt(xml);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return wechatXml({ Encrypt: encrypted, MsgSignature: wechatSignature(settings.token, timestamp, nonce, encrypted), TimeStamp: Number(timestamp), Nonce: nonce });
  }

  /** The picture a customer sent, fetched from WeChat; when that fails, kefu keeps its address so nothing is lost. */
  async function picture(message: Record<string, string>, req: FastifyRequest): Promise<ImageAttachment[]> {
    if (!message.PicUrl) return [];
    try {
      return [{ mime: 'image/jpeg', bytes: await downloadImage(message.PicUrl, { maxBytes: maxImageBytes, timeoutMs: PICTURE_TIMEOUT_MS }), name: message.MediaId }];
    } catch (err) {
      req.log.warn({ err, picUrl: message.PicUrl }, 'could not fetch the picture a customer sent');
      return [{ mime: 'image/jpeg', url: message.PicUrl, name: message.MediaId }];
    }
  }

  /** Refusals (too large, unreadable) say what was wrong; an unexpected failure asks WeChat to deliver again. */
  app.setErrorHandler((err: FastifyError, req, reply: FastifyReply) => {
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).type('text/plain').send(err.message);
    req.log.error({ err }, 'wechat-oa request failed');
    return reply.code(500).type('text/plain').send('kefu could not take this message; WeChat will deliver it again');
  });
};
