/**
 * A small order system over real HTTP (node:http, JSON) for the flow tests: it counts the requests it
 * gets and answers each path as told — a status and a JSON body, or never (until the caller gives up).
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OrderSystem {
  url: string;
  requests: { method: string; path: string; body: string; headers: IncomingMessage['headers'] }[];
  answer(path: string, status: number | 'hang', body?: unknown): void;
  close(): Promise<void>;
}

export async function startOrderSystem(): Promise<OrderSystem> {
  const answers = new Map<string, { status: number | 'hang'; body?: unknown }>();
  const requests: OrderSystem['requests'] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? '', path, body, headers: req.headers });
      const a = answers.get(`${req.method} ${path}`) ?? { status: 404, body: { error: 'not_found' } };
      if (a.status === 'hang') return; // the caller's time-out ends it
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    answer: (path, status, body) => void answers.set(path, { status, body }),
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
