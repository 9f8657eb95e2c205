/**
 * Hardening figures: (1) 4,000-character messages of hostile content, each timed, while /healthz is asked
 * every 10 ms (its worst answer time is the event loop's worst stall); (2) the load-and-crash harness at
 * 200 conversations × 20 turns with a kill -9 mid-load, on the embedded database and, when
 * KEFU_TEST_PG_URL is set, on PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { postgresUrl } from '../test/helpers/databases.ts';
import { loadAndCrash } from '../test/helpers/load-crash.ts';

const randomChars = (n: number, from: number, to: number) =>
  Array.from({ length: n }, () => String.fromCodePoint(from + Math.floor(Math.random() * (to - from)))).join('');

const MESSAGES: [string, string][] = [
  ['U+FDFA × 4000 (72,000 after NFKC)', '\ufdfa'.repeat(4000)],
  ['U+FDFA × 222 (3,996 after NFKC)', '\ufdfa'.repeat(222)],
  ['Chinese, 4,000 characters', '退货政策是什么我的包裹到哪了'.repeat(286).slice(0, 4000)],
  ['random CJK ideographs', randomChars(4000, 0x4e00, 0x9fff)],
  ['random Hangul syllables', randomChars(4000, 0xac00, 0xd7a3)],
  ['random Latin-1 letters', randomChars(4000, 0xc0, 0x17f)],
  ['emoji (2,000 pairs)', randomChars(2000, 0x1f600, 0x1f64f)],
  ['English words', 'where is my refund for the order '.repeat(122).slice(0, 4000)],
  ['one word, no spaces', 'a'.repeat(4000)],
  ['digits', '1234567890'.repeat(400)],
  ['combining marks', 'e\u0301\u0302\u0303'.repeat(1000)],
];

async function serve(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/serve-kefu.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (l) => resolve(l.trim()));
    child.once('exit', (code) => reject(new Error(`kefu exited ${code}`)));
  });
  return { url, child };
}

export async function longMessages() {
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-long-'));
  const { url, child } = await serve({ KEFU_DATA_DIR: dataDir, DATABASE_URL: '' });
  try {
    // warm-up, as a running server is: a few ordinary turns in both languages
    const w = (await (await fetch(`${url}/api/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { conversationId: string; token: string };
    for (let i = 0; i < 20; i++) {
      await fetch(`${url}/api/conversations/${w.conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${w.token}` },
        body: JSON.stringify({ text: ['How long does delivery take?', '退货政策是什么？', 'can I pay with a card', '怎么开发票'][i % 4], clientMessageId: `warm${i}` }),
      });
    }
    console.log('4,000-character messages (one process, embedded database, after 20 ordinary turns), /healthz asked every 10 ms meanwhile');
    console.log(`${'message'.padEnd(38)} ${'status'.padStart(6)} ${'answer ms'.padStart(10)} ${'worst /healthz ms'.padStart(18)}`);
    let worstAnswer = 0;
    let worstHealth = 0;
    for (const [name, text] of MESSAGES) {
      const s = (await (await fetch(`${url}/api/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { conversationId: string; token: string };
      let probing = true;
      let healthMax = 0;
      const probe = (async () => {
        while (probing) {
          const t = performance.now();
          await (await fetch(`${url}/healthz`)).json();
          healthMax = Math.max(healthMax, performance.now() - t);
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      const t = performance.now();
      const res = await fetch(`${url}/api/conversations/${s.conversationId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${s.token}` },
        body: JSON.stringify({ text, clientMessageId: 'long' }),
      });
      await res.json();
      const ms = performance.now() - t;
      await new Promise((r) => setTimeout(r, 30));
      probing = false;
      await probe;
      worstAnswer = Math.max(worstAnswer, ms);
      worstHealth = Math.max(worstHealth, healthMax);
      console.log(`${name.padEnd(38)} ${String(res.status).padStart(6)} ${ms.toFixed(0).padStart(10)} ${healthMax.toFixed(1).padStart(18)}`);
    }
    console.log(`worst answer ${worstAnswer.toFixed(0)} ms; worst /healthz ${worstHealth.toFixed(1)} ms`);
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function crashUnderLoad() {
  const load = { conversations: 200, turns: 20, killAfterReplies: 2000 };
  console.log(`\nload and crash: ${load.conversations} conversations × ${load.turns} turns over HTTP, kill -9 after ${load.killAfterReplies} replies, restart on the same database`);
  console.log(`${'backend'.padEnd(12)} ${'sent'.padStart(6)} ${'lost'.padStart(5)} ${'dup'.padStart(5)} ${'order'.padStart(6)} ${'resent'.padStart(7)} ${'restart s'.padStart(10)} ${'total s'.padStart(8)} ${'turns/s'.padStart(8)}`);
  const row = (name: string, r: Awaited<ReturnType<typeof loadAndCrash>>) =>
    console.log(`${name.padEnd(12)} ${String(r.sent).padStart(6)} ${String(r.lost).padStart(5)} ${String(r.duplicated).padStart(5)} ${String(r.outOfOrder).padStart(6)} ${String(r.retried).padStart(7)} ${r.restartSeconds.toFixed(1).padStart(10)} ${r.seconds.toFixed(1).padStart(8)} ${r.turnsPerSecond.toFixed(0).padStart(8)}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'kefu-bench-crash-'));
  try {
    row('PGlite', await loadAndCrash({ database: { dataDir }, ...load }));
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  const fresh = await postgresUrl();
  if (!fresh) return console.log('PostgreSQL   (skipped: set KEFU_TEST_PG_URL)');
  try {
    row('PostgreSQL', await loadAndCrash({ database: { databaseUrl: fresh.url }, ...load }));
  } finally {
    await fresh.drop();
  }
}

export async function run() {
  await longMessages();
  await crashUnderLoad();
}
