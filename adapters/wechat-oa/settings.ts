/** An Official Account's settings: what its developer page (开发 → 基本配置) shows, kept out of the repository. */
export const DEFAULT_NAME = 'wechat-oa';

export interface WechatOaSettings {
  /** The channel's name, for a company with more than one account ('wechat-oa' by default). */
  name?: string;
  /** Where WeChat posts: the account's server URL path ('/wechat' by default). */
  path?: string;
  /** The Token set on the account's server configuration: it signs every request WeChat sends. */
  token: string;
  appId: string;
  appSecret: string;
  /** The EncodingAESKey; set in safe mode (安全模式) or compatible mode, when messages come encrypted. */
  encodingAesKey?: string;
  /** WeChat's API server; a local stand-in in tests. */
  apiBase?: string;
  /** kefu's public address, to link an answer's sources. */
  publicUrl?: string;
  /** How long a request waits for the turn before the answer goes through the message API instead (WeChat waits 5 s; read per request). */
  passiveReplyMs?: number;
  /** Requests older (or newer) than this are refused as replays. */
  maxClockSkewS?: number;
  /** The largest picture a customer may send, in bytes. */
  maxImageBytes?: number;
}

/**
 * The Official Account channel's settings from the environment (KEFU_WECHAT_OA_TOKEN, …_APP_ID,
 * …_APP_SECRET, optionally …_AES_KEY and …_API_BASE, and KEFU_PUBLIC_URL); undefined when the token is not
 * set, so the channel is off. A half-configured account is an error, not a silent skip.
 */
export function wechatOaSettingsFrom(env: NodeJS.ProcessEnv): WechatOaSettings | undefined {
  const token = env.KEFU_WECHAT_OA_TOKEN;
  if (!token) return undefined;
  const appId = env.KEFU_WECHAT_OA_APP_ID;
  const appSecret = env.KEFU_WECHAT_OA_APP_SECRET;
  if (!appId || !appSecret) throw new Error('KEFU_WECHAT_OA_TOKEN is set: set KEFU_WECHAT_OA_APP_ID and KEFU_WECHAT_OA_APP_SECRET too');
  return {
    token,
    appId,
    appSecret,
    encodingAesKey: env.KEFU_WECHAT_OA_AES_KEY || undefined,
    apiBase: env.KEFU_WECHAT_OA_API_BASE || undefined,
    publicUrl: env.KEFU_PUBLIC_URL || undefined,
  };
}
