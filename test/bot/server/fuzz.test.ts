/**
 * Fuzzing every route of the web server and its WebSocket with generated payloads (fast-check): hostile
 * text (NUL, lone surrogates, ligatures that grow 18× under NFKC, controls, long runs), broken and odd JSON,
 * wrong types, forged, tampered, repeated and missing tokens, odd ids, paths, methods, headers and frames.
 * Nothing may get a 5xx or an internal error, and the server must answer a real question afterwards.
 * On both backends. KEFU_FUZZ_SEED replays a run.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { BACKENDS, type RunningKefu } from '../../helpers/backends.ts';
import { newSession, postMessage, type Session } from '../../helpers/kefu.ts';

const SEED = Number(process.env.KEFU_FUZZ_SEED ?? 20260425);
const HTTP_RUNS = 4600;
const SOCKET_RUNS = 150;
const CONCURRENCY = 12;

interface HttpCase {
  kind: 'http';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}
interface SocketCase {
  kind: 'ws';
  path: string;
  frames: (string | Uint8Array)[];
}

/** Text customers (or attackers) might send: storable or not, short or long, any script. */
const hostileText = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom('\u0000', '\ud800', '\udfff', '\ufdfa', '\u3300', '退', 'a', ' ', '\n', '\u200b', '\u202e', '😀', '\\', '"'), maxLength: 300 }),
  fc.constantFrom('\ufdfa'.repeat(4000), '\ufdfa'.repeat(222), '退货政策是什么'.repeat(571), 'x'.repeat(4001), 'How long does delivery take?', '退货政策是什么？', ' ', ''),
);

const clientMessageId = fc.oneof(fc.stringMatching(/^[\w.:-]{1,24}$/), fc.string({ maxLength: 110 }), fc.constant('x'.repeat(101)));

/** Message bodies: mostly well-formed with hostile text, then every kind of wrong. */
const messageBody = fc.oneof(
  { weight: 5, arbitrary: fc.record({ text: hostileText, clientMessageId }).map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.record({ text: hostileText, clientMessageId, type: fc.constant('message') }, { requiredKeys: [] }).map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.record({ text: fc.jsonValue(), clientMessageId: fc.jsonValue() }, { requiredKeys: [] }).map((b) => JSON.stringify(b)) },
  { weight: 1, arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 80 }) },
  { weight: 1, arbitrary: fc.constantFrom('{"text": "hi", ', '{"__proto__": {"x": 1}, "text": "a", "clientMessageId": "p"}', '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', 'null', '"\\u0000"', '{"text":"a\\u0000b","clientMessageId":"n"}') },
);

export function httpCase(sessions: Session[]) {
  const session = fc.constantFrom(...sessions);
  const token = fc.oneof(
    session.map((s) => s.token),
    session.map((s) => `${s.token.split('.')[0]}.${'A'.repeat(43)}`),
    session.map((s) => `${s.token}${s.token}`),
    fc.string({ maxLength: 60 }),
    fc.constant(''),
  );
  const id = fc.oneof(
    session.map((s) => s.conversationId),
    fc.string({ maxLength: 40 }).map(encodeURIComponent),
    fc.constantFrom('..%2F..%2Fetc%2Fpasswd', '%00', 'x'.repeat(2000), '%E0%A4%A', '1;drop table messages'),
  );
  const auth = token.map((t): Record<string, string> => (t ? { authorization: `Bearer ${t.replace(/[^\x21-\x7e]/g, '')}` } : {}));
  const json = { 'content-type': 'application/json' };
  const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-16', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json;;;');
  const c = (method: string, path: string, headers: Record<string, string>, body?: string | Uint8Array): HttpCase => ({ kind: 'http', method, path, headers, body });
  return fc.oneof(
    { weight: 2, arbitrary: fc.tuple(messageBody, fc.constantFrom('zh-CN,zh;q=0.9', 'en', '*', 'xx', '')).map(([b, lang]) => c('POST', '/api/conversations', { ...json, 'accept-language': lang }, b)) },
    { weight: 4, arbitrary: fc.tuple(session, messageBody).map(([s, b]) => c('POST', `/api/conversations/${s.conversationId}/messages`, { ...json, authorization: `Bearer ${s.token}` }, b)) },
    { weight: 2, arbitrary: fc.tuple(session, auth, messageBody).map(([s, h, b]) => c('POST', `/api/conversations/${s.conversationId}/messages`, { ...json, ...h }, b)) },
    { weight: 2, arbitrary: fc.tuple(id, auth, messageBody, contentType).map(([i, h, b, ct]) => c('POST', `/api/conversations/${i}/messages`, { 'content-type': ct, ...h }, b)) },
    { weight: 1, arbitrary: fc.tuple(id, auth, fc.uint8Array({ maxLength: 200 })).map(([i, h, b]) => c('POST', `/api/conversations/${i}/messages`, { ...json, ...h }, b)) },
    { weight: 1, arbitrary: fc.tuple(id, auth).map(([i, h]) => c('GET', `/api/conversations/${i}/messages`, h)) },
    { weight: 1, arbitrary: session.map((s) => c('GET', `/api/conversations/${s.conversationId}/messages`, { authorization: `Bearer ${s.token}` })) },
    { weight: 1, arbitrary: fc.tuple(id, token.filter((t) => !sessions.some((s) => s.token === t))).map(([i, t]) => c('DELETE', `/api/conversations/${i}/tokens`, t ? { authorization: `Bearer ${t.replace(/[^\x21-\x7e]/g, '')}` } : {})) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('en', 'zh', 'fr', '..', ''), fc.string({ maxLength: 30 })).map(([l, t]) => c('GET', `/help/${l}/${encodeURIComponent(t)}`, {})) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/', '/widget.js', '/healthz', '/help', '/api/conversations', '/api/', '/nope'), fc.string({ maxLength: 30 })).map(([p, q]) => c('GET', `${p}?${encodeURIComponent(q)}=${encodeURIComponent(q)}`, {})) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'), fc.constantFrom('/api/conversations', '/', '/api/conversations/x/messages', '/api/conversations/x/ws'), messageBody).map(([m, p, b]) => c(m, p, json, m === 'HEAD' ? undefined : b)) },
    { weight: 1, arbitrary: fc.tuple(session, token).map(([s, t]) => c('GET', `/api/conversations/${s.conversationId}/ws?token=${encodeURIComponent(t)}`, {})) },
  );
}

