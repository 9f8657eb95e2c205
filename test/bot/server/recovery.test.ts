import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startKefu } from '../../../bot/app.ts';
import { insertInbound, listMessages } from '../../../bot/store/messages.ts';
import { newSession } from '../../helpers/kefu.ts';
import { channels } from '../../../adapters/index.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'kefu-recovery-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

const start = () => startKefu({ channels: channels(), botDir: 'examples/demo-shop', dataDir, port: 0 });

describe('a restarted kefu finishes what a stopped one left', () => {
  it('answers a message that was stored but never processed, exactly once', async () => {
    let kefu = await start();
    const s = await newSession(kefu.url, 'en');
    // as if the process stopped right after the inbox persisted the message
    await insertInbound(kefu.db, {
      channel: 'web', channelMessageId: `${s.conversationId}/lost-1`, conversationId: s.conversationId,
      customerId: 'ignored', text: 'How long does delivery take?', images: [], receivedAt: new Date(),
    });
    await kefu.close();

    kefu = await start();
    // answered, and the answer sent (the outbox marks it sent just after the turn commits it)
    await expect.poll(async () => (await listMessages(kefu.db, s.conversationId)).filter((m) => m.author === 'bot' && m.status === 'sent').length, { timeout: 10_000 }).toBe(1);
    const messages = await listMessages(kefu.db, s.conversationId);
    expect(messages.map((m) => [m.author, m.status])).toEqual([['customer', 'processed'], ['bot', 'sent']]);
    expect(messages[1]!.sources[0]?.url).toBe('/help/en/shipping#delivery-time');
    await kefu.close();

    // a third start finds nothing left to do and answers nothing twice
    kefu = await start();
    await new Promise((r) => setTimeout(r, 300));
    expect((await listMessages(kefu.db, s.conversationId)).filter((m) => m.author === 'bot')).toHaveLength(1);
    await kefu.close();
  }, 300_000); // three starts, the first indexing the help centre and training both models (over 3 min on a busy machine)
});
