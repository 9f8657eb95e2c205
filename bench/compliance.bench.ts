/**
 * Compliance guard figures: guard-in throughput (MB/s of UTF-8) on 1,000-character messages with a
 * 100,000-term lexicon next to the default lexicon, and the latency guard-in adds to a turn (median µs,
 * audit writes to a no-op log so only the guard is measured).
 */
import type { AuditLog } from '../bot/compliance/audit.ts';
import { createGuard } from '../bot/compliance/guard.ts';
import { DEFAULT_RULES_DIR, readRules } from '../bot/compliance/load.ts';
import { guardInStage } from '../bot/compliance/stage.ts';
import type { Turn } from '../bot/turn/types.ts';
import { generatedTerms } from '../test/bot/compliance/generated-lexicon.ts';

const PIECES = [
  '您好，我上周买的蓝牙耳机左耳没有声音，订单号 202405178832145，',
  'my phone is 138 1234 5678 and the parcel never arrived, ',
  '请问可以退 款吗？快递员说放在驿站了但我没找到。',
  'I would like to know whether the warranty covers water damage. ',
  '邮箱 wang.fang@example.com，谢谢！',
  'The app keeps saying payment failed even though my card was charged. ',
];

function message(i: number): string {
  let text = '';
  for (let k = i; text.length < 1000; k++) text += PIECES[k % PIECES.length];
  return text.slice(0, 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function throughput(guard: ReturnType<typeof createGuard>, messages: string[]): number {
  const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m), 0);
  for (const m of messages.slice(0, 50)) guard.checkIn(m, 'zh');
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (const m of messages) guard.checkIn(m, 'zh');
    runs.push((bytes / 1e6) / ((performance.now() - t) / 1000));
  }
  return median(runs);
}

export async function run(): Promise<void> {
  const messages = Array.from({ length: 400 }, (_, i) => message(i));
  const base = readRules(DEFAULT_RULES_DIR);
  const defaults = createGuard(base);

  const terms = generatedTerms(100_000);
  let t = performance.now();
  const big = createGuard({ ...base, lexicon: [...base.lexicon, ...terms.map((term) => ({ term, category: 'custom' }))] });
  const buildMs = performance.now() - t;

  const mbDefault = throughput(defaults, messages);
  const mbBig = throughput(big, messages);
  console.log(`lexicon of ${big.lexiconSize} terms built in ${buildMs.toFixed(0)} ms`);
  console.log(`guard-in throughput, 1,000-char messages: ${mbBig.toFixed(2)} MB/s with 100,000 terms vs ${mbDefault.toFixed(2)} MB/s with the default ${defaults.lexiconSize} (ratio ${(mbBig / mbDefault).toFixed(2)})`);

  const noAudit = { recordMany: async () => undefined, record: async () => undefined } as unknown as AuditLog;
  const stage = guardInStage(big, noAudit);
  const latencies: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const text = messages[i % messages.length]!;
    const turn = {
      conversation: { id: 'c', botId: 'b', channel: 'web', customerId: 'u', mode: 'bot', locale: 'zh', createdAt: new Date() },
      inbound: { channel: 'web', channelMessageId: String(i), conversationId: 'c', customerId: 'u', text, images: [], receivedAt: new Date() },
      messageId: i,
      text,
      locale: 'zh',
      history: [],
      drafts: [],
      replies: [],
      trace: [],
    } as Turn;
    t = performance.now();
    await stage.run(turn);
    latencies.push((performance.now() - t) * 1000);
  }
  const short = 'where is my parcel? 我的快递到哪了';
  const shortLat: number[] = [];
  for (let i = 0; i < 2000; i++) {
    t = performance.now();
    big.checkIn(short, 'zh');
    shortLat.push((performance.now() - t) * 1000);
  }
  console.log(`added latency per turn (guard-in stage, 100,000 terms): median ${median(latencies).toFixed(0)} µs on 1,000 chars, ${median(shortLat).toFixed(0)} µs on a ${short.length}-char message`);
}
