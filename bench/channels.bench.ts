/**
 * What each channel adds to a turn: the same questions asked one after another through the web API, the
 * WeChat Official Account (signed XML, answered by the passive reply), Slack (a signed event; the answer
 * posted to a local stand-in of Slack's Web API) and Bot Framework (an Emulator activity; the answer posted
 * to a local stand-in of the connector), all to one kefu in one run. Prints each channel's median and p90
 * from the customer's request to the answer reaching the channel, and its median minus the web's.
 */
import { createHmac } from 'node:crypto';
import { channels } from '../adapters/index.ts';
import { startKefu } from '../bot/app.ts';
import { startFakeConnector } from '../test/adapters/botframework/fake-connector.ts';
import { startFakeSlack } from '../test/adapters/slack/fake-slack.ts';
import { startFakeWechat } from '../test/adapters/wechat-oa/fake-wechat.ts';
import { wechatServer } from '../test/adapters/wechat-oa/wechat-oa-client.ts';
import { newSession, postMessage } from '../test/helpers/kefu.ts';
import { DEMO_QUESTIONS as QUESTIONS } from './support/questions.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))]!;

export async function run() {
  const wechat = await startFakeWechat({ appId: 'wx-bench', appSecret: 'bench' });
  const slack = await startFakeSlack('xoxb-bench');
  const connector = await startFakeConnector();
  const lots = { burst: 1e6, perSecond: 1e6, maxWaiting: 1e6 };
  const kefu = await startKefu({
    botDir: 'examples/demo-shop',
    port: 0,
    flood: lots,
    channels: channels({
      web: { newConversations: { ...lots, maxWaiting: 0 } },
      wechatOa: { token: 'bench-token', appId: 'wx-bench', appSecret: 'bench', apiBase: wechat.url },
      slack: { signingSecret: 'bench-secret', botToken: 'xoxb-bench', apiUrl: slack.apiUrl },
      botFramework: {},
    }),
  });
  const oa = wechatServer({ url: `${kefu.url}/wechat`, token: 'bench-token' });
  let n = 0;

  const ask: Record<string, (question: string, round: number) => Promise<void>> = {
    web: async (question) => {
      const session = await newSession(kefu.url);
      const res = await postMessage(kefu.url, session, { text: question, clientMessageId: `b${n++}` });
      if (!(await res.json()).reply) throw new Error('web: no reply');
    },
    'wechat-oa': async (question) => {
      const { reply } = await oa.post({ openid: `o-bench-${n++}`, msgId: `m${n}`, text: question });
      if (!reply?.Content) throw new Error('wechat-oa: no passive reply');
    },
    slack: async (question) => {
      const channel = `D${n++}`;
      const ts = `${1_800_000_000 + n}.000100`;
      const body = JSON.stringify({ type: 'event_callback', team_id: 'T0', api_app_id: 'A0', event_id: `Ev${n}`, event_time: 1, event: { type: 'message', channel, channel_type: 'im', user: 'U1', text: question, ts } });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', 'bench-secret').update(`v0:${timestamp}:${body}`).digest('hex')}`;
      const answered = slack.when((p) => p.channel === channel);
      await fetch(`${kefu.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature }, body });
      await answered;
    },
    botframework: async (question) => {
      const id = `conv-${n++}`;
      const answered = connector.when((a) => a.conversationId === id);
      const activity = { type: 'message', id: `a${n}`, serviceUrl: connector.url, channelId: 'emulator', from: { id: 'u1' }, conversation: { id }, recipient: { id: 'bot' }, text: question };
      await fetch(`${kefu.url}/botframework/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      await answered;
    },
  };

  const times: Record<string, number[]> = Object.fromEntries(Object.keys(ask).map((c) => [c, []]));
  try {
    // warm each path once, then interleave the channels question by question so load and noise fall on all alike
    for (const c of Object.keys(ask)) await ask[c]!(QUESTIONS[0]!, -1);
    for (let round = 0; round < ROUNDS; round++) {
      for (const question of QUESTIONS) {
        for (const c of Object.keys(ask)) {
          const t = performance.now();
          await ask[c]!(question, round);
          times[c]!.push(performance.now() - t);
        }
      }
    }
  } finally {
    await kefu.close();
    await Promise.all([wechat.close(), slack.close(), connector.close()]);
  }
  const web = median(times.web!);
  console.log(`${ROUNDS * QUESTIONS.length} questions per channel, one at a time, each in a new conversation (embedded database)`);
  console.log('channel        median ms   p90 ms   added to web (median)');
  for (const [c, xs] of Object.entries(times)) {
    console.log(`${c.padEnd(14)} ${median(xs).toFixed(1).padStart(9)} ${p90(xs).toFixed(1).padStart(8)}   ${c === 'web' ? '—' : `${(median(xs) - web >= 0 ? '+' : '')}${(median(xs) - web).toFixed(1)} ms`}`);
  }
}
