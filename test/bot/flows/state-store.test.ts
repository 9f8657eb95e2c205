import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearFlowState, readFlowState, saveFlowState } from '../../../bot/flows/state-store.ts';
import { createConversation } from '../../../bot/store/conversations.ts';
import type { Db } from '../../../bot/turn/database.ts';
import { MIGRATED_DATABASES, type TestDatabase } from '../../helpers/databases.ts';


for (const backend of MIGRATED_DATABASES) {
  describe(`flow state per conversation (${backend.name})`, () => {
    let h: TestDatabase | undefined;
    beforeAll(async () => void (h = await backend.open(4)));
    afterAll(async () => h?.dispose());
    const conversation = async (db: Db) => (await createConversation(db, { botId: 'b', channel: 'web', customerId: `c${Math.random()}`, locale: 'en' })).id;

    it('keeps each conversation’s flow apart, replaces it on save and forgets it on clear', async (ctx) => {
      if (!h) return ctx.skip();
      const { db } = h;
      const [a, b] = [await conversation(db), await conversation(db)];
      await saveFlowState(db, a, { flow: 'track_order', step: 0, slots: {}, attempts: 1, result: null, locale: 'zh' });
      await saveFlowState(db, b, { flow: 'start_return', step: 4, slots: { order_number: 'LM202611200008' }, attempts: 0, result: { item: { en: 'shoes' } }, locale: 'en' });
      await saveFlowState(db, a, { flow: 'track_order', step: 1, slots: { order_number: 'LM202611280042' }, attempts: 0, result: null, locale: 'zh' });
      expect(await readFlowState(db, a)).toMatchObject({ flow: 'track_order', step: 1, slots: { order_number: 'LM202611280042' }, attempts: 0, result: null, locale: 'zh', updatedAt: expect.any(Date) });
      expect(await readFlowState(db, b)).toMatchObject({ flow: 'start_return', step: 4, slots: { order_number: 'LM202611200008' }, result: { item: { en: 'shoes' } } });
      await clearFlowState(db, a);
      expect(await readFlowState(db, a)).toBeNull();
      expect(await readFlowState(db, b)).not.toBeNull();
    });
  });
}
