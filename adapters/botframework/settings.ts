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

/**
 * The Bot Framework channel's settings from the environment: on when KEFU_BOTFRAMEWORK is `1` (Emulator,
 * no app id) or KEFU_BOTFRAMEWORK_APP_ID is set (with …_APP_PASSWORD, optionally …_APP_TYPE, …_TENANT_ID).
 */
export function botFrameworkSettingsFrom(env: NodeJS.ProcessEnv): BotFrameworkSettings | undefined {
  const appId = env.KEFU_BOTFRAMEWORK_APP_ID || undefined;
  if (!appId && env.KEFU_BOTFRAMEWORK !== '1') return undefined;
  if (appId && !env.KEFU_BOTFRAMEWORK_APP_PASSWORD && env.KEFU_BOTFRAMEWORK_APP_TYPE !== 'UserAssignedMSI') {
    throw new Error('KEFU_BOTFRAMEWORK_APP_ID is set: set KEFU_BOTFRAMEWORK_APP_PASSWORD too');
  }
  return {
    appId,
    appPassword: env.KEFU_BOTFRAMEWORK_APP_PASSWORD || undefined,
    appType: env.KEFU_BOTFRAMEWORK_APP_TYPE || undefined,
    tenantId: env.KEFU_BOTFRAMEWORK_TENANT_ID || undefined,
    publicUrl: env.KEFU_PUBLIC_URL || undefined,
  };
}
