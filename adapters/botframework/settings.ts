import { channelSection } from '../common/bot-yaml-section.ts';

/** An Azure Bot's settings (its Configuration page), kept out of the repository. */
export interface BotFrameworkSettings {
  /** The Microsoft App ID; set, every request must carry a valid Bot Framework JWT. Unset: local testing with the Emulator only. */
  appId?: string;
  appPassword?: string;
  /** 'MultiTenant', 'SingleTenant' or 'UserAssignedMSI' (Azure's own names). */
  appType?: string;
  tenantId?: string;
  /** kefu's public address, to link an answer's sources. */
  publicUrl?: string;
  /** The largest image a customer may send, in bytes. */
  maxImageBytes?: number;
}

/** The settings bot.yaml's `channels.botframework` may hold (none of them secret). */
const IN_BOT_YAML = { appId: 'string', appType: 'string', tenantId: 'string', maxImageBytes: 'number' } as const;
const APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'];

/**
 * The Bot Framework channel's settings: bot.yaml's `channels.botframework` (app id, app type, tenant) over
 * the environment's (KEFU_BOTFRAMEWORK_APP_ID, …_APP_TYPE, …_TENANT_ID), with the secret
 * KEFU_BOTFRAMEWORK_APP_PASSWORD from the environment. Without a bot.yaml section the channel is on when
 * KEFU_BOTFRAMEWORK is `1` (the Emulator, no app id) or an app id is set.
 */
export function botFrameworkSettingsFrom(env: NodeJS.ProcessEnv, channels: Record<string, unknown> = {}): BotFrameworkSettings | undefined {
  const yaml = channelSection(channels, 'botframework', IN_BOT_YAML);
  if (yaml === 'off') return undefined;
  const appId = yaml?.appId ?? (env.KEFU_BOTFRAMEWORK_APP_ID || undefined);
  if (!yaml && !appId && env.KEFU_BOTFRAMEWORK !== '1') return undefined;
  const appType = yaml?.appType ?? (env.KEFU_BOTFRAMEWORK_APP_TYPE || undefined);
  const typeSetting = yaml?.appType ? 'bot.yaml channels.botframework.appType' : 'KEFU_BOTFRAMEWORK_APP_TYPE';
  if (appType !== undefined && !APP_TYPES.includes(appType)) throw new Error(`${typeSetting} must be one of ${APP_TYPES.join(', ')}, not '${appType}'`);
  const tenantId = yaml?.tenantId ?? (env.KEFU_BOTFRAMEWORK_TENANT_ID || undefined);
  if (appType === 'SingleTenant' && !tenantId) throw new Error(`${typeSetting} is SingleTenant: set the tenant as channels.botframework.tenantId in bot.yaml or KEFU_BOTFRAMEWORK_TENANT_ID`);
  const appPassword = env.KEFU_BOTFRAMEWORK_APP_PASSWORD || undefined;
  if (appId && !appPassword && appType !== 'UserAssignedMSI') throw new Error('the Bot Framework app id is set: set KEFU_BOTFRAMEWORK_APP_PASSWORD in the environment');
  return { appId, appPassword, appType, tenantId, publicUrl: env.KEFU_PUBLIC_URL || undefined, maxImageBytes: yaml?.maxImageBytes };
}
