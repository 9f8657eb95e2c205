import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { customersCommand } from '../../../bot/cli/customers.ts';
import { loadResponses } from '../../../bot/compose/responses.ts';
import { handoffStage } from '../../../bot/handoff/stage.ts';
import { DEFAULT_TRIGGERS } from '../../../bot/handoff/triggers.ts';
import { createConversation } from '../../../bot/store/conversations.ts';
import { openDb } from '../../../bot/store/open.ts';
import type { Conversation, Turn } from '../../../bot/turn/types.ts';
import { captureIo } from '../../helpers/cli-io.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-customers-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const run = async (...argv: string[]) => {
  const cap = captureIo();
  const code = await customersCommand([...argv, '--data', dataDir], cap.io);
  return { code, ...cap };
};

const turnOf = (conversation: Conversation): Turn => ({
  conversation,
  inbound: { channel: conversation.channel, channelMessageId: 'm1', conversationId: conversation.id, customerId: conversation.customerId, text: 'hello', images: [], receivedAt: new Date() },
  messageId: 1,
  text: 'hello',
  locale: 'en',
  history: [],
  drafts: [],
  replies: [{ text: 'Hi! How can I help?', sources: [], quickReplies: [] }],
  trace: [],
});

describe('customer tags', () => {
  it('are given, listed and taken away with kefu customers, refusing tags that mean nothing', async () => {
    expect((await run('tag', 'slack', 'U024BE7LH', 'VIP')).out).toEqual(['tagged slack U024BE7LH: vip']);
    expect((await run('list')).out).toEqual(['channel\tcustomer\ttags', 'slack\tU024BE7LH\tvip']);
    await expect(run('tag', 'slack', 'U1', 'not a tag!')).rejects.toThrow(/1–40 letters/);
    expect((await run('untag', 'slack', 'U024BE7LH', 'gold')).code).toBe(1);
    expect((await run('tag', 'slack')).code).toBe(2);
    expect((await run('tag', 'slack', 'U024BE7LH', 'gold')).code).toBe(0);
  });

  it('send a tagged customer to people on any message when the bot routes that tag, with the reason; others stay with the bot', async () => {
    const { db } = await openDb({ dataDir });
    try {
      const stage = handoffStage({ db, botId: 'demo-shop', responses: loadResponses(undefined, { en: 'Shop', zh: '商店' }), triggers: { ...DEFAULT_TRIGGERS, customerTags: ['vip'] } });
      const vip = await createConversation(db, { botId: 'demo-shop', channel: 'slack', customerId: 'U024BE7LH', locale: 'en' });
      const other = await createConversation(db, { botId: 'demo-shop', channel: 'slack', customerId: 'U999', locale: 'en' });
      const vipTurn = turnOf(vip);
      expect(await stage.run(vipTurn)).toMatchObject({ decision: 'queued', detail: { reason: 'customer_tag:vip' } });
      expect(vipTurn.replies.at(-1)!.handoffNotice).toMatchObject({ state: 'queued', position: 1 });
      expect(await stage.run(turnOf(other))).toEqual({ decision: 'none' });
      // the same customer on another channel is someone else
      const elsewhere = await createConversation(db, { botId: 'demo-shop', channel: 'web', customerId: 'U024BE7LH', locale: 'en' });
      expect(await stage.run(turnOf(elsewhere))).toEqual({ decision: 'none' });
    } finally {
      await db.close();
    }
  });
});
