/**
 * Nothing unmasked reaches the database: a conversation full of personal data goes through the inbox
 * with the guard stages (and the inbox's redact hook), a bot draft that repeats the data is checked by
 * guard-out, then every row of every table is scanned for the values in clear.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditLog } from '../../../bot/compliance/audit.ts';
import type { Guard } from '../../../bot/compliance/guard.ts';
import { loadGuard } from '../../../bot/compliance/load.ts';
import { redactPersonalData } from '../../../bot/compliance/personal-data.ts';
import { guardInStage, guardOutStage } from '../../../bot/compliance/stage.ts';
import { createConversation } from '../../../bot/store/conversations.ts';
import type { Db } from '../../../bot/store/db.ts';
import { openDb } from '../../../bot/store/open.ts';
import { deliveryOn, recordingChannel } from '../../helpers/delivery.ts';

const SECRETS = {
  mobile: '13812345678',
  id: '11010519491231002X',
  card: '4111111111111111',
  email: 'wang.fang@example.com',
  landline: '010-62345678',
  intl: '+44 20 7946 0958',
};

const MESSAGES = [
  `你好，我的手机号是${SECRETS.mobile}`,
  `身份证 ${SECRETS.id}，帮我核实一下`,
  `refund to card ${SECRETS.card.replace(/(\d{4})(?=\d)/g, '$1 ')} please`,
  `email ${SECRETS.email} or call ${SECRETS.intl}`,
  `座机 ${SECRETS.landline}`,
];

let db: Db;
let guard: Guard;
beforeAll(async () => {
  db = (await openDb({})).db;
  guard = await loadGuard({ db, pollMs: 0 });
}, 60_000);
afterAll(async () => {
  guard.close();
  await db.close();
});

describe('personal data in storage', () => {
  it('stores no personal data in clear in any table after a conversation full of it', async () => {
    const audit = createAuditLog(db);
    const web = recordingChannel();
    const { inbox, runner } = deliveryOn(db, {
      channels: { web: web.channel },
      redact: redactPersonalData,
      stages: {
        'guard-in': guardInStage(guard, audit),
        // A careless bot that repeats the customer's data back, unmasked.
        compose: { name: 'compose', run: (t) => ((t.drafts = [{ text: `Noted: ${SECRETS.mobile}, ${SECRETS.email}`, sources: [], quickReplies: [] }]), { decision: 'drafted' }) },
        'guard-out': guardOutStage(guard, audit),
      },
    });
    const conversation = await createConversation(db, { botId: 'demo', channel: 'web', customerId: 'u1', locale: 'zh' });
    for (const [i, text] of MESSAGES.entries()) {
      const accepted = await inbox.accept({ channel: 'web', channelMessageId: `m${i}`, conversationId: conversation.id, customerId: 'u1', text, images: [], receivedAt: new Date() });
      await accepted.replies;
    }
    await runner.idle();
    expect(web.sent).toHaveLength(MESSAGES.length);

    const tables = await db.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
    let rows = 0;
    const dump: string[] = [];
    for (const { table_name } of tables) {
      const found = await db.query<{ row: string }>(`select row_to_json(t)::text as row from "${table_name}" t`);
      rows += found.length;
      dump.push(...found.map((f) => f.row));
    }
    expect(rows).toBeGreaterThan(2 * MESSAGES.length);
    const all = dump.join('\n');
    const digitsOnly = all.replace(/[\s-]/g, '');
    for (const [kind, value] of Object.entries(SECRETS)) {
      expect(all, kind).not.toContain(value);
      if (/^[\d+ -]+$/.test(value)) expect(digitsOnly, kind).not.toContain(value.replace(/[\s-]/g, ''));
    }
    // …and the data was there to be masked: masked hints were stored, and the masks were audited.
    expect(all).toContain('138****5678');
    expect(all).toContain('w***@example.com');
    expect((await audit.list({ conversationId: conversation.id })).some((r) => r.direction === 'out' && r.ruleId === 'pii.email')).toBe(true);
  }, 60_000);
});
