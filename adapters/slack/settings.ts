/** A Slack app's settings (its Basic Information and OAuth pages), kept out of the repository. */
export interface SlackSettings {
  /** Signs every request Slack sends (v0 signatures). */
  signingSecret: string;
  /** The bot token (xoxb-…): kefu posts with it and fetches the files customers share. */
  botToken: string;
  /** Slack's Web API; a local stand-in in tests. */
  apiUrl?: string;
  /** kefu's public address, to link an answer's sources. */
  publicUrl?: string;
  /** The largest image a customer may share, in bytes. */
  maxImageBytes?: number;
  /** The channel where agents work handoffs (agent-desk.ts), and the teams whose handoffs it takes (none: handoffs of no team). */
  agents?: { channel: string; teams: string[] };
}

/**
 * The Slack channel's settings from the environment (KEFU_SLACK_SIGNING_SECRET and KEFU_SLACK_BOT_TOKEN,
 * optionally KEFU_SLACK_API_URL, and KEFU_PUBLIC_URL); undefined when neither is set, an error when one is.
 */
export function slackSettingsFrom(env: NodeJS.ProcessEnv): SlackSettings | undefined {
  const signingSecret = env.KEFU_SLACK_SIGNING_SECRET;
  const botToken = env.KEFU_SLACK_BOT_TOKEN;
  if (!signingSecret && !botToken) return undefined;
  if (!signingSecret || !botToken) throw new Error('set both KEFU_SLACK_SIGNING_SECRET and KEFU_SLACK_BOT_TOKEN for the Slack channel');
  return { signingSecret, botToken, apiUrl: env.KEFU_SLACK_API_URL || undefined, publicUrl: env.KEFU_PUBLIC_URL || undefined };
}
