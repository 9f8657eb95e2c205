/**
 * The echo channel: a thread-shaped channel made for tests, the way a Slack or Teams adapter is shaped.
 * Its "service" posts events to `POST /echo/events` (signed with a shared secret, checked in this plugin's
 * own scope) and reads what kefu sends into a thread from `remote` — a stand-in for the service's API.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ChatRefusal, type Channel, type ChannelContext } from '../../../bot/turn/channel.ts';
import type { StoredMessage } from '../../../bot/turn/types.ts';

/** Where a conversation lives on the echo service: its thread. */
export type EchoRef = { thread: string };

export interface EchoEvent {
  id: string;
  thread: string;
  user: string;
  text: string;
  locale?: 'zh' | 'en';
}

export const signEcho = (secret: string, body: string) => createHmac('sha256', secret).update(body).digest('hex');

export function echoChannel(signingSecret: string) {
  /** What the echo service received from kefu, by thread, in order. */
  const remote = new Map<string, StoredMessage[]>();

  async function routes(app: FastifyInstance, { chat }: ChannelContext) {
    // the signature is over the raw body: this scope parses JSON itself
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    app.addHook('preHandler', async (req, reply) => {
      const given = Buffer.from(String(req.headers['x-echo-signature'] ?? ''));
      const expected = Buffer.from(signEcho(signingSecret, req.body as string));
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply.code(401).send({ error: 'bad signature' });
    });
    app.post('/events', async (req, reply) => {
      const event = JSON.parse(req.body as string) as EchoEvent;
      const ref: EchoRef = { thread: event.thread };
      const conversation = await chat.findOrStart({ channel: 'echo', ref, customerId: event.user, locale: event.locale ?? 'en' });
      try {
        const receipt = await chat.receive({
          channel: 'echo',
          channelMessageId: event.id,
          conversationId: conversation.id,
          customerId: event.user,
          text: event.text,
          images: [],
          locale: event.locale,
          receivedAt: new Date(),
        });
        void receipt.replies.catch(() => undefined); // the answer reaches the thread through send()
      } catch (err) {
        if (err instanceof ChatRefusal) return reply.code(429).send({ error: err.code });
        throw err;
      }
      return reply.code(202).send({ ok: true });
    });
  }

  const channel: Channel<EchoRef> = {
    name: 'echo',
    prefix: '/echo',
    routes,
    async send(ref, message) {
      const thread = remote.get(ref.thread) ?? [];
      if (!thread.some((m) => m.id === message.id)) thread.push(message); // idempotent per message id
      remote.set(ref.thread, thread);
    },
  };
  return { channel: channel as unknown as Channel, remote };
}