function socketCase(sessions: Session[]) {
  const session = fc.constantFrom(...sessions);
  const query = fc.oneof(
    { weight: 4, arbitrary: fc.constant('own') },
    { weight: 1, arbitrary: session.map((s) => `token=${encodeURIComponent(s.token)}&token=${encodeURIComponent(s.token)}`) },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }).map((t) => `token=${encodeURIComponent(t)}`) },
    { weight: 1, arbitrary: fc.constant('') },
  );
  const frame = fc.oneof(
    { weight: 4, arbitrary: fc.record({ type: fc.constant('message'), text: hostileText, clientMessageId }).map((f) => JSON.stringify(f)) },
    { weight: 1, arbitrary: messageBody },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }) },
  );
  return fc.tuple(session, query, fc.array(frame, { minLength: 1, maxLength: 5 })).map(
    ([s, q, frames]): SocketCase => ({ kind: 'ws', path: `/api/conversations/${s.conversationId}/ws?${q === 'own' ? `token=${encodeURIComponent(s.token)}` : q}`, frames }),
  );
}

/** How many answers of each status the fuzz got (printed: a run that only ever got 401 would prove little). */
const statuses = new Map<number, number>();

async function sendHttp(base: string, c: HttpCase): Promise<string | undefined> {
  const res = await fetch(new URL(c.path, base), { method: c.method, headers: c.headers, body: c.body as BodyInit | undefined }); // a Uint8Array is a body; the DOM types disagree
  await res.arrayBuffer();
  statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
  return res.status >= 500 ? `${res.status}` : undefined;
}

/** Opens the socket, sends the frames, waits for an answer to each (or the close); an internal error is a failure. */
function sendSocket(base: string, c: SocketCase): Promise<string | undefined> {
  return new Promise((resolve) => {
    const ws = new WebSocket(new URL(c.path, base.replace('http', 'ws')));
    let answers = 0;
    let problem: string | undefined;
    const done = setTimeout(() => ws.terminate(), 5000);
    ws.on('open', () => c.frames.forEach((f) => ws.send(f)));
    ws.on('message', (d) => {
      const f = JSON.parse(d.toString());
      if (f.type === 'error' && f.code === 'internal') problem = `internal error frame: ${f.text}`;
      if (f.type === 'error' || (f.type === 'message' && f.message.author === 'customer')) answers++;
      if (answers >= c.frames.length) ws.close();
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      clearTimeout(done);
      if (code === 1011) problem = 'closed with 1011 (internal error)';
      resolve(problem);
    });
  });
}

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

for (const backend of BACKENDS) {
  describe(`fuzzing the web server on the ${backend.name}`, () => {
    let running: RunningKefu | undefined;
    beforeAll(async () => {
      // generous limits: the fuzz is about what the server does with each payload, not about pacing
      running = await backend.start({ web: { newConversations: { burst: 1e6, perSecond: 1e6, maxWaiting: 0 } }, flood: { burst: 1e6, perSecond: 1e6, maxWaiting: 1e6 } });
    });
    afterAll(async () => running?.dispose());

    it(`${HTTP_RUNS} generated requests and ${SOCKET_RUNS} sockets of frames (seed ${SEED}): no 5xx, no internal error, healthy after`, async (ctx) => {
      if (!running) return ctx.skip();
      const url = running.kefu.url;
      const sessions = await Promise.all(Array.from({ length: 30 }, (_, i) => newSession(url, i % 2 ? 'zh' : 'en')));
      const cases: (HttpCase | SocketCase)[] = [
        ...fc.sample(httpCase(sessions), { numRuns: HTTP_RUNS, seed: SEED }),
        ...fc.sample(socketCase(sessions), { numRuns: SOCKET_RUNS, seed: SEED + 1 }),
      ];
      const payloads = cases.reduce((n, c) => n + (c.kind === 'ws' ? c.frames.length : 1), 0);
      expect(payloads).toBeGreaterThanOrEqual(5000);

      const failures: string[] = [];
      await inParallel(cases, CONCURRENCY, async (c) => {
        const problem = await (c.kind === 'http' ? sendHttp(url, c) : sendSocket(url, c)).catch((err: Error) => `client error ${err.message}`);
        if (problem) failures.push(`${problem}: ${JSON.stringify(c).slice(0, 300)}`);
      });
      console.log(`fuzz on the ${backend.name}: ${payloads} payloads; HTTP statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
      statuses.clear();
      expect(failures.slice(0, 5)).toEqual([]);

      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const s = await newSession(url, 'en');
      const after = await postMessage(url, s, { text: 'How long does delivery take?', clientMessageId: 'after-fuzz' });
      expect(after.status).toBe(200);
      expect(((await after.json()) as any).reply.sources[0].url).toBe('/help/en/shipping#delivery-time');
    }, 180_000);
  });
}
