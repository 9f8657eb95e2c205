import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { ChatRefusal, type ChatPort, type Receipt } from '../../bot/turn/channel.ts';
import type { Locale, StoredMessage } from '../../bot/turn/types.ts';
import { parseLocale } from '../../bot/turn/locale.ts';
import { NOTICES } from './notices.ts';
import { issueToken, verifyToken, type ConversationClaim } from './token.ts';

export const CHANNEL = 'web';

export interface WebChannelOptions {
  chat: ChatPort;
  /** Secret that signs conversation tokens. */
  secret: string;
  maxTextLength?: number;
}

/** An error the web API answers with: a 4xx status and `{ error: { code, message } }`. */
export class WebError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface OutgoingMessage {
  id: number;
  direction: StoredMessage['direction'];
  author: StoredMessage['author'];
  text: string;
  sources: StoredMessage['sources'];
  quickReplies: StoredMessage['quickReplies'];
  createdAt: string;
  clientMessageId?: string;
}

/** The web channel keeps the browser's own message id inside the channel message id. */
const channelMessageId = (conversationId: string, clientMessageId: string) => `${conversationId}/${clientMessageId}`;

function toOutgoing(m: StoredMessage & { channelMessageId?: string | null }): OutgoingMessage {
  const out: OutgoingMessage = {
    id: m.id,
    direction: m.direction,
    author: m.author,
    text: m.text,
    sources: m.sources,
    quickReplies: m.quickReplies,
    createdAt: m.createdAt.toISOString(),
  };
  const cmid = m.channelMessageId?.split('/')[1];
  if (cmid) out.clientMessageId = cmid;
  return out;
}

/** A quick-reply payload: 1–200 characters, none of them a control character. */
const PAYLOAD = /^[^\p{Cc}]{1,200}$/u;

/** Checks a customer's message body and says exactly what is wrong with it. */
export function parseMessageBody(body: unknown, maxTextLength: number): { text: string; clientMessageId: string; payload?: string } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new WebError(400, 'bad_request', 'the body must be a JSON object: {"text": "...", "clientMessageId": "..."}');
  }
  const { text, clientMessageId, payload } = body as Record<string, unknown>;
  if (typeof text !== 'string' || text.trim() === '') throw new WebError(400, 'empty_text', '"text" must be a non-empty string');
  if (text.length > maxTextLength) {
    throw new WebError(413, 'message_too_long', `"text" has ${text.length} characters; the limit is ${maxTextLength}`);
  }
  if (typeof clientMessageId !== 'string' || !/^[\w.:-]{1,100}$/.test(clientMessageId)) {
    throw new WebError(400, 'bad_client_message_id', '"clientMessageId" must be 1–100 letters, digits, or . _ : -');
  }
  if (payload === undefined) return { text, clientMessageId };
  if (typeof payload !== 'string' || !PAYLOAD.test(payload)) {
    throw new WebError(400, 'bad_payload', '"payload", when given, must be a string of 1–200 characters without control characters');
  }
  return { text, clientMessageId, payload };
}

/**
 * The web chat channel: start a conversation (and get its token), read its history, send messages over
 * HTTP or a WebSocket. A token opens one conversation only.
 */
export async function webChannel(app: FastifyInstance, opts: WebChannelOptions) {
  const { chat, secret } = opts;
  const maxTextLength = opts.maxTextLength ?? 4000;

  async function authorize(req: FastifyRequest, conversationId: string, token: string | undefined): Promise<{ claim: ConversationClaim; locale: Locale }> {
    if (!token) throw new WebError(401, 'missing_token', 'this request needs the conversation token: Authorization: Bearer <token>');
    const claim = verifyToken(secret, token);
    if (!claim) throw new WebError(401, 'invalid_token', 'the conversation token is not valid (forged, damaged or expired)');
    if (claim.conversationId !== conversationId) throw new WebError(403, 'forbidden', 'this token does not open that conversation');
    const conversation = await chat.conversation(conversationId);
    if (!conversation || conversation.customerId !== claim.customerId) throw new WebError(403, 'forbidden', 'this token does not open that conversation');
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

  app.get<{ Params: { id: string }; Querystring: { token?: string } }>(
    '/api/conversations/:id/ws',
    { websocket: true },
    async (socket: WebSocket, req) => {
      const sendJson = (value: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(value));
      let session: { claim: ConversationClaim; locale: Locale };
      try {
        session = await authorize(req, req.params.id, req.query.token);
      } catch (err) {
        const e = err instanceof WebError ? err : new WebError(500, 'internal', 'could not open the conversation');
        sendJson({ type: 'error', code: e.code, text: e.message });
        socket.close(e.status === 403 ? 4403 : 4401, e.code);
        return;
      }
      const unsubscribe = chat.subscribe(req.params.id, (m) => sendJson({ type: 'message', message: toOutgoing(m) }));
      socket.on('close', unsubscribe);
      socket.on('message', async (data, isBinary) => {
        try {
          if (isBinary) throw new WebError(400, 'bad_request', 'send JSON text frames');
          const raw = data.toString();
          if (raw.length > maxTextLength * 6 + 1000) throw new WebError(413, 'message_too_long', `the frame is too large; the text limit is ${maxTextLength}`);
          let frame: unknown;
          try {
            frame = JSON.parse(raw);
          } catch {
            throw new WebError(400, 'malformed_json', 'the frame is not valid JSON');
          }
          if ((frame as { type?: unknown })?.type !== 'message') throw new WebError(400, 'bad_request', 'frames must be {"type":"message","text":"...","clientMessageId":"..."}');
          const receipt = await send(session.claim, frame);
          sendJson({ type: 'message', message: toOutgoing(receipt.message), ...(receipt.duplicate ? { duplicate: true } : {}) });
          if (receipt.slowedMs) sendJson({ type: 'notice', code: 'slow_down', text: NOTICES.slow_down[session.locale] });
          // the reply itself arrives through the subscription; a duplicate's earlier reply is sent again here
          if (receipt.duplicate) {
            const earlier = await receipt.reply;
            if (earlier) sendJson({ type: 'message', message: toOutgoing(earlier) });
          }
        } catch (err) {
          const e = err instanceof WebError ? err : new WebError(500, 'internal', 'the message could not be handled; please try again');
          const text = e.code === 'flooding' ? NOTICES.flooding[session.locale] : e.message;
          sendJson({ type: 'error', code: e.code, text });
          if (!(err instanceof WebError)) req.log.error(err);
        }
      });
    },
  );
}
