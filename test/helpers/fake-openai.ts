/**
 * A local stand-in for an OpenAI-compatible server (vLLM's, say), speaking the chat-completions wire format:
 * `GET /v1/models`, `POST /v1/chat/completions` answered as JSON or, with `stream: true`, as server-sent
 * events (`data: {chat.completion.chunk}` lines, then `data: [DONE]`), and errors as `{"error": {...}}` with
 * their status. Each request takes the next scripted behaviour, else the default one.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Behaviour =
  | { answer: string; pieceDelayMs?: number; pieceSize?: number }
  | { status: number; message?: string; retryAfter?: string }
  | { hang: true }
  /** Sends `answer`'s first `pieces` pieces, then drops the connection without [DONE]. */
  | { drop: true; answer: string; pieces: number; pieceDelayMs?: number };

export interface ChatRequest {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  max_tokens?: number;
  temperature?: number;
}

export interface FakeOpenAi {
  baseURL: string;
  requests: ChatRequest[];
  /** Behaviours for the next requests, in order. */
  script(...behaviours: Behaviour[]): void;
  /** The behaviour once the script is used up (a function sees the request). */
  byDefault(behaviour: Behaviour | ((req: ChatRequest) => Behaviour)): void;
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function split(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

export async function startFakeOpenAi(opts: { models?: string[] } = {}): Promise<FakeOpenAi> {
  const models = opts.models ?? ['base-model'];
  const requests: ChatRequest[] = [];
  const queue: Behaviour[] = [];
  let fallback: Behaviour | ((req: ChatRequest) => Behaviour) = { answer: 'UNSUPPORTED' };
  const sockets = new Set<Socket>();
  let seq = 0;

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  async function completions(req: IncomingMessage, res: ServerResponse, body: ChatRequest) {
    requests.push(body);
    const b = queue.shift() ?? (typeof fallback === 'function' ? fallback(body) : fallback);
    if ('hang' in b) return; // never answers; the client's deadline has to end it
    if ('status' in b) {
      return json(res, b.status, { error: { message: b.message ?? `status ${b.status}`, type: b.status === 429 ? 'rate_limit_exceeded' : 'server_error', code: null } }, b.retryAfter ? { 'retry-after': b.retryAfter } : {});
    }
    const id = `chatcmpl-${++seq}`;
    const created = Math.floor(Date.now() / 1000);
    if (!body.stream && !('drop' in b)) {
      return json(res, 200, {
        id, object: 'chat.completion', created, model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: b.answer }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const chunk = (delta: Record<string, unknown>, finish: string | null) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`);
    chunk({ role: 'assistant', content: '' }, null);
    const pieces = split(b.answer, 'pieceSize' in b && b.pieceSize ? b.pieceSize : 4);
    for (const [i, piece] of pieces.entries()) {
      if ('pieceDelayMs' in b && b.pieceDelayMs) await sleep(b.pieceDelayMs);
      if ('drop' in b && i >= b.pieces) {
        req.socket.destroy();
        return;
      }
      if (res.destroyed) return;
      chunk({ content: piece }, null);
    }
    chunk({}, 'stop');
    res.write('data: [DONE]\n\n');
    res.end();
  }

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      if (req.method === 'GET' && req.url === '/v1/models') return json(res, 200, { object: 'list', data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'kefu-test' })) });
      if (req.method === 'POST' && req.url === '/v1/chat/completions') {
        let body: ChatRequest;
        try {
          body = JSON.parse(raw) as ChatRequest;
        } catch {
          return json(res, 400, { error: { message: 'invalid JSON', type: 'invalid_request_error', code: null } });
        }
        void completions(req, res, body);
        return;
      }
      json(res, 404, { error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error', code: null } });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...behaviours) => queue.push(...behaviours),
    byDefault: (b) => (fallback = b),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
