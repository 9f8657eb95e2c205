/**
 * A server for the web benchmark, in its own process so its memory can be read alone:
 * `serve.ts kefu DATADIR` (the demo shop on the embedded database) or `serve.ts hello` (fastify hello-world).
 * Prints its URL on the first line of stdout. kefu's turns are profiled from their traces: SIGUSR2 starts
 * a fresh profile, SIGUSR1 prints it as one JSON line: the median and mean ms of each stage and of the whole
 * pipeline, and the process's CPU time per turn since (all its threads; robust on a shared, loaded machine).
 */
import Fastify from 'fastify';
import { channels } from '../../adapters/index.ts';
import { startKefu } from '../../bot/app.ts';
import type { Turn } from '../../bot/turn/types.ts';

const [kind, dataDir] = process.argv.slice(2);
process.on('SIGTERM', () => process.exit(0)); // a clean exit, so `node --cpu-prof` writes its profile (BENCH_CPU_PROF=DIR)
if (kind === 'hello') {
  const app = Fastify();
  app.post('/hello', async () => ({ hello: 'world' }));
  console.log(await app.listen({ port: 0, host: '127.0.0.1' }));
} else {
  const stages = new Map<string, number[]>();
  const record = (turn: Turn) => {
    for (const step of turn.trace) stages.set(step.stage, [...(stages.get(step.stage) ?? []), step.ms]);
    stages.set('pipeline', [...(stages.get('pipeline') ?? []), turn.trace.reduce((sum, step) => sum + step.ms, 0)]);
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  let cpuFrom = process.cpuUsage();
  process.on('SIGUSR2', () => {
    stages.clear();
    cpuFrom = process.cpuUsage();
  });
  process.on('SIGUSR1', () => {
    const cpu = process.cpuUsage(cpuFrom);
    const turns = stages.get('pipeline')?.length ?? 0;
    const profile = Object.fromEntries([...stages].map(([stage, ms]) => [stage, { median: median(ms), mean: ms.reduce((a, b) => a + b, 0) / ms.length, turns: ms.length }]));
    console.log(JSON.stringify({ stages: profile, cpuMsPerTurn: turns ? (cpu.user + cpu.system) / 1000 / turns : 0 }));
  });
  // allowances large enough that the benchmark measures turns, not the flood gate or the per-address limit
  const lots = { burst: 1e6, perSecond: 1e6, maxWaiting: 1e6 };
  const kefu = await startKefu({ channels: channels({ web: { newConversations: { ...lots, maxWaiting: 0 } } }), botDir: 'examples/demo-shop', dataDir, port: 0, flood: lots, onTurn: record });
  console.log(kefu.url);
}
