import { parseArgs } from 'node:util';
import { startKefu } from '../app.ts';
import { readBotYaml } from '../bot-config.ts';
import { databaseOptions } from './database.ts';
import type { CliIo } from './io.ts';
import { channels, channelSettingsFrom, type ChannelSettings } from '../../adapters/index.ts';

/**
 * KEFU_TRUST_PROXY: unset, empty or `false` — X-Forwarded-For is ignored (the default: a client cannot
 * claim another address); `true` — believe any proxy; a number — that many proxy hops; otherwise
 * addresses or CIDR ranges of the proxies, comma-separated.
 */
export function trustProxyOption(value: string | undefined): boolean | number | string {
  const v = value?.trim();
  if (!v || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** `kefu start [--data DIR] [--port N] [--host H] [--bot FOLDER]`: runs the bot and its web chat. */
export async function startCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      bot: { type: 'string' },
      log: { type: 'boolean' },
    },
  });
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`--port must be a number from 0 to 65535, not '${values.port}'`);
    return 2;
  }
  const { databaseUrl, dataDir } = databaseOptions(values.data);
  const botDir = values.bot ?? 'examples/demo-shop';
  let channelSettings: ChannelSettings;
  try {
    channelSettings = channelSettingsFrom(process.env, readBotYaml(botDir).channels);
  } catch (err) {
    io.err(`kefu start: ${(err as Error).message}`);
    return 2;
  }
  const started = performance.now();
  const kefu = await startKefu({
    channels: channels(channelSettings),
    botDir,
    dataDir,
    databaseUrl,
    port,
    host: values.host ?? process.env.HOST ?? '127.0.0.1',
    logger: values.log,
    secret: process.env.KEFU_SECRET,
    trustProxy: trustProxyOption(process.env.KEFU_TRUST_PROXY),
    onProgress: (step) => io.err(`  [${((performance.now() - started) / 1000).toFixed(1)}s] ${step}…`),
  });
  io.out(`kefu is running (${((performance.now() - started) / 1000).toFixed(1)}s, ${databaseUrl ? 'PostgreSQL' : `embedded database in ${dataDir}`})`);
  io.out(`  chat with the demo:   ${kefu.url}/`);
  io.out(`  help centre:          ${kefu.url}/help`);
  io.out(`  agent console:        ${kefu.url}/console/   (agents: kefu users add LOGIN --role agent)`);
  if (channelSettings.botFramework) io.out(`  Bot messaging URL:    ${kefu.url}/botframework/messages   (Azure Bot messaging endpoint, or the Emulator)`);
  if (channelSettings.wechaty) io.out(`  WeChat (wechaty):     ${kefu.url}/wechat-bot/status   (logged in, or the QR code to scan)`);
  if (channelSettings.slack?.appToken) io.out('  Slack:                Socket Mode (no public URL needed)');
  else if (channelSettings.slack) io.out(`  Slack request URL:    ${kefu.url}/slack/events   (events and interactivity)`);
  if (channelSettings.slack?.agents) io.out(`  Slack agent channel:  ${channelSettings.slack.agents.channel}   (handoffs are posted there with a Claim button)`);
  if (channelSettings.wechatOa) io.out(`  WeChat account URL:   ${kefu.url}${channelSettings.wechatOa.path ?? '/wechat'}   (set it as the account's server URL, 服务器地址)`);
  io.out(`  embed the widget:     <script src="${kefu.url}/widget.js" async></script>`);
  io.out('Press Ctrl+C to stop.');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.err('stopping…');
  await kefu.close();
  return 0;
}
