import type { FastifyBaseLogger } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { ChatPort, Receipt } from '../../bot/turn/channel.ts';
import type { Locale } from '../../bot/turn/types.ts';
import { WebError } from './errors.ts';
import { NOTICES } from './notices.ts';
import { toOutgoing } from './outgoing.ts';
import type { SocketLimits } from './socket-limits.ts';
import type { ConversationClaim } from './token.ts';

export interface SocketSession {
  claim: ConversationClaim;
  locale: Locale;
}

export interface ConversationSocketDeps {
  chat: ChatPort;
  limits: SocketLimits;
  maxTextLength: number;
  /** Accepts a customer's message frame (the same checks as the HTTP route). */
  send(claim: ConversationClaim, body: unknown): Promise<Receipt>;
  log: FastifyBaseLogger;
}

/** Close codes the widget knows: 4400 bad request, 4401 token, 4403 forbidden, 4408 idle; 1013 full, try later. */
const closeCode = (status: number) => (status === 403 ? 4403 : status === 401 ? 4401 : 4400);

/**
 * One conversation's WebSocket. Frames are listened for from the first moment and queued until the
 * conversation is authorised (authorising reads the database, which takes a while on a server): a frame
 * sent the instant the socket opens is handled like any other, and frames are accepted in the order sent.
 */
export function serveConversationSocket(socket: WebSocket, authorized: Promise<SocketSession>, conversationId: string, deps: ConversationSocketDeps) {
  const { chat, limits } = deps;
  const sendJson = (value: unknown) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(value));
  const cleanups: (() => void)[] = [];
  socket.on('close', () => cleanups.splice(0).forEach((f) => f()));

  const release = limits.admit();
  if (!release) {
    socket.close(1013, 'too many connections');
    authorized.catch(() => undefined);
    return;
  }
  cleanups.push(release);

  let idle: NodeJS.Timeout | undefined;
  const resetIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(() => socket.close(4408, 'idle'), limits.options.idleMs);
  };
  cleanups.push(() => clearTimeout(idle));
  resetIdle();

  let queue = Promise.resolve();
  socket.on('message', (data, isBinary) => {
    resetIdle();
    queue = queue.then(async () => {
      let session: SocketSession;
      try {
        session = await authorized;
      } catch {
        return; // the socket is being closed with the reason
      }
      await handleFrame(session, data, isBinary);
    });
  });

  authorized.then(
    () => {
      if (socket.readyState !== socket.OPEN) return;
      const leave = limits.join(conversationId);
      if (!leave) {
        sendJson({ type: 'error', code: 'too_many_connections', text: 'this conversation is open in too many places; close one and try again' });
        socket.close(1013, 'too many connections');
        return;
      }
      cleanups.push(leave);
      cleanups.push(chat.subscribe(conversationId, (m) => sendJson({ type: 'message', message: toOutgoing(m) })));
      // an answer a model is still writing, as far as the output guard has passed it
      if (chat.subscribeDrafts) cleanups.push(chat.subscribeDrafts(conversationId, (d) => sendJson({ type: 'draft', draft: { id: d.id, text: d.text, ...(d.retracted ? { retracted: true } : {}) } })));
    },
    (err) => {
      const e = err instanceof WebError ? err : new WebError(500, 'internal', 'could not open the conversation');
      if (!(err instanceof WebError)) deps.log.error(err);
      sendJson({ type: 'error', code: e.code, text: e.message });
      socket.close(closeCode(e.status), e.code);
    },
  );

  async function handleFrame(session: SocketSession, data: RawData, isBinary: boolean) {
    try {
      if (isBinary) throw new WebError(400, 'bad_request', 'send JSON text frames');
      const raw = data.toString();
      if (raw.length > deps.maxTextLength * 6 + 1000) throw new WebError(413, 'message_too_long', `the frame is too large; the text limit is ${deps.maxTextLength}`);
      let frame: unknown;
      try {
        frame = JSON.parse(raw);
      } catch {
        throw new WebError(400, 'malformed_json', 'the frame is not valid JSON');
      }
      if ((frame as { type?: unknown })?.type !== 'message') throw new WebError(400, 'bad_request', 'frames must be {"type":"message","text":"...","clientMessageId":"..."}');
      const receipt = await deps.send(session.claim, frame);
      sendJson({ type: 'message', message: toOutgoing(receipt.message), ...(receipt.duplicate ? { duplicate: true } : {}) });
      if (receipt.slowedMs) sendJson({ type: 'notice', code: 'slow_down', text: NOTICES.slow_down[session.locale] });
      // the turn's messages arrive through the subscription; a duplicate's earlier ones are sent again here
      if (receipt.duplicate) {
        receipt.replies.then(
          (earlier) => earlier.forEach((m) => sendJson({ type: 'message', message: toOutgoing(m) })),
          (err) => deps.log.error(err),
        );
      }
    } catch (err) {
      const e = err instanceof WebError ? err : new WebError(500, 'internal', 'the message could not be handled; please try again');
      const text = e.code === 'flooding' ? NOTICES.flooding[session.locale] : e.message;
      sendJson({ type: 'error', code: e.code, text, ...(e.reason ? { reason: e.reason } : {}) });
      if (!(err instanceof WebError)) deps.log.error(err);
    }
  }
}
