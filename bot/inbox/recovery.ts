import type { Db } from '../turn/database.ts';
import { getConversation } from '../store/conversations.ts';
import { listUnfinished, loadImages, type MessageRecord } from '../store/messages.ts';
import type { Conversation } from '../turn/types.ts';
import type { Outbox } from './outbox.ts';
import type { Runner } from './runner.ts';

/**
 * Finishes what a stopped process left: runs the turns of messages stored but never processed (with their
 * stored images) and sends messages that stayed pending, each conversation's in order. Returns how many.
 */
export async function recover(deps: { db: Db; runner: Runner; outbox: Outbox }): Promise<number> {
  const { db, runner, outbox } = deps;
  const unfinished = await listUnfinished(db);
  const conversations = new Map<string, Conversation | undefined>();
  const pending = new Map<string, MessageRecord[]>();
  for (const m of unfinished) {
    if (!conversations.has(m.conversationId)) conversations.set(m.conversationId, await getConversation(db, m.conversationId));
    const conversation = conversations.get(m.conversationId);
    if (!conversation) continue;
    if (m.direction === 'out') {
      pending.set(conversation.id, [...(pending.get(conversation.id) ?? []), m]);
      continue;
    }
    runner
      .schedule(m, {
        channel: conversation.channel,
        channelMessageId: m.channelMessageId ?? String(m.id),
        conversationId: m.conversationId,
        customerId: conversation.customerId,
        text: m.text,
        payload: m.payload ?? undefined,
        images: await loadImages(db, m.id),
        receivedAt: m.createdAt,
      })
      .catch(() => undefined); // reported through the runner's onError
  }
  for (const [id, messages] of pending) await outbox.deliver(conversations.get(id)!, messages);
  return unfinished.length;
}
