/**
 * An agent desk outside the console (bot/turn/desk.ts), served by the handoff slice: claims, replies and
 * closes go through the same queue functions and customer notices as the console's, as the desk's person
 * (bot/staff/desk-agents.ts); what the desk has to show comes from desk-posts.ts.
 */
import { deskAgentAccount, deskAgentAccountFor } from '../staff/desk-agents.ts';
import type { Db } from '../turn/database.ts';
import type { StaffUser } from '../staff/accounts.ts';
import type { AgentDesk, DeskAnswer, DeskHandoff, DeskRefusal, DeskSettings } from '../turn/desk.ts';
import { currentHandoff } from './desk.ts';
import { deskHandoff, handoffByPost, notePosted, noteShown, takeChanged, takeCustomerMessages, takeToPost } from './desk-posts.ts';
import type { HandoffNotices } from './notices.ts';
import { claimHandoff, mayWork, resolveHandoff } from './queue.ts';

/** The longest reply an agent may send, as in the console. */
const MAX_TEXT = 4000;

export interface AgentDeskDeps {
  db: Db;
  botId: string;
  notices: Pick<HandoffNotices, 'claimed' | 'agentSaid' | 'resolved'>;
  /** Called after the queue changed (live consoles refresh, waiting customers hear their place). */
  queueChanged(): void;
  /** Hears queue changes and customers writing to people, from any process. */
  watch(listener: () => void): () => void;
}

export function openAgentDesk(deps: AgentDeskDeps, settings: DeskSettings): AgentDesk {
  const { db, botId } = deps;
  const desk = settings.name;
  const refused = async (why: DeskRefusal, handoffId: number): Promise<DeskAnswer> => ({ ok: false, why, handoff: await deskHandoff(db, desk, handoffId) });
  const shown = async (handoffId: number): Promise<DeskAnswer> => {
    await noteShown(db, desk, handoffId);
    const handoff = await deskHandoff(db, desk, handoffId);
    return handoff ? { ok: true, handoff } : { ok: false, why: 'no_such_handoff', handoff: null };
  };

  /** Why this agent may not act on the handoff now, or null when they may (they hold it). */
  async function holderCheck(handoffId: number, agentId: string): Promise<{ why: DeskRefusal } | { account: StaffUser; handoff: DeskHandoff }> {
    const account = await deskAgentAccount(db, desk, agentId);
    const handoff = await deskHandoff(db, desk, handoffId);
    if (!handoff) return { why: 'no_such_handoff' };
    if (!account) return { why: 'not_yours' };
    if (account.disabled) return { why: 'agent_disabled' };
    const current = await currentHandoff(db, handoff.conversationId);
    if (current?.id !== handoffId || current.status !== 'claimed') return { why: handoff.status === 'resolved' ? 'closed' : 'not_yours' };
    if (current.agentId !== account.id) return { why: 'not_yours' };
    return { account, handoff };
  }

  return {
    async updates() {
      return {
        toPost: await takeToPost(db, desk, botId, settings.teams),
        changed: await takeChanged(db, desk, botId),
        customerSaid: await takeCustomerMessages(db, desk, botId),
      };
    },
    posted: (handoffId, postId) => notePosted(db, desk, handoffId, postId),
    byPost: (postId) => handoffByPost(db, desk, postId),

    async claim(handoffId, agent) {
      const account = await deskAgentAccountFor(db, { desk, externalId: agent.id, name: agent.name, teams: settings.teams });
      if (account.disabled) return refused('agent_disabled', handoffId);
      const claimed = await claimHandoff(db, handoffId, account);
      if (!claimed) {
        const now = await deskHandoff(db, desk, handoffId);
        if (!now) return refused('no_such_handoff', handoffId);
        if (!mayWork(account, now.team)) return refused('not_your_team', handoffId);
        return refused(now.status === 'resolved' ? 'closed' : 'taken', handoffId);
      }
      deps.queueChanged();
      await deps.notices.claimed(claimed.conversationId, account.displayName);
      return shown(handoffId);
    },

    async reply(handoffId, agent, text) {
      const words = text.trim();
      if (!words || words.length > MAX_TEXT) return refused('bad_text', handoffId);
      const check = await holderCheck(handoffId, agent.id);
      if ('why' in check) return refused(check.why, handoffId);
      await deps.notices.agentSaid(check.handoff.conversationId, check.account.displayName, words);
      return { ok: true, handoff: check.handoff };
    },

    async close(handoffId, agent) {
      const check = await holderCheck(handoffId, agent.id);
      if ('why' in check) return refused(check.why, handoffId);
      const resolved = await resolveHandoff(db, handoffId, check.account.id);
      if (!resolved) return refused('not_yours', handoffId);
      deps.queueChanged();
      await deps.notices.resolved(resolved.conversationId);
      return shown(handoffId);
    },

    watch: deps.watch,
  };
}
