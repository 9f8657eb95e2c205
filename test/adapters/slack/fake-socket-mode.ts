/**
 * A local stand-in for Slack's Socket Mode, in its wire protocol: `apps.connections.open` (with the app-level
 * token) answers a ws:// URL; on that socket Slack says `hello`, then sends envelopes
 * `{ envelope_id, type: events_api | interactive, payload, accepts_response_payload, retry_attempt }`, and the
 * app acknowledges each by sending `{ envelope_id, payload? }` back.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import { recorded } from '../../helpers/recorded.ts';

export interface Ack {
  envelope_id: string;
  payload?: unknown;
}

export function fakeSocketMode(app: FastifyInstance, appToken: string, baseUrl: () => string) {
  const sockets = new WebSocketServer({ noServer: true });
  const acks = recorded<Ack>();
  const open = new Set<WebSocket>();
  const tickets = new Set<string>();
  let opened = 0;

  app.post('/api/apps.connections.open', async (req) => {
    if (req.headers.authorization !== `Bearer ${appToken}`) return { ok: false, error: 'invalid_auth' };
    const ticket = randomUUID();
    tickets.add(ticket);
    return { ok: true, url: `${baseUrl().replace('http', 'ws')}/link/?ticket=${ticket}` };
  });

  app.server.on('upgrade', (req, socket, head) => {
    const ticket = new URL(req.url ?? '', 'http://x').searchParams.get('ticket') ?? '';
    if (!req.url?.startsWith('/link/') || !tickets.delete(ticket)) return socket.destroy();
    sockets.handleUpgrade(req, socket, head, (ws) => {
      open.add(ws);
      opened++;
      ws.on('close', () => open.delete(ws));
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as Ack;
        if (message.envelope_id) acks.push(message);
      });
      ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'fake-slack', approximate_connection_time: 18060 }, connection_info: { app_id: 'A0KEFU' } }));
    });
  });

  return {
    /** How many sockets the app opened so far. */
    opened: () => opened,
    connected: () => open.size > 0,
    acks: acks.items,
    /** Sends an envelope to the app; resolves with its acknowledgement. */
    async send(type: 'events_api' | 'interactive', payload: Record<string, unknown>, retryAttempt = 0): Promise<Ack> {
      const envelope_id = randomUUID();
      const message = JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type === 'interactive', retry_attempt: retryAttempt, retry_reason: retryAttempt ? 'timeout' : '' });
      for (const ws of open) ws.send(message);
      return acks.when((a) => a.envelope_id === envelope_id);
    },
    close() {
      for (const ws of open) ws.terminate();
      sockets.close();
    },
  };
}
