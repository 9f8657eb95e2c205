/**
 * The agent console's API, under `/console/api` next to the sign-in routes (bot/staff/routes.ts); every
 * route needs a console session (`staffOnly`):
 *   GET  /queue                          waiting handoffs the agent may take, messages left, and the ones they hold
 *   GET  /queue/events                   server-sent events: `queue` whenever the queue changed or a waiting or
 *                                        held customer wrote (any process)
 *   POST /handoffs/next                  claim the longest-waiting one
 *   POST /handoffs/:id/claim             claim this one (409 when another agent was first)
 *   POST /handoffs/:id/transfer {team}   back to the queue for another team
 *   POST /handoffs/:id/resolve           the conversation returns to the bot
 *   GET  /conversations/:id              transcript with traces, summary, notes, suggested replies
 *   GET  /conversations/:id/images/:sha  an image the customer sent (the transcript lists them with what was seen)
 *   POST /conversations/:id/messages     the agent's reply, sent to the customer's channel
 *   POST /conversations/:id/notes        an internal note
 *   PUT  /presence {presence}            online / away
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Db } from '../turn/database.ts';
import { getConversation } from '../store/conversations.ts';
import { conversationImage } from '../store/messages.ts';
import { staffOnly } from '../staff/routes.ts';
import { addNote, currentHandoff, deskQueue, mayRead, notesOf, setPresence, summarize, transcript, transferHandoff } from './desk.ts';
import { claimHandoff, claimNextHandoff, resolveHandoff } from './queue.ts';

export interface Suggestion {
  title: string;
  text: string;
}

export interface ConsoleRoutesOptions {
  db: Db;
  botId: string;
  /** Sends an agent's words to the customer through the conversation's channel. */
  reply(conversationId: string, text: string, agent: { id: number; displayName: string }): Promise<void>;
  /** Tells the customer which agent has joined. */
  claimed?(conversationId: string, agent: { id: number; displayName: string }): Promise<void>;
  /** Knowledge-base answers for the customer's latest message. */
  suggest?(text: string, locale: 'zh' | 'en'): Promise<Suggestion[]>;
  /** Called after the queue changed (claims, transfers, resolutions): live consoles refresh, waiting customers hear their place. */
  queueChanged?(): void;
  /** Hears every change of the queue, from any process (the live feed); returns the function that stops listening. */
  watchQueue?(listener: () => void): () => void;
  /** What the bot says when an agent hands the conversation back (it asks for a rating). */
  resolved?(conversationId: string): Promise<void>;
}

const MAX_TEXT = 4000;
const refuse = (reply: FastifyReply, status: number, code: string, message: string) => reply.code(status).send({ error: { code, message } });

function textOf(body: unknown): string | null {
  const text = (body as { text?: unknown } | null)?.text;
  if (typeof text !== 'string' || !text.trim() || text.length > MAX_TEXT) return null;
  return text.trim();
}

