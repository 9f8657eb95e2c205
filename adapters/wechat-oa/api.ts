/**
 * The part of WeChat's server API the Official Account channel uses: a stable access token (cached,
 * refreshed before it expires and again when WeChat says it is no longer valid) and the customer-service
 * message API, which reaches a customer outside the 5-second passive reply.
 */
export interface WechatApiOptions {
  /** https://api.weixin.qq.com, or a local stand-in in tests. */
  apiBase: string;
  appId: string;
  appSecret: string;
  timeoutMs?: number;
}

/** WeChat answered with an error code (errcode ≠ 0). */
export class WechatApiError extends Error {
  constructor(
    readonly errcode: number,
    errmsg: string,
  ) {
    super(`WeChat API error ${errcode}: ${errmsg}`);
  }
}

/** Error codes meaning the access token is invalid or expired: fetch a fresh one and try once more. */
const STALE_TOKEN = new Set([40001, 40014, 42001]);
/** Refresh this long before WeChat's stated expiry. */
const EARLY_REFRESH_S = 300;

interface WechatAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
}

export function createWechatApi(opts: WechatApiOptions) {
  const timeoutMs = opts.timeoutMs ?? 5000;
  let token: { value: string; expiresAt: number } | undefined;
  let fetching: Promise<string> | undefined;

  async function post(path: string, body: unknown): Promise<WechatAnswer> {
    const res = await fetch(`${opts.apiBase}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!res.ok) throw new Error(`WeChat API ${path} answered HTTP ${res.status}`);
    return (await res.json()) as WechatAnswer;
  }

  /** The stable access token: every process of one account gets the same one, so they do not revoke each other's. */
  async function fetchToken(): Promise<string> {
    const answer = await post('/cgi-bin/stable_token', { grant_type: 'client_credential', appid: opts.appId, secret: opts.appSecret, force_refresh: false });
    if (!answer.access_token) throw new WechatApiError(answer.errcode ?? -1, answer.errmsg ?? 'no access_token in the answer');
    const lifetime = Math.max(60, (answer.expires_in ?? 7200) - EARLY_REFRESH_S);
    token = { value: answer.access_token, expiresAt: Date.now() + lifetime * 1000 };
    return token.value;
  }

  async function accessToken(): Promise<string> {
    if (token && Date.now() < token.expiresAt) return token.value;
    fetching ??= fetchToken().finally(() => (fetching = undefined));
    return fetching;
  }

  /** Calls an API that takes the access token, fetching a new token once when WeChat refuses the old one. */
  async function call(path: string, body: unknown): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const answer = await post(`${path}?access_token=${encodeURIComponent(await accessToken())}`, body);
      if (!answer.errcode) return;
      if (STALE_TOKEN.has(answer.errcode) && attempt === 1) {
        token = undefined;
        continue;
      }
      throw new WechatApiError(answer.errcode, answer.errmsg ?? '');
    }
  }

  return {
    accessToken,
    /** A text message to a follower through the customer-service message API (客服消息). */
    sendText: (openid: string, content: string) => call('/cgi-bin/message/custom/send', { touser: openid, msgtype: 'text', text: { content } }),
  };
}

export type WechatApi = ReturnType<typeof createWechatApi>;
