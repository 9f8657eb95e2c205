/**
 * Every demo-shop conversation on a WeChat Official Account: signed XML posts, each answer the passive reply
 * or a customer-service message to a local stand-in of WeChat's API; buttons are typed labels.
 */
import { wechatOaChannel } from '../../../../adapters/wechat-oa/channel.ts';
import type { Channel } from '../../../../bot/turn/channel.ts';
import { startFakeWechat } from '../../../adapters/wechat-oa/fake-wechat.ts';
import { wechatServer } from '../../../adapters/wechat-oa/wechat-oa-client.ts';
import { allConversationsOn, startDemoShop } from './all-conversations.ts';
import { wechatOaCustomer } from './wechat-oa-customer.ts';

const ACCOUNT = { appId: 'wx0123456789abcdef', appSecret: 'app-secret' };

allConversationsOn('a WeChat Official Account', async (watch) => {
  const api = await startFakeWechat(ACCOUNT);
  const settings = { token: 'oa-token', ...ACCOUNT, apiBase: api.url, publicUrl: 'https://shop.example' };
  const kefu = await startDemoShop(watch, [wechatOaChannel(settings) as unknown as Channel]);
  return {
    side: wechatOaCustomer({ wechat: wechatServer({ url: `${kefu.url}/wechat`, token: settings.token }), api, watch }),
    async close() {
      await kefu.close();
      await api.close();
    },
  };
});
