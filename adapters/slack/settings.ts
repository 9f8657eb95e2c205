import { channelSection, httpAddress, requiredSecret } from '../common/bot-yaml-section.ts';

/** A Slack app's settings (its Basic Information and OAuth pages); the secrets are kept out of the repository. */
export interface SlackSettings {
  /** Signs every request Slack sends (v0 signatures); needed for the Events API over HTTP. */
  signingSecret?: string;
  /** The app-level token (xapp-…, scope connections:write): set, kefu takes Slack's events over Socket Mode instead of HTTP. */
  appToken?: string;
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

/** The settings bot.yaml's `channels.slack` may hold (none of them secret). */
const IN_BOT_YAML = { socketMode: 'boolean', agentChannel: 'string', agentTeams: 'strings', apiUrl: 'string', maxImageBytes: 'number' } as const;

/** A channel's id (C… public, G… private), as its details in Slack show it; not its #name. */
const CHANNEL_ID = /^[CG][A-Z0-9]{4,}$/;

/**
 * The Slack channel's settings: bot.yaml's `channels.slack` (Socket Mode, the agents' channel and teams, the
 * API address) over the environment's (KEFU_SLACK_AGENT_CHANNEL, KEFU_SLACK_API_URL, KEFU_PUBLIC_URL), with
 * the secrets from the environment: KEFU_SLACK_BOT_TOKEN, and KEFU_SLACK_SIGNING_SECRET over HTTP or
 * KEFU_SLACK_APP_TOKEN in Socket Mode. Without a bot.yaml section the channel is on when a Slack secret is
 * set; a half-configured app is an error naming what is missing.
 */
export function slackSettingsFrom(env: NodeJS.ProcessEnv, channels: Record<string, unknown> = {}): SlackSettings | undefined {
  const yaml = channelSection(channels, 'slack', IN_BOT_YAML);
  if (yaml === 'off') return undefined;
  if (!yaml && !env.KEFU_SLACK_SIGNING_SECRET && !env.KEFU_SLACK_BOT_TOKEN && !env.KEFU_SLACK_APP_TOKEN) return undefined;
  const why = yaml ? 'bot.yaml channels.slack is on' : 'a KEFU_SLACK_ variable is set';
  const botToken = requiredSecret(env, 'KEFU_SLACK_BOT_TOKEN', why);
  if (!botToken.startsWith('xoxb-')) throw new Error('KEFU_SLACK_BOT_TOKEN must be the app\'s bot token (xoxb-…, OAuth & Permissions)');
  const socketMode = yaml?.socketMode ?? !!env.KEFU_SLACK_APP_TOKEN;
  const appToken = socketMode ? requiredSecret(env, 'KEFU_SLACK_APP_TOKEN', `${why} in Socket Mode`) : undefined;
  if (appToken && !appToken.startsWith('xapp-')) throw new Error('KEFU_SLACK_APP_TOKEN must be an app-level token (xapp-…, Basic Information → App-Level Tokens)');
  const signingSecret = socketMode ? undefined : requiredSecret(env, 'KEFU_SLACK_SIGNING_SECRET', `${why} (or set KEFU_SLACK_APP_TOKEN for Socket Mode)`);

  const agentChannel = yaml?.agentChannel ?? (env.KEFU_SLACK_AGENT_CHANNEL || undefined);
  if (agentChannel !== undefined && !CHANNEL_ID.test(agentChannel)) {
    throw new Error(`${yaml?.agentChannel ? 'bot.yaml channels.slack.agentChannel' : 'KEFU_SLACK_AGENT_CHANNEL'} must be a Slack channel id like C0123ABCD (the channel's details show it), not '${agentChannel}'`);
  }
  if (yaml?.agentTeams && !agentChannel) throw new Error('bot.yaml channels.slack.agentTeams needs channels.slack.agentChannel: the channel where those teams work');
  return {
    signingSecret,
    appToken,
    botToken,
    apiUrl: httpAddress(yaml?.apiUrl ?? (env.KEFU_SLACK_API_URL || undefined), yaml?.apiUrl ? 'bot.yaml channels.slack.apiUrl' : 'KEFU_SLACK_API_URL'),
    publicUrl: env.KEFU_PUBLIC_URL || undefined,
    maxImageBytes: yaml?.maxImageBytes,
    agents: agentChannel ? { channel: agentChannel, teams: yaml?.agentTeams ?? [] } : undefined,
  };
}
