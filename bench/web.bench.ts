/**
 * Turn latency and throughput over HTTP: 50 concurrent web conversations against the demo shop on the
 * embedded database, next to a fastify hello-world measured the same way in the same run; one customer's
 * turns one after another (a single turn's latency); where a turn's time goes, stage by stage; and kefu's CPU
 * time per turn (the figure that holds on a shared machine whose load moves the others). The eight bench
 * questions repeat, so after the first round the sentence encoder's cache holds them; one customer's
 * turns on the demo's eval questions, each asked once, show a turn with a question the bot has not seen.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseQuestions } from '../bot/eval/answers.ts';
import { DEMO_QUESTIONS as QUESTIONS } from './support/questions.ts';

const CONCURRENCY = 50;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);

async function serve(args: string[]): Promise<{ url: string; child: ChildProcess; nextLine(): Promise<string> }> {
  const child = spawn(process.execPath, [...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), '--import', 'tsx', 'bench/support/serve.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
  const line = await nextLine();
  return { url: line.trim(), child, nextLine };
}

const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)![1]) / 1024;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Runs `worker` on CONCURRENCY loops for `seconds`; returns each request's latency in ms. */
async function load(seconds: number, worker: (i: number, n: number) => Promise<void>, concurrency = CONCURRENCY): Promise<{ latencies: number[]; rps: number }> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, i) => {
      for (let n = 0; performance.now() < end; n++) {
        const t = performance.now();
        await worker(i, n);
        latencies.push(performance.now() - t);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { latencies, rps: latencies.length / ((performance.now() - started) / 1000) };
}

interface Session {
  conversationId: string;
  token: string;
}

async function startConversation(url: string): Promise<Session> {
  const res = await fetch(`${url}/api/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  return (await res.json()) as Session;
}

/** One customer message and its turn's reply. */
async function ask(url: string, s: Session, text: string, clientMessageId: string): Promise<void> {
  const res = await fetch(`${url}/api/conversations/${s.conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
    body: JSON.stringify({ text, clientMessageId }),
  });
  if (res.status !== 200) throw new Error(`turn failed: ${res.status} ${await res.text()}`);
  await res.json();
}

async function benchKefu(url: string, seconds: number, concurrency = CONCURRENCY) {
  const sessions = await Promise.all(Array.from({ length: concurrency }, () => startConversation(url)));
  let seq = 0;
  return load(seconds, (i, n) => ask(url, sessions[i]!, QUESTIONS[(i + n) % QUESTIONS.length]!, `b${seq++}`), concurrency);
}

/**
 * Each of `texts` asked once, one after another, for at most `seconds`, each in a new conversation (one
 * conversation could be handed to a person along the way, and its later messages would run no turn);
 * each turn's latency in ms.
 */
async function benchNewQuestions(url: string, texts: string[], seconds: number): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  for (const [n, text] of texts.entries()) {
    if (performance.now() > end) break;
    const session = await startConversation(url);
    const t = performance.now();
    await ask(url, session, text, `new${n}`);
    latencies.push(performance.now() - t);
  }
  return latencies.sort((a, b) => a - b);
}

/** The demo shop's eval questions (both halves), each once. */
function evalQuestions(): string[] {
  const texts = ['dev', 'test'].flatMap((half) => {
    const file = `examples/demo-shop/eval/answers-${half}.jsonl`;
    return parseQuestions(readFileSync(file, 'utf8'), file).map((q) => q.text);
  });
  return [...new Set(texts)].filter((t) => !QUESTIONS.includes(t));
}

async function benchHello(url: string, seconds: number) {
  return load(seconds, async () => {
    const res = await fetch(`${url}/hello`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text":"hi"}' });
    await res.json();
  });
}

export async function run() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-'));
  const kefu = await serve(['kefu', dataDir]);
  const hello = await serve(['hello']);
  try {
    await benchKefu(kefu.url, 3); // warm-up: JIT, caches, first pages of the database
    await benchHello(hello.url, 2);
    const rssAfterWarmup = rssMb(kefu.child.pid!);
    kefu.child.kill('SIGUSR2'); // profile the measured turns only
    const k = await benchKefu(kefu.url, SECONDS);
    const h = await benchHello(hello.url, SECONDS);
    const single = await benchKefu(kefu.url, Math.max(3, SECONDS / 3), 1);
    const unseen = await benchNewQuestions(kefu.url, evalQuestions(), Math.max(3, SECONDS / 3));
    const profiled = kefu.nextLine();
    kefu.child.kill('SIGUSR1');
    const { stages: profile, cpuMsPerTurn } = JSON.parse(await profiled) as { stages: Record<string, { median: number; mean: number; turns: number }>; cpuMsPerTurn: number };
    const row = (name: string, r: { latencies: number[]; rps: number }) =>
      `${name.padEnd(28)} ${String(r.latencies.length).padStart(7)} ${r.rps.toFixed(0).padStart(8)} ${pct(r.latencies, 50).toFixed(2).padStart(8)} ${pct(r.latencies, 99).toFixed(2).padStart(8)}`;
    console.log(`web turns over HTTP, ${CONCURRENCY} concurrent conversations, ${SECONDS}s each, one process each, same run`);
    console.log(`${'server'.padEnd(28)} ${'requests'.padStart(7)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}`);
    console.log(row('kefu turn (demo shop, PGlite)', k));
    console.log(row('fastify hello-world', h));
    console.log(`ratio kefu/hello: throughput ${(k.rps / h.rps).toFixed(3)}, p50 latency ×${(pct(k.latencies, 50) / pct(h.latencies, 50)).toFixed(1)}`);
    console.log(`one customer, turns one after another: ${single.latencies.length} turns, p50 ${pct(single.latencies, 50).toFixed(2)} ms, p99 ${pct(single.latencies, 99).toFixed(2)} ms`);
    console.log(`one customer, questions not asked before (the demo's eval questions, each once, each in a new conversation): ${unseen.length} turns, p50 ${pct(unseen, 50).toFixed(2)} ms, p99 ${pct(unseen, 99).toFixed(2)} ms`);
    console.log(`where a turn's time goes (its trace; ${profile.pipeline?.turns ?? 0} turns under load and alone), ms:`);
    console.log(`${'stage'.padEnd(12)} ${'median'.padStart(8)} ${'mean'.padStart(8)}`);
    for (const [stage, t] of Object.entries(profile)) console.log(`${stage.padEnd(12)} ${t.median.toFixed(3).padStart(8)} ${t.mean.toFixed(3).padStart(8)}`);
    console.log(`kefu's CPU time per turn (all threads, the measured turns under load and alone): ${cpuMsPerTurn.toFixed(1)} ms`);
    console.log(`kefu RSS after warm-up: ${rssAfterWarmup.toFixed(0)} MB; after the run: ${rssMb(kefu.child.pid!).toFixed(0)} MB`);
  } finally {
    kefu.child.kill('SIGTERM');
    hello.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
