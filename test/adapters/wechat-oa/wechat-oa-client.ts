/**
 * What WeChat's servers do when a follower writes to an Official Account: sign the request with the
 * account's token and post the message as XML (encrypted in safe mode). Used by the tests and the bench.
 */
import { randomBytes } from 'node:crypto';
import { createSafeMode } from '../../../adapters/wechat-oa/safe-mode.ts';
import { wechatSignature } from '../../../adapters/wechat-oa/signature.ts';
import { parseWechatXml, wechatXml } from '../../../adapters/wechat-oa/xml.ts';

export interface FollowerMessage {
  openid: string;
  msgId: string;
  text?: string;
  picUrl?: string;
  msgType?: string;
}

export function wechatServer(opts: { url: string; token: string; account?: string; encodingAesKey?: string; appId?: string }) {
  const safeMode = opts.encodingAesKey ? createSafeMode(opts.encodingAesKey, opts.appId!) : undefined;

  function signedQuery(extra: Record<string, string> = {}, at = Math.floor(Date.now() / 1000)) {
    const timestamp = String(at);
    const nonce = randomBytes(6).toString('hex');
    return { timestamp, nonce, signature: wechatSignature(opts.token, timestamp, nonce), ...extra };
  }

  function xmlOf(m: FollowerMessage) {
    const msgType = m.msgType ?? (m.picUrl ? 'image' : 'text');
    return wechatXml({
      ToUserName: opts.account ?? 'gh_demo_shop',
      FromUserName: m.openid,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: msgType,
      ...(m.text !== undefined ? { Content: m.text } : {}),
      ...(m.picUrl ? { PicUrl: m.picUrl, MediaId: `media-${m.msgId}` } : {}),
      MsgId: m.msgId,
    });
  }

  /** Posts raw XML with the given query; returns the HTTP answer. */
  async function postRaw(body: string, query: Record<string, string>) {
    return fetch(`${opts.url}?${new URLSearchParams(query)}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  }

  return {
    signedQuery,
    xmlOf,
    postRaw,
    /** Posts a follower's message, signed (and sealed in safe mode); returns the status and the reply's fields (or its plain body). */
    async post(m: FollowerMessage): Promise<{ status: number; body: string; reply?: Record<string, string> }> {
      const query = signedQuery();
      let body = xmlOf(m);
      if (safeMode) {
        const encrypted = safeMode.encrypt(body);
        body = wechatXml({ ToUserName: opts.account ?? 'gh_demo_shop', Encrypt: encrypted });
        Object.assign(query, { encrypt_type: 'aes', msg_signature: wechatSignature(opts.token, query.timestamp, query.nonce, encrypted) });
      }
      const res = await postRaw(body, query);
      const text = await res.text();
      if (!text.startsWith('<xml>')) return { status: res.status, body: text };
      let reply = parseWechatXml(text);
      if (safeMode) {
        if (reply.MsgSignature !== wechatSignature(opts.token, reply.TimeStamp!, reply.Nonce!, reply.Encrypt!)) throw new Error('the sealed reply is not signed right');
        reply = parseWechatXml(safeMode.decrypt(reply.Encrypt!));
      }
      return { status: res.status, body: text, reply };
    },
  };
}
