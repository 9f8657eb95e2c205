import type { Channel } from '../../bot/turn/channel.ts';
import { createWechatApi } from './api.ts';
import { wechatText } from '../common/wechat-text.ts';
import { createPassiveReplies } from './passive-reply.ts';
import { wechatOaRoutes, type WechatOaRef } from './routes.ts';
import { createSafeMode } from './safe-mode.ts';
import { DEFAULT_NAME, type WechatOaSettings } from './settings.ts';

/**
 * The WeChat Official Account channel (公众号), served at /wechat (the account's server URL) unless configured otherwise. A message's
 * answer goes back as the passive reply when the turn is done in time; every other message kefu sends
 * into the conversation (later messages of a turn, an agent's reply, a notice) goes through WeChat's
 * customer-service message API to the follower's openid.
 */
export function wechatOaChannel(settings: WechatOaSettings): Channel<WechatOaRef> {
  const api = createWechatApi({ apiBase: settings.apiBase ?? 'https://api.weixin.qq.com', appId: settings.appId, appSecret: settings.appSecret });
  const passive = createPassiveReplies();
  const safeMode = settings.encodingAesKey ? createSafeMode(settings.encodingAesKey, settings.appId) : undefined;
  return {
    name: settings.name ?? DEFAULT_NAME,
    prefix: settings.path ?? '/wechat',
    routes: wechatOaRoutes({ settings, passive, safeMode }),
    async send(ref, message, conversation) {
      if (passive.offer(conversation.id, message)) return;
      await api.sendText(ref.openid, wechatText(message, conversation.locale, { publicUrl: settings.publicUrl, links: 'anchor' }));
    },
  };
}
