/**
 * Every demo-shop conversation on Slack: signed events and button presses through Bolt's real code path,
 * answers posted to a local stand-in of Slack's Web API.
 */
import { slackChannel } from '../../../../adapters/slack/channel.ts';
import type { Channel } from '../../../../bot/turn/channel.ts';
import { startFakeSlack } from '../../../adapters/slack/fake-slack.ts';
import { allConversationsOn, startDemoShop } from './all-conversations.ts';
import { slackCustomer } from './slack-customer.ts';

const SIGNING_SECRET = 'slack-signing-secret';
const BOT_TOKEN = 'xoxb-test-token';

allConversationsOn('Slack', async (watch) => {
  const slack = await startFakeSlack(BOT_TOKEN);
  const channel = slackChannel({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: slack.apiUrl, publicUrl: 'https://shop.example' });
  // Slack's pace (a message a second into one place; test/bot/inbox/pacer.test.ts) would make this file
  // wait a second a turn: the conversations go through the same send without it
  const kefu = await startDemoShop(watch, [{ ...channel, pace: undefined } as unknown as Channel]);
  return {
    side: slackCustomer({ url: kefu.url, signingSecret: SIGNING_SECRET, slack, watch }),
    async close() {
      await kefu.close();
      await slack.close();
    },
  };
});
