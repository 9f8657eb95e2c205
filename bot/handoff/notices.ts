/**
 * What the handoff slice tells a customer outside any turn, each through the outbox (the conversation's own
 * channel) with the handoff's state on the message, so the widget can show it and other channels send text:
 *   claimed      an agent has joined, by name
 *   agentSaid    an agent's reply, with the agent's name
 *   resolved     the agent handed back: the bot asks for a 1–5 rating
 *   queueMoved   waiting customers whose place changed hear their new place and wait (once per change)
 *   messageTaken nobody claimed the handoff in time: what the customer writes is kept for an agent
 */
import type { Responses } from '../compose/responses.ts';
import type { Db } from '../turn/database.ts';
import type { Conversation, Locale, OutgoingMessage, Reply } from '../turn/types.ts';
import { takeQueueMoves } from './queue.ts';

/** The payload of a rating button the bot offers when an agent hands the conversation back: `rating:1` … `rating:5`. */
export const RATING_PAYLOAD = 'rating:';

/** The bot's question when an agent has resolved the conversation, with five rating buttons. */
function ratingRequest(responses: Responses, locale: Locale): Reply & { author: 'bot' } {
  const stars = ['1 ★', '2 ★★', '3 ★★★', '4 ★★★★', '5 ★★★★★'];
  return { author: 'bot', text: responses('rate_help', locale), sources: [], quickReplies: stars.map((label, i) => ({ label, payload: `${RATING_PAYLOAD}${i + 1}` })) };
}

export interface HandoffNoticeDeps {
  db: Db;
  botId: string;
  responses: Responses;
  conversation(id: string): Promise<Conversation | undefined>;
  send(conversation: Conversation, message: OutgoingMessage): Promise<unknown>;
}

/** "You are now number {position} …" with its numbers filled in. */
export const queueText = (template: string, position: number, minutes: number) =>
  template.replaceAll('{position}', String(position)).replaceAll('{ahead}', String(position - 1)).replaceAll('{minutes}', String(minutes));

export function createHandoffNotices(deps: HandoffNoticeDeps) {
  const { responses } = deps;
  const sendTo = async (conversationId: string, message: (c: Conversation) => OutgoingMessage) => {
    const conversation = await deps.conversation(conversationId);
    if (conversation) await deps.send(conversation, message(conversation));
  };
  return {
    claimed: (conversationId: string, agentName: string) =>
      sendTo(conversationId, (c) => ({ author: 'system', text: responses('handoff_claimed', c.locale).replaceAll('{agent}', agentName), handoffNotice: { state: 'claimed', agent: agentName } })),
    agentSaid: (conversationId: string, agentName: string, text: string) => sendTo(conversationId, () => ({ author: 'agent', authorName: agentName, text })),
    resolved: (conversationId: string) => sendTo(conversationId, (c) => ({ ...ratingRequest(responses, c.locale), handoffNotice: { state: 'ended' } })),
    messageTaken: (conversationId: string) =>
      sendTo(conversationId, (c) => ({ author: 'system', text: responses('handoff_timed_out', c.locale), handoffNotice: { state: 'message_taken' } })),
    /** Tells every waiting customer whose place changed; returns how many were told. */
    async queueMoved(): Promise<number> {
      const moves = await takeQueueMoves(deps.db, deps.botId);
      for (const m of moves) {
        await sendTo(m.conversationId, (c) => ({
          author: 'system',
          text: queueText(responses('handoff_queue_moved', c.locale), m.position, m.minutes),
          handoffNotice: { state: 'queued', position: m.position, minutes: m.minutes },
        }));
      }
      return moves.length;
    },
  };
}

export type HandoffNotices = ReturnType<typeof createHandoffNotices>;