export async function consoleRoutes(app: FastifyInstance, opts: ConsoleRoutesOptions) {
  const { db, botId } = opts;
  const signedIn = staffOnly(db);
  const changed = () => opts.queueChanged?.();
  const idParam = (raw: string) => (/^\d{1,18}$/.test(raw) ? Number(raw) : null);

  app.get('/queue', { preHandler: signedIn }, async (req) => deskQueue(db, botId, req.staff!.user));

  // The live feed: an event each time the queue changed, so consoles read it again at once (they poll too,
  // slowly, in case the feed drops). A comment line every 25 s keeps proxies from closing it; the server's
  // closing ends every feed.
  const feeds = new Set<() => void>();
  app.addHook('preClose', async () => [...feeds].forEach((end) => end()));
  app.get('/queue/events', { preHandler: signedIn }, async (req, reply) => {
    if (!opts.watchQueue) return refuse(reply, 404, 'no_live_feed', 'this console has no live feed; read /queue');
    reply.hijack();
    const out = reply.raw;
    out.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    out.write('retry: 2000\n\n');
    const stop = opts.watchQueue(() => out.write('event: queue\ndata: {}\n\n'));
    const keepAlive = setInterval(() => out.write(': keep-alive\n\n'), 25_000);
    const end = () => {
      feeds.delete(end);
      stop();
      clearInterval(keepAlive);
      out.end();
    };
    feeds.add(end);
    req.raw.on('close', end);
  });

  app.post('/handoffs/next', { preHandler: signedIn }, async (req, reply) => {
    const h = await claimNextHandoff(db, botId, req.staff!.user);
    if (!h) return refuse(reply, 404, 'queue_empty', 'nobody you can take is waiting, or you are at your capacity');
    changed();
    await opts.claimed?.(h.conversationId, req.staff!.user);
    return { handoff: h };
  });

  app.post<{ Params: { id: string } }>('/handoffs/:id/claim', { preHandler: signedIn }, async (req, reply) => {
    const id = idParam(req.params.id);
    const h = id === null ? null : await claimHandoff(db, id, req.staff!.user);
    if (!h) return refuse(reply, 409, 'already_claimed', 'another agent has taken it, it is closed, or it belongs to another team');
    changed();
    await opts.claimed?.(h.conversationId, req.staff!.user);
    return { handoff: h };
  });

  app.post<{ Params: { id: string } }>('/handoffs/:id/transfer', { preHandler: signedIn }, async (req, reply) => {
    const id = idParam(req.params.id);
    const team = (req.body as { team?: unknown } | null)?.team;
    if (typeof team !== 'string' || !/^[\p{L}\p{N} _.-]{1,64}$/u.test(team.trim())) return refuse(reply, 400, 'bad_team', 'send { "team": "<team name>" }');
    if (id === null || !(await transferHandoff(db, id, req.staff!.user.id, team.trim()))) return refuse(reply, 409, 'not_yours', 'you can transfer only a conversation you hold');
    changed();
    return { transferred: true };
  });

  app.post<{ Params: { id: string } }>('/handoffs/:id/resolve', { preHandler: signedIn }, async (req, reply) => {
    const id = idParam(req.params.id);
    const h = id === null ? null : await resolveHandoff(db, id, req.staff!.user.id);
    if (!h) return refuse(reply, 409, 'not_yours', 'you can resolve only a conversation you hold');
    changed();
    await opts.resolved?.(h.conversationId);
    return { handoff: h };
  });

  app.get<{ Params: { id: string } }>('/conversations/:id', { preHandler: signedIn }, async (req, reply) => {
    const conversation = await getConversation(db, req.params.id);
    const handoff = conversation ? await currentHandoff(db, conversation.id) : null;
    if (!conversation || conversation.botId !== botId) return refuse(reply, 404, 'not_found', 'no such conversation');
    if (!mayRead(req.staff!.user, handoff)) return refuse(reply, 403, 'not_your_team', 'this conversation belongs to another team');
    const messages = await transcript(db, conversation.id);
    const lastCustomer = [...messages].reverse().find((m) => m.author === 'customer');
    return {
      conversation: { id: conversation.id, channel: conversation.channel, locale: conversation.locale, mode: conversation.mode },
      handoff,
      messages,
      summary: summarize(messages, conversation.locale),
      notes: await notesOf(db, conversation.id),
      suggestions: lastCustomer && opts.suggest ? await opts.suggest(lastCustomer.text, conversation.locale) : [],
    };
  });

  app.get<{ Params: { id: string; sha256: string } }>('/conversations/:id/images/:sha256', { preHandler: signedIn }, async (req, reply) => {
    const conversation = await getConversation(db, req.params.id);
    if (!conversation || conversation.botId !== botId || !/^[0-9a-f]{64}$/.test(req.params.sha256)) return refuse(reply, 404, 'not_found', 'no such image');
    if (!mayRead(req.staff!.user, await currentHandoff(db, conversation.id))) return refuse(reply, 403, 'not_your_team', 'this conversation belongs to another team');
    const image = await conversationImage(db, conversation.id, req.params.sha256);
    if (!image) return refuse(reply, 404, 'not_found', 'no such image in this conversation');
    return reply.type(image.mime).header('cache-control', 'private, max-age=3600').send(Buffer.from(image.bytes));
  });

  app.post<{ Params: { id: string } }>('/conversations/:id/messages', { preHandler: signedIn }, async (req, reply) => {
    const text = textOf(req.body);
    if (!text) return refuse(reply, 400, 'bad_text', `send { "text": … } with 1 to ${MAX_TEXT} characters`);
    const handoff = await currentHandoff(db, req.params.id);
    if (!handoff || handoff.status !== 'claimed' || handoff.agentId !== req.staff!.user.id) return refuse(reply, 409, 'not_yours', 'claim the conversation before replying');
    await opts.reply(req.params.id, text, req.staff!.user);
    return reply.code(201).send({ sent: true });
  });

  app.post<{ Params: { id: string } }>('/conversations/:id/notes', { preHandler: signedIn }, async (req, reply) => {
    const text = textOf(req.body);
    if (!text) return refuse(reply, 400, 'bad_text', `send { "text": … } with 1 to ${MAX_TEXT} characters`);
    const handoff = await currentHandoff(db, req.params.id);
    if (!mayRead(req.staff!.user, handoff)) return refuse(reply, 403, 'not_your_team', 'this conversation belongs to another team');
    await addNote(db, req.params.id, req.staff!.user.id, text);
    return reply.code(201).send({ saved: true });
  });

  app.put('/presence', { preHandler: signedIn }, async (req, reply) => {
    const presence = (req.body as { presence?: unknown } | null)?.presence;
    if (presence !== 'online' && presence !== 'away') return refuse(reply, 400, 'bad_presence', 'send { "presence": "online" | "away" }');
    await setPresence(db, req.staff!.user.id, presence);
    return { presence };
  });
}
