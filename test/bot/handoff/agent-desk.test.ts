/**
 * An agent desk outside the console (a Slack channel), on both backends: each handoff is handed to one
 * poster however many processes look at once, and each customer message mirrored once; the claim rules are
 * the console's (one claimer, teams); only the claimer replies and closes; a desk person is an agent account
 * that cannot sign in to the console.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgentDesk } from '../../../bot/handoff/agent-desk.ts';
import { requestHandoff, resolveHandoff } from '../../../bot/handoff/queue.ts';
import { addStaffUser, disableStaffUser, findForSignIn } from '../../../bot/staff/accounts.ts';
import { verifyPassword } from '../../../bot/staff/password.ts';
import { createConversation } from '../../../bot/store/conversations.ts';
import { insertInbound } from '../../../bot/store/messages.ts';
import type { Db } from '../../../bot/turn/database.ts';
import type { DeskSettings } from '../../../bot/turn/desk.ts';
import { MIGRATED_DATABASES, type TestDatabase } from '../../helpers/databases.ts';

const BOT = 'demo-shop';


for (const backend of MIGRATED_DATABASES) {
  describe(`agent desk (${backend.name})`, () => {
    let h: TestDatabase | undefined;
    let db: Db;
    const told: string[] = [];
    const desk = (settings: DeskSettings = { name: 'slack', teams: [] }) =>
      openAgentDesk(
        {
          db,
          botId: BOT,
          notices: {
            claimed: async (c, name) => void told.push(`${c} claimed by ${name}`),
            agentSaid: async (c, name, text) => void told.push(`${c} ${name}: ${text}`),
            resolved: async (c) => void told.push(`${c} resolved`),
          },
          queueChanged: () => undefined,
          watch: () => () => undefined,
        },
        settings,
      );
    beforeAll(async () => {
      h = await backend.open(12);
      if (h) db = h.db;
    });
    afterAll(async () => h?.dispose());

    const handedOver = async (team: string | null = null, locale: 'zh' | 'en' = 'en') => {
      const conversation = await createConversation(db, { botId: BOT, channel: 'web', customerId: `c${Math.random()}`, locale });
      await customerSays(conversation.id, locale === 'zh' ? '我要转人工' : 'I want a person');
      const handoff = await requestHandoff(db, { conversationId: conversation.id, botId: BOT, reason: 'asked_for_human', team });
      return { conversationId: conversation.id, handoffId: handoff.id };
    };
    const customerSays = (conversationId: string, text: string) =>
      insertInbound(db, { channel: 'web', channelMessageId: `m${Math.random()}`, conversationId, customerId: 'c', text, images: [], receivedAt: new Date() });
    /** Takes whatever waits, as a desk does at start, so each case sees only its own. */
    const drain = async () => {
      const u = await desk().updates();
      for (const p of u.toPost) await desk().posted(p.handoffId, `C0/${p.handoffId}`);
    };

    it('posts each waiting handoff once however many processes look at once, with what the customer asked; an unconfirmed post is taken again', async (ctx) => {
      if (!h) return ctx.skip();
      await drain();
      const { handoffId } = await handedOver(null, 'zh');
      const looks = await Promise.all(Array.from({ length: 6 }, () => desk().updates()));
      const posts = looks.flatMap((u) => u.toPost);
      expect(posts.map((p) => p.handoffId)).toEqual([handoffId]);
      expect(posts[0]).toMatchObject({ channel: 'web', locale: 'zh', status: 'queued', agentName: null, postId: null, summary: expect.stringContaining('我要转人工') });

      // the poster died before confirming: a minute later another process takes it again
      expect((await desk().updates()).toPost).toEqual([]);
      await db.query("update desk_posts set taken_at = now() - interval '2 minutes' where handoff_id = $1", [handoffId]);
      expect((await desk().updates()).toPost.map((p) => p.handoffId)).toEqual([handoffId]);
      await desk().posted(handoffId, 'C0/1.1');
      expect(await desk().byPost('C0/1.1')).toMatchObject({ handoffId, postId: 'C0/1.1' });
      expect(await desk().byPost('C0/9.9')).toBeNull();
    });

    it('posts the handoffs of its teams and of no team, not another team\'s', async (ctx) => {
      if (!h) return ctx.skip();
      await drain();
      const billing = await handedOver('billing');
      const returns = await handedOver('returns');
      const anyone = await handedOver(null);
      const mine = [billing, returns, anyone].map((x) => x.handoffId);
      // another desk (its own name): of this case's handoffs it posts billing's and the unteamed one
      const posted = (await desk({ name: 'slack-billing', teams: ['billing'] }).updates()).toPost.map((p) => p.handoffId).filter((id) => mine.includes(id));
      expect(posted.sort()).toEqual([billing.handoffId, anyone.handoffId].sort());
    });

    it('one claimer among agents pressing Claim at once; the claimer is an agent account that cannot sign in to the console', async (ctx) => {
      if (!h) return ctx.skip();
      await drain();
      const { conversationId, handoffId } = await handedOver();
      const answers = await Promise.all(['U01', 'U02', 'U03', 'U04'].map((id) => desk().claim(handoffId, { id, name: `Agent ${id}` })));
      const won = answers.filter((a) => a.ok);
      expect(won).toHaveLength(1);
      expect(answers.filter((a) => !a.ok).map((a) => !a.ok && a.why)).toEqual(['taken', 'taken', 'taken']);
      const winner = won[0]!.handoff.agentName!;
      expect(told).toContain(`${conversationId} claimed by ${winner}`);
      expect(won[0]!.handoff.status).toBe('claimed');

      const account = await findForSignIn(db, `slack.${winner.slice('Agent '.length).toLowerCase()}`);
      expect(account?.user).toMatchObject({ role: 'agent', displayName: winner, teams: [] });
      expect(await verifyPassword('', account!.passwordHash)).toBe(false);
    });

    it('only the claimer replies and closes; the customer hears the claimer by name; a closed handoff refuses more', async (ctx) => {
      if (!h) return ctx.skip();
      await drain();
      const { conversationId, handoffId } = await handedOver();
      const mei = { id: 'UMEI', name: 'Mei' };
      const li = { id: 'ULI', name: 'Li' };
      expect(await desk().reply(handoffId, mei, 'hello')).toMatchObject({ ok: false, why: 'not_yours' }); // not claimed yet
      expect((await desk().claim(handoffId, mei)).ok).toBe(true);
      expect(await desk().reply(handoffId, li, 'I can take it')).toMatchObject({ ok: false, why: 'not_yours' });
      expect(await desk().reply(handoffId, mei, '   ')).toMatchObject({ ok: false, why: 'bad_text' });
      expect(await desk().reply(handoffId, mei, ' Hi, Mei here. ')).toMatchObject({ ok: true });
      expect(await desk().close(handoffId, li)).toMatchObject({ ok: false, why: 'not_yours' });
      expect(await desk().close(handoffId, mei)).toMatchObject({ ok: true, handoff: { status: 'resolved', agentName: 'Mei' } });
      expect(await desk().reply(handoffId, mei, 'one more thing')).toMatchObject({ ok: false, why: 'closed' });
      expect(told.filter((t) => t.startsWith(conversationId))).toEqual([`${conversationId} claimed by Mei`, `${conversationId} Mei: Hi, Mei here.`, `${conversationId} resolved`]);
      const [row] = await db.query<{ mode: string }>('select mode from conversations where id = $1', [conversationId]);
      expect(row!.mode).toBe('bot');
    });

    it('mirrors each customer message once, across processes; shows a change made elsewhere once', async (ctx) => {
      if (!h) return ctx.skip();
      await drain();
      const { conversationId, handoffId } = await handedOver();
      await desk().updates();
      await desk().posted(handoffId, 'C0/2.2');
      await customerSays(conversationId, 'are you there?');
      await customerSays(conversationId, 'order 1042');
      const looks = await Promise.all(Array.from({ length: 4 }, () => desk().updates()));
      expect(looks.flatMap((u) => u.customerSaid)).toEqual([
        { handoffId, postId: 'C0/2.2', text: 'are you there?', images: 0 },
        { handoffId, postId: 'C0/2.2', text: 'order 1042', images: 0 },
      ]);

      const ana = await addStaffUser(db, { login: `ana${handoffId}`, displayName: 'Ana', role: 'agent', password: 'a long password' });
      await db.query("update handoffs set status = 'claimed', agent_id = $2 where id = $1", [handoffId, ana.id]); // claimed in the console
      const changes = await Promise.all(Array.from({ length: 3 }, () => desk().updates()));
      expect(changes.flatMap((u) => u.changed).map((c) => [c.handoffId, c.status, c.agentName])).toEqual([[handoffId, 'claimed', 'Ana']]);
      await resolveHandoff(db, handoffId, ana.id);
      expect((await desk().updates()).changed.map((c) => c.status)).toEqual(['resolved']);
      expect((await desk().updates()).changed).toEqual([]);
    });

    it('a desk person whose account an admin disabled cannot claim', async (ctx) => {
      if (!h) return ctx.skip();
      await drain();
      const first = await handedOver();
      await desk().claim(first.handoffId, { id: 'UGONE', name: 'Gone' });
      expect(await disableStaffUser(db, 'slack.ugone')).toBe(true);
      const second = await handedOver();
      expect(await desk().claim(second.handoffId, { id: 'UGONE', name: 'Gone' })).toMatchObject({ ok: false, why: 'agent_disabled' });
    });
  });
}
