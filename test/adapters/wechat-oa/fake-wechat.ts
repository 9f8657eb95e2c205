/**
 * A local stand-in for WeChat's API server (api.weixin.qq.com), speaking its wire format: the stable access
 * token, the customer-service message API, and pictures served where a message's PicUrl points. It can
 * revoke its token to make a caller refresh it, and records every message it was asked to send.
 */
import Fastify from 'fastify';

export interface SentByApi {
  touser: string;
  msgtype: string;
  text: { content: string };
}

export async function startFakeWechat(account: { appId: string; appSecret: string }) {
  const app = Fastify();
  const sent: SentByApi[] = [];
  const pictures = new Map<string, Uint8Array>();
  let token = 'token-1';
  let tokensIssued = 0;

  app.post('/cgi-bin/stable_token', async (req) => {
    const body = req.body as { grant_type?: string; appid?: string; secret?: string };
    if (body.grant_type !== 'client_credential' || body.appid !== account.appId || body.secret !== account.appSecret) {
      return { errcode: 40125, errmsg: 'invalid appsecret' };
    }
    tokensIssued++;
    return { access_token: token, expires_in: 7200 };
  });

  app.post('/cgi-bin/message/custom/send', async (req) => {
    if ((req.query as { access_token?: string }).access_token !== token) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
    const body = req.body as SentByApi;
    if (!body.touser || body.msgtype !== 'text' || typeof body.text?.content !== 'string') return { errcode: 44002, errmsg: 'empty post data' };
    sent.push(body);
    return { errcode: 0, errmsg: 'ok' };
  });

  app.get('/pictures/:name', async (req, reply) => {
    const bytes = pictures.get((req.params as { name: string }).name);
    if (!bytes) return reply.code(404).send();
    return reply.type('image/png').send(Buffer.from(bytes));
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    sent,
    tokensIssued: () => tokensIssued,
    /** WeChat invalidates the token (e.g. another client forced a new one): old tokens get errcode 40001. */
    rotateToken: () => (token = `token-${Date.now()}`),
    picture: (name: string, bytes: Uint8Array) => {
      pictures.set(name, bytes);
      return `${url}/pictures/${name}`;
    },
    close: () => app.close(),
  };
}
