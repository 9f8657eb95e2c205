import type { Db } from './turn/database.ts';
import { createConversation, findOrStartConversation, getConversation, revokeConversationTokens } from './store/conversations.ts';
import { conversationImage, keptImagesByMessage, listMessages } from './store/messages.ts';
import type { ChatPort } from './turn/channel.ts';
import type { Inbox } from './inbox/inbox.ts';
import type { LiveBus } from './live/bus.ts';
import type { Drafts } from './generate/drafts.ts';

/** The bot as channels see it: conversations, the inbox, live messages from the bus and, when a model streams, drafts. */
export function createChat(deps: { db: Db; botId: string; inbox: Inbox; bus: LiveBus; drafts?: Drafts }): ChatPort {
  const { db, botId, inbox, bus, drafts } = deps;
  return {
    startConversation: (c) => createConversation(db, { ...c, botId }),
    findOrStart: (c) => findOrStartConversation(db, { ...c, botId }),
    conversation: (id) => getConversation(db, id),
    async history(id) {
      const [messages, images] = await Promise.all([listMessages(db, id), keptImagesByMessage(db, id)]);
      return messages.map((m) => (images.has(m.id) ? { ...m, images: images.get(m.id)! } : m));
    },
    image: (id, sha256) => conversationImage(db, id, sha256),
    async receive(inbound) {
      const accepted = await inbox.accept(inbound);
      return {
        ...accepted,
        // derived only when asked for, so a channel that awaits `replies` alone leaves no promise unhandled
        get reply() {
          return accepted.replies.then((messages) => messages.at(-1) ?? null);
        },
      };
    },
    revokeTokens: (id) => revokeConversationTokens(db, id),
    subscribe: (id, listener) => bus.subscribe(id, listener),
    ...(drafts ? { subscribeDrafts: (id: string, listener: Parameters<Drafts['subscribe']>[1]) => drafts.subscribe(id, listener) } : {}),
  };
}
