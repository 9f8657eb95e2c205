/**
 * Load with a crash in the middle: many web conversations, each sending its turns one after another over
 * HTTP, while the kefu process is killed with SIGKILL and started again on the same database. A client
 * whose request failed sends the same message again (same clientMessageId) once kefu is back, as the
 * widget does. Afterwards every conversation's history is read back and checked: each message stored
 * once, in the order sent, each answered by exactly one reply right after it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface LoadCrashOptions {
  /** Where kefu keeps its state: the embedded database's directory or a PostgreSQL URL. */
  database: { dataDir: string } | { databaseUrl: string };
  conversations: number;
  turns: number;
  /** Kill kefu (SIGKILL) once this many replies have been received. */
  killAfterReplies: number;
}

export interface LoadCrashReport {
  sent: number;
  replies: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  retried: number;
  /** Seconds from the kill until kefu answered again. */
  restartSeconds: number;
  seconds: number;
  turnsPerSecond: number;
}

const QUESTIONS = ['How long does delivery take?', '退货政策是什么？', 'which payment methods do you accept', '怎么开发票', 'my refund has not arrived yet', 'hello'];

async function startServer(database: LoadCrashOptions['database']): Promise<{ url: string; child: ChildProcess }> {
  const env = { ...process.env, ...('dataDir' in database ? { KEFU_DATA_DIR: database.dataDir, DATABASE_URL: '' } : { DATABASE_URL: database.databaseUrl }) };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/serve-kefu.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(line.trim()));
    child.once('exit', (code) => reject(new Error(`kefu exited (${code}) before it listened`)));
  });
  return { url, child };
}

export async function loadAndCrash(opts: LoadCrashOptions): Promise<LoadCrashReport> {
  const began = performance.now();
  let server = await startServer(opts.database);
  /** Resolves with the URL of the kefu that is up; replaced by a pending promise while it restarts. */
  let up: Promise<string> = Promise.resolve(server.url);
  let replies = 0;
  let retried = 0;
  let killed = false;
  let restartSeconds = 0;

  async function crashAndRestart() {
    killed = true;
    let ready!: (url: string) => void;
    up = new Promise((r) => (ready = r));
    const killedAt = performance.now();
    server.child.kill('SIGKILL');
    await new Promise((r) => server.child.once('exit', r));
    server = await startServer(opts.database);
    restartSeconds = (performance.now() - killedAt) / 1000;
    ready(server.url);
  }

  const post = async (path: string, body: unknown, token?: string) => {
    const url = await up;
    return fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  };

  const sessions = await Promise.all(
    Array.from({ length: opts.conversations }, async () => (await (await post('/api/conversations', {})).json()) as { conversationId: string; token: string }),
  );
  const received = sessions.map(() => [] as { clientMessageId: string; replyId: number }[]);

  await Promise.all(
    sessions.map(async (s, c) => {
      for (let t = 0; t < opts.turns; t++) {
        const clientMessageId = `c${c}-t${t}`;
        for (;;) {
          try {
            const res = await post(`/api/conversations/${s.conversationId}/messages`, { text: QUESTIONS[(c + t) % QUESTIONS.length], clientMessageId }, s.token);
            if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
            const body = (await res.json()) as { reply: { id: number } | null };
            if (!body.reply) throw new Error(`no reply to ${clientMessageId}`);
            received[c]!.push({ clientMessageId, replyId: body.reply.id });
            if (++replies === opts.killAfterReplies) void crashAndRestart();
            break;
          } catch (err) {
            if (!killed) throw err;
            retried++; // kefu was killed under this request: send the same message again once it is back
            await new Promise((r) => setTimeout(r, 50));
          }
        }
      }
    }),
  );
  const seconds = (performance.now() - began) / 1000;

  // read every conversation back and check it
  const url = await up;
  let lost = 0;
  let duplicated = 0;
  let outOfOrder = 0;
  for (const [c, s] of sessions.entries()) {
    const res = await fetch(`${url}/api/conversations/${s.conversationId}/messages`, { headers: { authorization: `Bearer ${s.token}` } });
    const { messages } = (await res.json()) as { messages: { id: number; author: string; clientMessageId?: string }[] };
    const questions = messages.filter((m) => m.author === 'customer').map((m) => m.clientMessageId!);
    const expected = Array.from({ length: opts.turns }, (_, t) => `c${c}-t${t}`);
    lost += expected.filter((id) => !questions.includes(id)).length;
    duplicated += questions.length - new Set(questions).size;
    duplicated += messages.filter((m) => m.author === 'bot').length - new Set(questions).size;
    const inOrder = questions.filter((id, i) => id === expected[i]).length;
    outOfOrder += new Set(questions).size - inOrder;
    // each question is followed right away by its one reply, the reply its client received
    messages.forEach((m, i) => {
      if (m.author !== 'customer') return;
      const next = messages[i + 1];
      const got = received[c]!.find((r) => r.clientMessageId === m.clientMessageId);
      if (!next || next.author !== 'bot' || next.id !== got?.replyId) outOfOrder++;
    });
  }
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  const sent = opts.conversations * opts.turns;
  return { sent, replies, lost, duplicated, outOfOrder, retried, restartSeconds, seconds, turnsPerSecond: sent / seconds };
}
