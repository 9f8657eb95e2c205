import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { StoredMessage } from '../turn/types.ts';
import { createKeyedListeners, createListeners, type LiveBus } from './bus.ts';

const CHANNEL = 'kefu_live';
/** NOTIFY payloads must stay under 8,000 bytes; a larger message travels as its id and is read from the store. */
const MAX_INLINE_BYTES = 7000;

/** What travels in a notification: the message itself (its date as JSON text), or where to read it. */
type Notice =
  | { from: string; message: Omit<StoredMessage, 'createdAt'> & { createdAt: string | Date } }
  | { from: string; conversationId: string; id: number }
  | { from: string; topic: string };

export interface PostgresBusOptions {
  /** Reads a stored message by id (for messages too large to travel in a notification). */
  load(id: number): Promise<StoredMessage | undefined>;
  onError?: (err: unknown) => void;
  /** How long to wait before listening again after the connection broke. */
  reconnectMs?: number;
}

/**
 * The bus across processes: one connection of its own LISTENs on `kefu_live` and carries this process's
 * NOTIFYs. A process's own messages go to its listeners at once and are skipped when they come back.
 * While the connection is being re-established, notifications from other processes are missed; a customer's
 * widget reads the history again when it reconnects.
 */
export async function openPostgresBus(url: string, opts: PostgresBusOptions): Promise<LiveBus> {
  const id = randomUUID();
  const listeners = createListeners();
  const watchers = createKeyedListeners();
  let client: pg.Client | undefined;
  let closed = false;

  const receive = async (payload: string | undefined) => {
    if (!payload) return;
    const notice = JSON.parse(payload) as Notice;
    if (notice.from === id) return;
    if ('topic' in notice) watchers.notify(notice.topic, undefined);
    else if ('message' in notice) {
      if (listeners.has(notice.message.conversationId)) listeners.notify({ ...notice.message, createdAt: new Date(notice.message.createdAt) });
    } else if (listeners.has(notice.conversationId)) {
      const message = await opts.load(notice.id);
      if (message) listeners.notify(message);
    }
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url });
    c.on('notification', (n) => void receive(n.payload).catch((err) => opts.onError?.(err)));
    c.on('error', (err) => {
      opts.onError?.(err);
      if (client === c) client = undefined;
      c.end().catch(() => undefined);
      if (!closed) setTimeout(() => void connect().catch((e) => opts.onError?.(e)), opts.reconnectMs ?? 1000);
    });
    await c.connect();
    await c.query(`listen ${CHANNEL}`);
    client = c;
  };
  await connect();

  return {
    async publish(message) {
      listeners.notify(message);
      let payload = JSON.stringify({ from: id, message } satisfies Notice);
      if (Buffer.byteLength(payload) > MAX_INLINE_BYTES) payload = JSON.stringify({ from: id, conversationId: message.conversationId, id: message.id } satisfies Notice);
      if (!client) throw new Error('the live bus is reconnecting to PostgreSQL');
      await client.query('select pg_notify($1, $2)', [CHANNEL, payload]);
    },
    subscribe: (conversationId, listener) => listeners.add(conversationId, listener),
    async signal(topic) {
      watchers.notify(topic, undefined);
      if (!client) throw new Error('the live bus is reconnecting to PostgreSQL');
      await client.query('select pg_notify($1, $2)', [CHANNEL, JSON.stringify({ from: id, topic } satisfies Notice)]);
    },
    watch: (topic, listener) => watchers.add(topic, listener),
    async close() {
      closed = true;
      await client?.end().catch(() => undefined);
    },
  };
}
