import { randomUUID } from 'node:crypto';
import { ChatRefusal, type ChatPort } from '../../bot/turn/channel.ts';
import type { Conversation, StoredMessage } from '../../bot/turn/types.ts';

/** A ChatPort in memory that echoes each message: for testing the web channel and server without the bot. */
export function fakeChat(): ChatPort & { conversations: Map<string, Conversation> } {
  const conversations = new Map<string, Conversation>();
  const messages: (StoredMessage & { channelMessageId: string })[] = [];
  const listeners = new Map<string, Set<(m: StoredMessage) => void>>();
  let nextId = 1;
  const store = (m: Omit<StoredMessage, 'id' | 'createdAt' | 'sources' | 'quickReplies'> & { channelMessageId: string }) => {
    const stored = { ...m, id: nextId++, sources: [], quickReplies: [], createdAt: new Date() };
    messages.push(stored);
    return stored;
  };
  return {
    conversations,
    async startConversation(c) {
      const conversation: Conversation = { id: randomUUID(), botId: 'fake', mode: 'bot', createdAt: new Date(), tokensRevokedAt: null, ...c };
      conversations.set(conversation.id, conversation);
      return conversation;
    },
    async findOrStart(c) {
      const found = [...conversations.values()].find((x) => x.channel === c.channel && JSON.stringify(x.ref) === JSON.stringify(c.ref));
      return found ?? this.startConversation(c);
    },
    async conversation(id) {
      return conversations.get(id);
    },
    async history(id) {
      return messages.filter((m) => m.conversationId === id);
    },
    async image() {
      return undefined; // the echo keeps no pictures
    },
    async receive(inbound) {
      // the token check the store makes as it stores a message (insertInbound)
      if (inbound.token) {
        const c = conversations.get(inbound.conversationId);
        if (!c) throw new ChatRefusal('unknown_conversation', `no conversation ${inbound.conversationId}`);
        if (c.customerId !== inbound.token.customerId) throw new ChatRefusal('token_refused', 'this token does not open that conversation', undefined, 'not_this_customer');
        if (c.tokensRevokedAt && inbound.token.issuedAt <= c.tokensRevokedAt.getTime()) throw new ChatRefusal('token_refused', 'the conversation token was revoked', undefined, 'revoked');
      }
      const seen = messages.find((m) => m.channelMessageId === inbound.channelMessageId);
      if (seen) {
        const earlier = messages.find((m) => m.channelMessageId === `${seen.channelMessageId}/reply`) ?? null;
        return { message: seen, duplicate: true, replies: Promise.resolve(earlier ? [earlier] : []), reply: Promise.resolve(earlier) };
      }
      const message = store({ conversationId: inbound.conversationId, direction: 'in', author: 'customer', text: inbound.text, channelMessageId: inbound.channelMessageId });
      const reply = store({ conversationId: inbound.conversationId, direction: 'out', author: 'bot', text: `echo: ${inbound.text}`, channelMessageId: `${inbound.channelMessageId}/reply` });
      setImmediate(() => listeners.get(inbound.conversationId)?.forEach((l) => l(reply)));
      return { message, duplicate: false, replies: Promise.resolve([reply]), reply: Promise.resolve(reply) };
    },
    async revokeTokens(id) {
      const c = conversations.get(id);
      if (c) c.tokensRevokedAt = new Date();
    },
    subscribe(id, listener) {
      const set = listeners.get(id) ?? new Set();
      set.add(listener);
      listeners.set(id, set);
      return () => set.delete(listener);
    },
  };
}
