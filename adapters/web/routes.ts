import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { ChatRefusal, type ChatPort, type Receipt } from '../../bot/turn/channel.ts';
import type { Locale } from '../../bot/turn/types.ts';
import { parseLocale } from '../../bot/turn/locale.ts';
import { createFloodGate, type FloodGateOptions } from '../../bot/inbox/flood-gate.ts';
import { WebError } from './errors.ts';
import { parseMessageBody } from './message-body.ts';
import { NOTICES } from './notices.ts';
import { channelMessageId, toOutgoing } from './outgoing.ts';
import { serveConversationSocket } from './socket.ts';
import { createSocketLimits, DEFAULT_SOCKET_LIMITS, type SocketLimitOptions } from './socket-limits.ts';
import { issueToken, verifyToken, type ConversationClaim } from './token.ts';

export { WebError } from './errors.ts';
export { parseMessageBody } from './message-body.ts';

export const CHANNEL = 'web';

/** New conversations one client address may start: a burst, then one every few seconds. */
export const DEFAULT_NEW_CONVERSATIONS: FloodGateOptions = { burst: 30, perSecond: 0.5, maxWaiting: 0 };

export interface WebChannelOptions {
  chat: ChatPort;
  /** Secret that signs conversation tokens. */
  secret: string;
  maxTextLength?: number;
  /** How many conversations one client address may start (a token bucket per address). */
  newConversations?: FloodGateOptions;
  sockets?: Partial<SocketLimitOptions>;
}

/** A query parameter given once; a repeated one is refused rather than guessed at. */
function singleQueryValue(query: unknown, name: string): string | undefined {
  const value = (query as Record<string, unknown> | undefined)?.[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new WebError(400, 'bad_request', `give "${name}" once in the URL`);
}

/**
 * The web chat channel: start a conversation (and get its token), read its history, send messages over
 * HTTP or a WebSocket. A token opens one conversation only.
 */
export async function webChannel(app: FastifyInstance, opts: WebChannelOptions) {
  const { chat, secret } = opts;
  const maxTextLength = opts.maxTextLength ?? 4000;
  const newConversations = createFloodGate({ ...DEFAULT_NEW_CONVERSATIONS, ...opts.newConversations });
  const socketLimits = createSocketLimits({ ...DEFAULT_SOCKET_LIMITS, ...opts.sockets });

  async function authorize(req: FastifyRequest, conversationId: string, token: string | undefined): Promise<{ claim: ConversationClaim; locale: Locale }> {
    if (!token) throw new WebError(401, 'missing_token', 'this request needs the conversation token: Authorization: Bearer <token>');
    const claim = verifyToken(secret, token);
    if (!claim) throw new WebError(401, 'invalid_token', 'the conversation token is not valid (forged, damaged or expired)');
    if (claim.conversationId !== conversationId) throw new WebError(403, 'forbidden', 'this token does not open that conversation');
    const conversation = await chat.conversation(conversationId);
    if (!conversation || conversation.customerId !== claim.customerId) throw new WebError(403, 'forbidden', 'this token does not open that conversation');
    if (conversation.tokensRevokedAt && claim.issuedAt <= conversation.tokensRevokedAt.getTime()) {
      throw new WebError(401, 'invalid_token', 'the conversation token was revoked');
    }
    req.log.debug({ conversationId }, 'authorized');
    return { claim, locale: conversation.locale };
  }

  const bearer = (req: FastifyRequest) => {
    const h = req.headers.authorization;
    return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
  };

  async function send(claim: ConversationClaim, body: unknown): Promise<Receipt> {
    const { text, clientMessageId, payload } = parseMessageBody(body, maxTextLength);
    try {
      return await chat.receive({
        channel: CHANNEL,
        channelMessageId: channelMessageId(claim.conversationId, clientMessageId),
        conversationId: claim.conversationId,
        customerId: claim.customerId,
        text,
        ...(payload !== undefined ? { payload } : {}),
        images: [],
        receivedAt: new Date(),
      });
    } catch (err) {
      if (err instanceof ChatRefusal) {
        const status = err.code === 'flooding' ? 429 : err.code === 'unknown_conversation' ? 404 : 409;
        throw new WebError(status, err.code, err.message);
      }
      throw err;
    }
  }

  app.post('/api/conversations', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    if (typeof body !== 'object' || Array.isArray(body)) throw new WebError(400, 'bad_request', 'the body must be a JSON object');
    const admission = newConversations.admit(req.ip);
    if (!admission.admitted) {
      reply.header('retry-after', String(Math.ceil(admission.retryAfterMs / 1000)));
      throw new WebError(429, 'too_many_conversations', 'too many new conversations from this address; please wait a moment');
    }
    const locale = parseLocale(body.locale) ?? parseLocale(req.headers['accept-language']) ?? 'en';
    const customerId = `visitor-${randomUUID()}`;
    const conversation = await chat.startConversation({ channel: CHANNEL, customerId, locale });
    reply.code(201);
    return { conversationId: conversation.id, token: issueToken(secret, { conversationId: conversation.id, customerId }), locale };
  });

  app.get<{ Params: { id: string } }>('/api/conversations/:id/messages', async (req) => {
    await authorize(req, req.params.id, bearer(req));
    return { messages: (await chat.history(req.params.id)).map(toOutgoing) };
  });

  app.post<{ Params: { id: string } }>('/api/conversations/:id/messages', async (req) => {
    const { claim, locale } = await authorize(req, req.params.id, bearer(req));
    const receipt = await send(claim, req.body);
    const answer = await receipt.reply;
    return {
      message: toOutgoing(receipt.message),
      reply: answer && toOutgoing(answer),
      ...(receipt.duplicate ? { duplicate: true } : {}),
      ...(receipt.slowedMs ? { notice: { code: 'slow_down', text: NOTICES.slow_down[locale] } } : {}),
    };
  });

  // Ends every token of the conversation issued so far (a customer leaving a shared computer; an operator
  // who saw a token leak). The conversation itself stays.
  app.delete<{ Params: { id: string } }>('/api/conversations/:id/tokens', async (req, reply) => {
    await authorize(req, req.params.id, bearer(req));
    await chat.revokeTokens(req.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/api/conversations/:id/ws', { websocket: true }, (socket: WebSocket, req) => {
    const authorized = (async () => authorize(req, req.params.id, singleQueryValue(req.query, 'token')))();
    serveConversationSocket(socket, authorized, req.params.id, { chat, limits: socketLimits, maxTextLength, send, log: req.log });
  });
}
