/**
 * Every demo-shop conversation on the Bot Framework: activities through botbuilder's CloudAdapter, answers
 * sent as proactive messages to a local stand-in of the channel's connector service.
 */
import { botFrameworkChannel } from '../../../../adapters/botframework/channel.ts';
import type { Channel } from '../../../../bot/turn/channel.ts';
import { startFakeConnector } from '../../../adapters/botframework/fake-connector.ts';
import { allConversationsOn, startDemoShop } from './all-conversations.ts';
import { botFrameworkCustomer } from './botframework-customer.ts';

allConversationsOn('the Bot Framework', async (watch) => {
  const connector = await startFakeConnector();
  const kefu = await startDemoShop(watch, [botFrameworkChannel({ publicUrl: 'https://shop.example' }) as unknown as Channel]);
  return {
    side: botFrameworkCustomer({ url: kefu.url, connector, watch }),
    async close() {
      await kefu.close();
      await connector.close();
    },
  };
});
