/**
 * Every demo-shop conversation on personal WeChat through wechaty, end to end with wechaty-puppet-mock:
 * a mock contact a conversation, kefu's answers said back through the puppet; buttons are typed labels.
 */
import { PuppetMock, mock } from 'wechaty-puppet-mock';
import { wechatyChannel } from '../../../../adapters/wechaty/channel.ts';
import type { Channel } from '../../../../bot/turn/channel.ts';
import { allConversationsOn, startDemoShop } from './all-conversations.ts';
import { wechatyCustomer, type Said } from './wechaty-customer.ts';

allConversationsOn('WeChat through wechaty', async (watch) => {
  const mocker = new mock.Mocker();
  const puppet = new PuppetMock({ mocker });
  const [account] = mocker.createContacts(1) as [mock.ContactMock];
  const saidByKefu: Said[] = [];
  puppet.on('message', ({ messageId }) => {
    const said = mocker.messagePayload(messageId) as Said;
    if (said.talkerId === account.id) saidByKefu.push(said);
  });
  const kefu = await startDemoShop(watch, [wechatyChannel({ wechaty: { name: 'kefu-conversations', puppet } }) as unknown as Channel]);
  const loggedIn = new Promise<void>((resolve) => puppet.once('login', () => resolve()));
  mocker.login(account);
  await loggedIn;
  return {
    side: wechatyCustomer({ mocker, account, saidByKefu, watch }),
    close: () => kefu.close(),
  };
});
