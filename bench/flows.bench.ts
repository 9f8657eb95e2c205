/**
 * Turn latency inside a flow: the demo shop's three flows (track an order, change an address, start a
 * return) played by one customer at a time over the web channel, in memory. Each turn's time is taken
 * over HTTP and from its trace, with the time of the flow's own HTTP actions (the demo orders API) taken
 * out; printed as p50 / p99 for every flow turn, and for the flow stage alone.
 */
import { startKefu } from '../bot/app.ts';
import type { Turn } from '../bot/turn/types.ts';
import { channels } from '../adapters/index.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);

const SCRIPTS: { locale: 'en' | 'zh'; say: string[] }[] = [
  { locale: 'en', say: ['where is my order', 'LM202611280042'] },
  { locale: 'zh', say: ['我的快递到哪了', 'LM202611280043'] },
  { locale: 'en', say: ['I need to change my delivery address for order LM202611300017', '12 Harbour Road, Wan Chai, Hong Kong', 'no'] },
  { locale: 'zh', say: ['我想退货', 'LM202611200008', '不'] },
  { locale: 'en', say: ['where is my order', 'How long does delivery take?', 'LM202611280042'] },
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const fmt = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `p50 ${pct(s, 50).toFixed(1)} ms, p99 ${pct(s, 99).toFixed(1)} ms (${s.length} turns)`;
};

export async function run() {
  let last: Turn | undefined;
  const kefu = await startKefu({ botDir: 'examples/demo-shop', channels: channels({ web: { newConversations: { burst: 1e6, perSecond: 1e6, maxWaiting: 0 } } }), port: 0, onTurn: (t) => (last = t) });
  const http: number[] = [];
  const pipeline: number[] = [];
  const stage: number[] = [];
  const actions: number[] = [];
  try {
    for (let round = 0; round < ROUNDS + 2; round++) {
      for (const script of SCRIPTS) {
        const res = await fetch(`${kefu.url}/api/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ locale: script.locale }) });
        const s = (await res.json()) as { conversationId: string; token: string };
        for (const text of script.say) {
          const started = performance.now();
          const sent = await fetch(`${kefu.url}/api/conversations/${s.conversationId}/messages`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
            body: JSON.stringify({ text, clientMessageId: `b${round}-${Math.random()}` }),
          });
          await sent.json();
          const ms = performance.now() - started;
          const flow = last!.trace.find((t) => t.stage === 'flow')!;
          const actionMs = ((flow.detail?.actions as { ms: number }[] | undefined) ?? []).reduce((sum, a) => sum + a.ms, 0);
          if (round < 2) continue; // warm-up
          http.push(ms - actionMs);
          pipeline.push(last!.trace.reduce((sum, t) => sum + t.ms, 0) - actionMs);
          stage.push(flow.ms - actionMs);
          if (actionMs) actions.push(actionMs);
        }
      }
    }
  } finally {
    await kefu.close();
  }
  console.log(`flow turns over HTTP, actions' time excluded: ${fmt(http)}`);
  console.log(`  the pipeline (trace), actions' time excluded: ${fmt(pipeline)}`);
  console.log(`  the flow stage alone, actions' time excluded: ${fmt(stage)}`);
  console.log(`  the actions themselves (demo orders API, same process): ${fmt(actions)}`);
}
