import type { WechatyOptions } from 'wechaty';

/** A WeChat account kefu runs through wechaty: which puppet (the protocol driver) and its token. */
export interface WechatySettings {
  /** wechaty's own options: the puppet's npm name (e.g. `wechaty-puppet-service`) with its options, or a puppet instance (tests pass the mock). */
  wechaty: WechatyOptions;
  /** kefu's public address, to print an answer's sources as links. */
  publicUrl?: string;
  /** The largest image a customer may send, in bytes. */
  maxImageBytes?: number;
}

/**
 * The wechaty channel's settings from the environment: on when KEFU_WECHATY_PUPPET names a puppet
 * package (installed beside kefu), with KEFU_WECHATY_PUPPET_TOKEN for a puppet service.
 */
export function wechatySettingsFrom(env: NodeJS.ProcessEnv): WechatySettings | undefined {
  const puppet = env.KEFU_WECHATY_PUPPET;
  if (!puppet) return undefined;
  const token = env.KEFU_WECHATY_PUPPET_TOKEN;
  const wechaty = { name: 'kefu', puppet, puppetOptions: token ? { token } : undefined } as WechatyOptions;
  return { wechaty, publicUrl: env.KEFU_PUBLIC_URL || undefined };
}
