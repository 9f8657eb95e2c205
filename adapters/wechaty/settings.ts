import type { WechatyOptions } from 'wechaty';
import { channelSection } from '../common/bot-yaml-section.ts';

/** A WeChat account kefu runs through wechaty: which puppet (the protocol driver) and its token. */
export interface WechatySettings {
  /** wechaty's own options: the puppet's npm name (e.g. `wechaty-puppet-service`) with its options, or a puppet instance (tests pass the mock). */
  wechaty: WechatyOptions;
  /** kefu's public address, to print an answer's sources as links. */
  publicUrl?: string;
  /** The largest image a customer may send, in bytes. */
  maxImageBytes?: number;
}

/** The settings bot.yaml's `channels.wechaty` may hold (none of them secret). */
const IN_BOT_YAML = { puppet: 'string', maxImageBytes: 'number' } as const;

/**
 * The wechaty channel's settings: the puppet package from bot.yaml's `channels.wechaty.puppet` or
 * KEFU_WECHATY_PUPPET, its token (a secret) from KEFU_WECHATY_PUPPET_TOKEN. Without a bot.yaml section the
 * channel is on when KEFU_WECHATY_PUPPET is set.
 */
export function wechatySettingsFrom(env: NodeJS.ProcessEnv, channels: Record<string, unknown> = {}): WechatySettings | undefined {
  const yaml = channelSection(channels, 'wechaty', IN_BOT_YAML);
  if (yaml === 'off') return undefined;
  const puppet = yaml?.puppet ?? (env.KEFU_WECHATY_PUPPET || undefined);
  if (!yaml && !puppet) return undefined;
  if (!puppet) throw new Error('bot.yaml channels.wechaty is on: name the puppet package as channels.wechaty.puppet (e.g. wechaty-puppet-service) or KEFU_WECHATY_PUPPET');
  const token = env.KEFU_WECHATY_PUPPET_TOKEN;
  const wechaty = { name: 'kefu', puppet, puppetOptions: token ? { token } : undefined } as WechatyOptions;
  return { wechaty, publicUrl: env.KEFU_PUBLIC_URL || undefined, maxImageBytes: yaml?.maxImageBytes };
}
