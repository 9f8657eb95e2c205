import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { ChatRefusal, type ChannelContext, type Receipt } from '../../bot/turn/channel.ts';
import type { Locale } from '../../bot/turn/types.ts';
import { parseLocale } from '../../bot/turn/locale.ts';
import { createFloodGate, type FloodGateOptions } from '../../bot/turn/flood-gate.ts';
import { WebError } from './errors.ts';
import { MAX_BODY_BYTES, parseMessageBody } from './message-body.ts';
import { NOTICES } from './notices.ts';
import { channelMessageId, toOutgoing } from './outgoing.ts';
import { serveConversationSocket } from './socket.ts';
import { createSocketLimits, DEFAULT_SOCKET_LIMITS, type SocketLimitOptions } from './socket-limits.ts';
import { issueToken, verifyToken, type ConversationClaim } from './token.ts';

export const CHANNEL = 'web';

/** New conversations one client address may start: a burst, then one every few seconds. */
export const DEFAULT_NEW_CONVERSATIONS: FloodGateOptions = { burst: 30, perSecond: 0.5, maxWaiting: 0 };

export interface WebChannelOptions {
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

/** Refusals of the bot, as the web API answers them. */
const REFUSAL_STATUS: Record<ChatRefusal['code'], number> = { flooding: 429, unknown_conversation: 404, conversation_closed: 409, attachment_refused: 400, token_refused: 403 };

/** A token the store refused as the message was stored, answered as `authorize` answers it. */
function tokenRefusal(err: ChatRefusal): WebError | undefined {
  if (err.code === 'token_refused' && err.reason === 'revoked') return new WebError(401, 'invalid_token', 'the conversation token was revoked');
  if (err.code === 'token_refused' || err.code === 'unknown_conversation') return new WebError(403, 'forbidden', 'this token does not open that conversation');
  return undefined;
}

/**
 * The web chat channel's routes (under /api): start a conversation (and get its token), read its history,
 * send messages over HTTP or a WebSocket. A token opens one conversation only. The widget runs on the
 * company's own site, so these routes answer any origin (CORS, in this scope only).
 */
export const webRoutes = (opts: WebChannelOptions = {}) => async (app: FastifyInstance, { chat, secret }: ChannelContext) => {
  const maxTextLength = opts.maxTextLength ?? 4000;
  const newConversations = createFloodGate({ ...DEFAULT_NEW_CONVERSATIONS, ...opts.newConversations });
  const socketLimits = createSocketLimits({ ...DEFAULT_SOCKET_LIMITS, ...opts.sockets });

  // No cookies are involved (the conversation token travels in a header), so answering any origin opens nothing else.
  app.addHook('onRequest', async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      reply
        .header('access-control-allow-methods', 'GET, POST, DELETE, OPTIONS')
        .header('access-control-allow-headers', 'content-type, authorization')
        .header('access-control-max-age', '600')
        .code(204)
        .send();
    }
  });
  app.options('/*', async (_req, reply) => reply.code(204).send());

  // The channel's own refusals; anything else goes on to the server's error answers.
  app.setErrorHandler((err: FastifyError, _req, reply) => {
    if (!(err instanceof WebError)) throw err;
    reply.code(err.status).send({ error: { code: err.code, message: err.message, ...(err.reason ? { reason: err.reason } : {}) } });
  });

  /** The token's claim when it is well signed, current and for this conversation; what the store knows is checked by `authorize`, or as a message is stored. */
  function claimOf(conversationId: string, token: string | undefined): ConversationClaim {
    if (!token) throw new WebError(401, 'missing_token', 'this request needs the conversation token: Authorization: Bearer <token>');
    const claim = verifyToken(secret, token);
    if (!claim) throw new WebError(401, 'invalid_token', 'the conversation token is not valid (forged, damaged or expired)');
    if (claim.conversationId !== conversationId) throw new WebError(403, 'forbidden', 'this token does not open that conversation');
    return claim;
  }

  async function authorize(req: FastifyRequest, conversationId: string, token: string | undefined): Promise<{ claim: ConversationClaim; locale: Locale }> {
    const claim = claimOf(conversationId, token);
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

  /** `checkToken`: the store checks the claim against the conversation as it stores the message (no read before). */
  async function send(claim: ConversationClaim, body: unknown, checkToken = false): Promise<Receipt> {
    const { text, clientMessageId, payload, images } = parseMessageBody(body, maxTextLength);
    try {
      return await chat.receive({
        channel: CHANNEL,
        channelMessageId: channelMessageId(claim.conversationId, clientMessageId),
        conversationId: claim.conversationId,
        customerId: claim.customerId,
        text,
        ...(payload !== undefined ? { payload } : {}),
        images,
        receivedAt: new Date(),
        ...(checkToken ? { token: { customerId: claim.customerId, issuedAt: claim.issuedAt } } : {}),
      });
    } catch (err) {
      if (err instanceof ChatRefusal && checkToken && tokenRefusal(err)) throw tokenRefusal(err);
      if (err instanceof ChatRefusal) throw new WebError(REFUSAL_STATUS[err.code], err.code, err.message, err.reason);
      throw err;
    }
  }

  app.post('/conversations', async (req, reply) => {
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

  app.get<{ Params: { id: string } }>('/conversations/:id/messages', async (req) => {
    await authorize(req, req.params.id, bearer(req));
    return { messages: (await chat.history(req.params.id)).map(toOutgoing) };
  });

  // A customer's own image again (the widget shows a restored conversation's pictures): by its hash, with the token.
  app.get<{ Params: { id: string; sha256: string } }>('/conversations/:id/images/:sha256', async (req, reply) => {
    await authorize(req, req.params.id, bearer(req));
    const image = await chat.image(req.params.id, req.params.sha256);
    if (!image) throw new WebError(404, 'not_found', 'this conversation has no such image');
    return reply.type(image.mime).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(Buffer.from(image.bytes));
  });

  // the token is checked as the message is stored: a turn reads its conversation once
  app.post<{ Params: { id: string } }>('/conversations/:id/messages', { bodyLimit: MAX_BODY_BYTES }, async (req) => {
    const claim = claimOf(req.params.id, bearer(req));
    const receipt = await send(claim, req.body, true);
    const replies = await receipt.replies;
    const locale = receipt.slowedMs ? ((await chat.conversation(req.params.id))?.locale ?? 'en') : 'en';
    return {
      message: toOutgoing(receipt.message),
      // the turn's answer (its last message) where the widget has always read it, and every message it sent
      reply: replies.length ? toOutgoing(replies.at(-1)!) : null,
      replies: replies.map(toOutgoing),
      ...(receipt.duplicate ? { duplicate: true } : {}),
      ...(receipt.slowedMs ? { notice: { code: 'slow_down', text: NOTICES.slow_down[locale] } } : {}),
    };
  });

  // Ends every token of the conversation issued so far (a customer leaving a shared computer; an operator
  // who saw a token leak). The conversation itself stays.
  app.delete<{ Params: { id: string } }>('/conversations/:id/tokens', async (req, reply) => {
    await authorize(req, req.params.id, bearer(req));
    await chat.revokeTokens(req.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: { id: string } }>('/conversations/:id/ws', { websocket: true }, (socket: WebSocket, req) => {
    const authorized = (async () => authorize(req, req.params.id, singleQueryValue(req.query, 'token')))();
    serveConversationSocket(socket, authorized, req.params.id, { chat, limits: socketLimits, maxTextLength, send, log: req.log });
  });
};
