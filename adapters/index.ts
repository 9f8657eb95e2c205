/**
 * The channels kefu serves, handed to the bot by the CLI. A channel is one folder here (its routes as a
 * fastify plugin, its conversation reference, `send`) and one line in this list.
 */
import type { Channel } from '../bot/turn/channel.ts';
import { webChannel } from './web/channel.ts';
import type { WebChannelOptions } from './web/routes.ts';
import { slackChannel } from './slack/channel.ts';
import { slackSettingsFrom, type SlackSettings } from './slack/settings.ts';
import { wechatOaChannel } from './wechat-oa/channel.ts';
import { wechatOaSettingsFrom, type WechatOaSettings } from './wechat-oa/settings.ts';

export interface ChannelSettings {
  web?: WebChannelOptions;
  /** The WeChat Official Account; off unless configured. */
  wechatOa?: WechatOaSettings;
  /** A Slack app; off unless configured. */
  slack?: SlackSettings;
}

/** The settings of the channels configured in the environment (the web channel is always on). */
export function channelSettingsFrom(env: NodeJS.ProcessEnv): ChannelSettings {
  return { wechatOa: wechatOaSettingsFrom(env), slack: slackSettingsFrom(env) };
}

export function channels(settings: ChannelSettings = {}): Channel[] {
  return [
    webChannel(settings.web),
    ...(settings.wechatOa ? [wechatOaChannel(settings.wechatOa) as unknown as Channel] : []),
    ...(settings.slack ? [slackChannel(settings.slack) as unknown as Channel] : []),
  ];
}
