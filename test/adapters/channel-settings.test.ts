/**
 * The channels' settings: which channels are on and their non-secret settings from bot.yaml's `channels:`,
 * secrets from the environment, env-only configuration as before, and a start-up error that names the
 * missing or wrong setting.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { channelSettingsFrom } from '../../adapters/index.ts';
import { main } from '../../bot/cli/main.ts';
import { captureIo } from '../helpers/cli-io.ts';

const SLACK_HTTP = { KEFU_SLACK_SIGNING_SECRET: 'secret', KEFU_SLACK_BOT_TOKEN: 'xoxb-1' };
const OA = { KEFU_WECHAT_OA_TOKEN: 'tok', KEFU_WECHAT_OA_APP_ID: 'wx123', KEFU_WECHAT_OA_APP_SECRET: 'sec' };
const yaml = (text: string) => (parse(text) as { channels: unknown }).channels;

describe('channel settings', () => {
  it('with no bot.yaml section, the environment alone turns channels on, as before', () => {
    expect(channelSettingsFrom({})).toEqual({ slack: undefined, wechatOa: undefined, botFramework: undefined, wechaty: undefined });
    const s = channelSettingsFrom({ ...SLACK_HTTP, ...OA, KEFU_BOTFRAMEWORK: '1', KEFU_WECHATY_PUPPET: 'wechaty-puppet-mock', KEFU_SLACK_AGENT_CHANNEL: 'C0AGENTS1' });
    expect(s.slack).toMatchObject({ signingSecret: 'secret', botToken: 'xoxb-1', agents: { channel: 'C0AGENTS1', teams: [] } });
    expect(s.wechatOa).toMatchObject({ token: 'tok', appId: 'wx123', appSecret: 'sec' });
    expect(s.botFramework).toMatchObject({ appId: undefined });
    expect(s.wechaty?.wechaty).toMatchObject({ puppet: 'wechaty-puppet-mock' });
  });

  it('bot.yaml turns channels on and gives their non-secret settings; the secrets come from the environment', () => {
    const channels = yaml(`
channels:
  slack:
    agentChannel: C0AGENTS1
    agentTeams: [billing, 售后]
  wechat-oa:
    appId: wx999
    apiBase: http://127.0.0.1:9/
    path: /wx
  botframework:
    appId: 11111111-2222
    appType: SingleTenant
    tenantId: contoso.onmicrosoft.com
  wechaty:
    puppet: wechaty-puppet-service
`);
    const s = channelSettingsFrom({ ...SLACK_HTTP, KEFU_WECHAT_OA_TOKEN: 'tok', KEFU_WECHAT_OA_APP_SECRET: 'sec', KEFU_BOTFRAMEWORK_APP_PASSWORD: 'pw', KEFU_WECHATY_PUPPET_TOKEN: 'pt' }, channels);
    expect(s.slack?.agents).toEqual({ channel: 'C0AGENTS1', teams: ['billing', '售后'] });
    expect(s.wechatOa).toMatchObject({ appId: 'wx999', apiBase: 'http://127.0.0.1:9/', path: '/wx', token: 'tok' });
    expect(s.botFramework).toMatchObject({ appId: '11111111-2222', appType: 'SingleTenant', tenantId: 'contoso.onmicrosoft.com', appPassword: 'pw' });
    expect(s.wechaty?.wechaty).toMatchObject({ puppet: 'wechaty-puppet-service', puppetOptions: { token: 'pt' } });
  });

  it('a channel bot.yaml turns off stays off whatever the environment says', () => {
    const s = channelSettingsFrom({ ...SLACK_HTTP, ...OA }, yaml('channels:\n  slack: false\n  wechat-oa:\n    enabled: false\n'));
    expect(s.slack).toBeUndefined();
    expect(s.wechatOa).toBeUndefined();
  });

  it('Socket Mode: bot.yaml socketMode or an app-level token alone; no signing secret needed', () => {
    expect(channelSettingsFrom({ KEFU_SLACK_BOT_TOKEN: 'xoxb-1', KEFU_SLACK_APP_TOKEN: 'xapp-1' }).slack).toMatchObject({ appToken: 'xapp-1', signingSecret: undefined });
    expect(() => channelSettingsFrom({ KEFU_SLACK_BOT_TOKEN: 'xoxb-1' }, yaml('channels:\n  slack:\n    socketMode: true\n'))).toThrow(
      'bot.yaml channels.slack is on in Socket Mode: set KEFU_SLACK_APP_TOKEN in the environment',
    );
  });

  it('a missing secret or a wrong setting is an error naming it', () => {
    const cases: [Record<string, string>, string, string | RegExp][] = [
      [{}, 'channels:\n  slack: true\n', 'bot.yaml channels.slack is on: set KEFU_SLACK_BOT_TOKEN in the environment'],
      [{ KEFU_SLACK_BOT_TOKEN: 'xoxb-1' }, 'channels:\n  slack: {}\n', /set KEFU_SLACK_SIGNING_SECRET in the environment/],
      [{ KEFU_SLACK_BOT_TOKEN: 'xoxb-1' }, '', /a KEFU_SLACK_ variable is set .*KEFU_SLACK_SIGNING_SECRET/],
      [{ ...SLACK_HTTP, KEFU_SLACK_BOT_TOKEN: 'xoxp-user' }, '', /KEFU_SLACK_BOT_TOKEN must be the app's bot token \(xoxb-…/],
      [SLACK_HTTP, 'channels:\n  slack:\n    agentChanel: C0AGENTS1\n', /bot.yaml channels.slack.agentChanel is not a setting of this channel \(its settings: enabled, socketMode, agentChannel/],
      [SLACK_HTTP, 'channels:\n  slack:\n    agentChannel: "#support"\n', /bot.yaml channels.slack.agentChannel must be a Slack channel id like C0123ABCD/],
      [SLACK_HTTP, 'channels:\n  slack:\n    agentTeams: billing\n', 'bot.yaml channels.slack.agentTeams must be a list of texts'],
      [{}, 'channels:\n  telegram: true\n', /bot.yaml channels.telegram is not a channel kefu has \(its channels: slack, wechat-oa, botframework, wechaty\)/],
      [{}, 'channels: [slack]\n', 'bot.yaml channels must be a mapping of channel names to their settings'],
      [{ KEFU_WECHAT_OA_TOKEN: 'tok', KEFU_WECHAT_OA_APP_SECRET: 's' }, 'channels:\n  wechat-oa: true\n', /set its AppID as channels.wechat-oa.appId in bot.yaml or KEFU_WECHAT_OA_APP_ID/],
      [OA, 'channels:\n  wechat-oa:\n    apiBase: api.weixin.qq.com\n', "bot.yaml channels.wechat-oa.apiBase must be an http(s) address, not 'api.weixin.qq.com'"],
      [{ ...OA, KEFU_WECHAT_OA_AES_KEY: 'short' }, '', /KEFU_WECHAT_OA_AES_KEY must be the 43-character EncodingAESKey/],
      [{ KEFU_BOTFRAMEWORK_APP_PASSWORD: 'pw' }, 'channels:\n  botframework:\n    appId: x\n    appType: Multi\n', /bot.yaml channels.botframework.appType must be one of MultiTenant, SingleTenant, UserAssignedMSI, not 'Multi'/],
      [{}, 'channels:\n  botframework:\n    appId: x\n', 'the Bot Framework app id is set: set KEFU_BOTFRAMEWORK_APP_PASSWORD in the environment'],
      [{}, 'channels:\n  wechaty: {}\n', /name the puppet package as channels.wechaty.puppet/],
      [{}, 'channels:\n  wechaty:\n    enabled: yes please\n', 'bot.yaml channels.wechaty.enabled must be true or false'],
    ];
    for (const [env, text, message] of cases) expect(() => channelSettingsFrom(env, text ? yaml(text) : undefined), text || JSON.stringify(env)).toThrow(message);
  });

  it('kefu start stops before opening anything, naming the wrong setting of the bot folder\'s bot.yaml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-channels-'));
    writeFileSync(join(dir, 'bot.yaml'), 'id: shop\nchannels:\n  slack:\n    agentChannel: C0AGENTS1\n');
    const saved = Object.entries(process.env).filter(([key]) => key.startsWith('KEFU_SLACK_'));
    for (const [key] of saved) delete process.env[key];
    try {
      const c = captureIo();
      expect(await main(['start', '--bot', dir, '--port', '0'], c.io)).toBe(2);
      expect(c.err.join('\n')).toBe('kefu start: bot.yaml channels.slack is on: set KEFU_SLACK_BOT_TOKEN in the environment');
    } finally {
      for (const [key, value] of saved) process.env[key] = value;
    }
  });
});
