/**
 * The channels kefu serves, handed to the bot by the CLI. A channel is one folder here (its routes as a
 * fastify plugin, its conversation reference, `send`) and one line in this list.
 */
import type { Channel } from '../bot/turn/channel.ts';
import { webChannel } from './web/channel.ts';
import type { WebChannelOptions } from './web/routes.ts';
import { botFrameworkChannel } from './botframework/channel.ts';
import { botFrameworkSettingsFrom, type BotFrameworkSettings } from './botframework/settings.ts';
import { slackChannel } from './slack/channel.ts';
import { slackSettingsFrom, type SlackSettings } from './slack/settings.ts';
import { wechatOaChannel } from './wechat-oa/channel.ts';
import { wechatyChannel } from './wechaty/channel.ts';
import { wechatySettingsFrom, type WechatySettings } from './wechaty/settings.ts';
import { wechatOaSettingsFrom, type WechatOaSettings } from './wechat-oa/settings.ts';
import { checkChannelNames } from './common/bot-yaml-section.ts';

export interface ChannelSettings {
  web?: WebChannelOptions;
  /** The WeChat Official Account; off unless configured. */
  wechatOa?: WechatOaSettings;
  /** A Slack app; off unless configured. */
  slack?: SlackSettings;
  /** An Azure Bot (Teams, Web Chat, Direct Line) or the Bot Framework Emulator; off unless configured. */
  botFramework?: BotFrameworkSettings;
  /** A personal WeChat account through a wechaty puppet; off unless configured. */
  wechaty?: WechatySettings;
}

/** The names channels go by in bot.yaml's `channels:` (the web channel is always on and has none). */
const IN_BOT_YAML = ['slack', 'wechat-oa', 'botframework', 'wechaty'];

/**
 * The channels' settings: which are on and their non-secret settings from bot.yaml's `channels:` (the
 * parsed section, if any), secrets from the environment; without a bot.yaml section a channel is on when its
 * variables are set. A missing or wrong setting throws, naming the bot.yaml key or the variable.
 */
export function channelSettingsFrom(env: NodeJS.ProcessEnv, botYamlChannels?: unknown): ChannelSettings {
  const fromYaml = checkChannelNames(botYamlChannels, IN_BOT_YAML);
  return {
    wechatOa: wechatOaSettingsFrom(env, fromYaml),
    slack: slackSettingsFrom(env, fromYaml),
    botFramework: botFrameworkSettingsFrom(env, fromYaml),
    wechaty: wechatySettingsFrom(env, fromYaml),
  };
}

export function channels(settings: ChannelSettings = {}): Channel[] {
  return [
    webChannel(settings.web),
    ...(settings.wechatOa ? [wechatOaChannel(settings.wechatOa) as unknown as Channel] : []),
    ...(settings.slack ? [slackChannel(settings.slack) as unknown as Channel] : []),
    ...(settings.botFramework ? [botFrameworkChannel(settings.botFramework) as unknown as Channel] : []),
    ...(settings.wechaty ? [wechatyChannel(settings.wechaty) as unknown as Channel] : []),
  ];
}
