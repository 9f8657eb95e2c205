/**
 * How soon an agent sees a customer who asked for a person: the time from the customer's message ("I want
 * to talk to a real person", sent over HTTP) to the handoff showing in the agent console's queue (GET
 * /console/api/queue), for HANDOFFS customers one after another, measured two ways in the same run:
 *   live feed   the console's server-sent events (/console/api/queue/events) say the queue changed, and the
 *               queue read then lists the customer
 *   polling     a console reading the queue every 2 s (the console's fallback when the feed is down)
 * The demo shop on the embedded database, in this process.
 */
import { channels } from '../adapters/index.ts';
import { startKefu } from '../bot/app.ts';
import { addStaffUser } from '../bot/staff/accounts.ts';
import { CSRF_HEADER } from '../bot/staff/routes.ts';

const HANDOFFS = Number(process.env.BENCH_HANDOFFS ?? 50);
const POLL_MS = 2000;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function run() {
  const lots = { burst: 1e6, perSecond: 1e6, maxWaiting: 1e6 };
  const kefu = await startKefu({ channels: channels({ web: { newConversations: { ...lots, maxWaiting: 0 } } }), botDir: 'examples/demo-shop', port: 0, flood: lots });
  try {
    await addStaffUser(kefu.db, { login: 'bench', displayName: 'Bench', role: 'agent', password: 'a long password' });
    const signIn = await fetch(`${kefu.url}/console/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'bench', password: 'a long password' }) });
    const headers = { cookie: signIn.headers.get('set-cookie')!.split(';')[0]!, [CSRF_HEADER]: ((await signIn.json()) as { csrfToken: string }).csrfToken };
    const queued = async () => new Set(((await (await fetch(`${kefu.url}/console/api/queue`, { headers })).json()) as { waiting: { conversationId: string }[] }).waiting.map((h) => h.conversationId));

    const asked = new Map<string, number>(); // conversation → when the customer sent the message
    const live = new Map<string, number>(); // → ms until the live feed's console listed it
    const polled = new Map<string, number>(); // → ms until the polling console listed it
    const note = (seen: Map<string, number>, ids: Set<string>) => {
      const now = performance.now();
      for (const [id, at] of asked) if (!seen.has(id) && ids.has(id)) seen.set(id, now - at);
    };

    // the live console: read the queue on every event of the feed
    const feed = new AbortController();
    const events = (await fetch(`${kefu.url}/console/api/queue/events`, { headers, signal: feed.signal })).body!.getReader();
    void (async () => {
      const decoder = new TextDecoder();
      let buffered = '';
      for (;;) {
        const { value, done } = await events.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        const blocks = buffered.split('\n\n');
        buffered = blocks.pop()!;
        if (blocks.some((b) => b.includes('event: queue'))) note(live, await queued());
      }
    })();
    // the polling console
    const poller = setInterval(() => void queued().then((ids) => note(polled, ids)), POLL_MS);

    // warm-up: the first turns load the models' caches
    for (let i = 0; i < 3; i++) await askForPerson(kefu.url, `warm-up-${i}`);
    for (let i = 0; i < HANDOFFS; i++) {
      const s = await newConversation(kefu.url);
      asked.set(s.conversationId, performance.now());
      await askForPerson(kefu.url, `c${i}`, s);
      const deadline = performance.now() + 10_000;
      while (!live.has(s.conversationId) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    }
    const until = performance.now() + POLL_MS * 2;
    while (polled.size < asked.size && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
    clearInterval(poller);
    feed.abort();

    console.log(`customer asks for a person → the handoff listed in the agent console's queue; ${HANDOFFS} customers one after another, demo shop, embedded database, one process`);
    console.log(`${'console'.padEnd(26)} ${'seen'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    for (const [name, seen] of [['live feed (SSE)', live], [`polling every ${POLL_MS / 1000} s`, polled]] as const) {
      const ms = [...seen.values()].sort((a, b) => a - b);
      console.log(`${name.padEnd(26)} ${`${ms.length}/${HANDOFFS}`.padStart(5)} ${pct(ms, 50).toFixed(0).padStart(8)} ${pct(ms, 99).toFixed(0).padStart(8)} ${ms.at(-1)!.toFixed(0).padStart(8)}`);
    }
  } finally {
    await kefu.close();
  }
}

async function newConversation(url: string): Promise<{ conversationId: string; token: string }> {
  const res = await fetch(`${url}/api/conversations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"locale":"en"}' });
  return (await res.json()) as { conversationId: string; token: string };
}

async function askForPerson(url: string, id: string, s?: { conversationId: string; token: string }) {
  const session = s ?? (await newConversation(url));
  const res = await fetch(`${url}/api/conversations/${session.conversationId}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
    body: JSON.stringify({ text: 'I want to talk to a real person', clientMessageId: id }),
  });
  if (res.status !== 200) throw new Error(`turn failed: ${res.status} ${await res.text()}`);
  await res.json();
}
