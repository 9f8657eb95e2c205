import { channelSection, httpAddress, requiredSecret } from '../common/bot-yaml-section.ts';

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

/** The settings bot.yaml's `channels.wechat-oa` may hold (none of them secret). */
const IN_BOT_YAML = { appId: 'string', path: 'string', apiBase: 'string', passiveReplyMs: 'number', maxImageBytes: 'number' } as const;

/**
 * The Official Account channel's settings: bot.yaml's `channels.wechat-oa` (AppID, route path, API base)
 * over the environment's (KEFU_WECHAT_OA_APP_ID, KEFU_WECHAT_OA_API_BASE, KEFU_PUBLIC_URL), with the secrets
 * from the environment: KEFU_WECHAT_OA_TOKEN, KEFU_WECHAT_OA_APP_SECRET, optionally KEFU_WECHAT_OA_AES_KEY.
 * Without a bot.yaml section the channel is on when the token is set. A half-configured account is an
 * error naming what is missing, not a silent skip.
 */
export function wechatOaSettingsFrom(env: NodeJS.ProcessEnv, channels: Record<string, unknown> = {}): WechatOaSettings | undefined {
  const yaml = channelSection(channels, DEFAULT_NAME, IN_BOT_YAML);
  if (yaml === 'off' || (!yaml && !env.KEFU_WECHAT_OA_TOKEN)) return undefined;
  const why = yaml ? 'bot.yaml channels.wechat-oa is on' : 'KEFU_WECHAT_OA_TOKEN is set';
  const token = requiredSecret(env, 'KEFU_WECHAT_OA_TOKEN', why);
  const appId = yaml?.appId ?? env.KEFU_WECHAT_OA_APP_ID;
  if (!appId) throw new Error(`${why}: set its AppID as channels.wechat-oa.appId in bot.yaml or KEFU_WECHAT_OA_APP_ID`);
  const appSecret = requiredSecret(env, 'KEFU_WECHAT_OA_APP_SECRET', why);
  const encodingAesKey = env.KEFU_WECHAT_OA_AES_KEY || undefined;
  if (encodingAesKey !== undefined && !/^[A-Za-z0-9]{43}$/.test(encodingAesKey)) throw new Error('KEFU_WECHAT_OA_AES_KEY must be the 43-character EncodingAESKey of the account');
  const path = yaml?.path;
  if (path !== undefined && !/^\/[\w/-]*$/.test(path)) throw new Error(`bot.yaml channels.wechat-oa.path must be a path such as /wechat, not '${path}'`);
  return {
    token,
    appId,
    appSecret,
    encodingAesKey,
    path,
    apiBase: httpAddress(yaml?.apiBase ?? (env.KEFU_WECHAT_OA_API_BASE || undefined), yaml?.apiBase ? 'bot.yaml channels.wechat-oa.apiBase' : 'KEFU_WECHAT_OA_API_BASE'),
    publicUrl: env.KEFU_PUBLIC_URL || undefined,
    passiveReplyMs: yaml?.passiveReplyMs,
    maxImageBytes: yaml?.maxImageBytes,
  };
}
