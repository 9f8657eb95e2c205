/**
 * The handoff slice's two stages:
 *   route    while a person has (or is about to take) the conversation, the bot stays quiet: the customer's
 *            message is stored and shown in the agent console, nothing else runs;
 *   handoff  when the turn's reply hands over (the customer asked for a person, a complaint the bot could
 *            not settle, a compliance escalation), the conversation is queued with its reason and the
 *            customer is told their place and wait, or, out of hours, when agents are back.
 */
import { teamFor, type TeamSkills } from './routing.ts';
import type { Db } from '../turn/database.ts';
import type { Responses } from '../compose/responses.ts';
import type { Locale, Reply, Stage, Turn } from '../turn/types.ts';
import { availability, type BusinessHours } from './hours.ts';
import { tagsOf } from './customer-tags.ts';
import { earlierOutcomes } from './earlier-outcomes.ts';
import { DEFAULT_TRIGGERS, handoffReason, negativity, type HandoffTriggers } from './triggers.ts';
import { estimatedWaitMinutes, notePositionTold, queuePosition, rateLastHandoff, requestHandoff } from './queue.ts';
import { queueText, RATING_PAYLOAD } from './notices.ts';

export const WITH_AGENT = 'with a person';

export interface RouteStageDeps {
  db: Db;
  responses: Responses;
  /** Told when a customer writes while people have the conversation (live consoles read it again). */
  forwarded?(): void;
}

export function routeStage(deps: RouteStageDeps): Stage {
  return {
    name: 'route',
    async run(turn) {
      const rating = turn.inbound.payload?.startsWith(RATING_PAYLOAD) ? Number(turn.inbound.payload.slice(RATING_PAYLOAD.length)) : NaN;
      if (rating >= 1 && rating <= 5 && Number.isInteger(rating)) {
        const rated = await rateLastHandoff(deps.db, turn.conversation.id, rating);
        turn.replies = [notice(deps.responses('rating_thanks', turn.locale))];
        turn.stopped = 'rated';
        return { decision: rated ? `rated ${rating}` : 'rating without a handoff' };
      }
      if (turn.conversation.mode !== 'queued' && turn.conversation.mode !== 'agent') return { decision: 'bot' };
      turn.stopped = WITH_AGENT;
      deps.forwarded?.();
      return { decision: turn.conversation.mode === 'agent' ? 'forwarded to the agent' : 'waiting for an agent' };
    },
  };
}

export interface HandoffStageDeps {
  db: Db;
  botId: string;
  responses: Responses;
  hours?: BusinessHours;
  triggers?: HandoffTriggers;
  /** The team new handoffs go to when no team's skills fit (none: any agent). */
  team?: string;
  /** Teams by skill (routing.ts): the first that fits the turn takes its handoff. */
  teams?: TeamSkills[];
  /** Told when a conversation joins the queue (live consoles). */
  queued?(): void;
  now?: () => Date;
}

/**
 * Why this turn hands over (the bot's triggers, handoff.when in bot.yaml), or null when it does not. The
 * earlier turns' outcomes are read only when this turn, too, could not help.
 */
async function reasonOf(db: Db, turn: Turn, triggers: HandoffTriggers): Promise<string | null> {
  const couldNotHelp = turn.grounding === 'decline' || turn.grounding === 'clarify';
  const earlier = couldNotHelp ? await earlierOutcomes(db, turn.conversation.id, turn.messageId, triggers.couldNotHelpTurns - 1) : [];
  const fired = handoffReason(triggers, {
    askedForHuman: turn.decision === 'escalate',
    outcomes: [...earlier, ...(turn.grounding ? [turn.grounding] : [])],
    negativity: negativity(turn.text),
    complianceEscalated: !!turn.stopped?.startsWith('escalated by'),
    taskFailed: turn.flow?.status === 'failed',
    customerTags: triggers.customerTags.length ? await tagsOf(db, turn.conversation.channel, turn.conversation.customerId) : [],
  });
  if (fired) return fired;
  // the reply itself hands over: a complaint the help centre did not settle
  return turn.replies.some((r) => r.handoff) ? 'complaint' : null;
}

/** "tomorrow 09:00" style: the next opening in the bot's time zone and the customer's language. */
function whenText(at: Date, hours: BusinessHours, locale: Locale): string {
  return new Intl.DateTimeFormat(locale === 'zh' ? 'zh-CN' : 'en-GB', { timeZone: hours.timeZone, weekday: 'long', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(at);
}

const notice = (text: string): Reply => ({ text, sources: [], quickReplies: [] });

export function handoffStage(deps: HandoffStageDeps): Stage {
  const now = deps.now ?? (() => new Date());
  return {
    name: 'handoff',
    always: true, // a compliance escalation stops the turn and still hands over
    async run(turn) {
      if (turn.stopped === WITH_AGENT || turn.stopped === 'rated') return { decision: 'none' };
      const reason = await reasonOf(deps.db, turn, deps.triggers ?? DEFAULT_TRIGGERS);
      if (!reason) return { decision: 'none' };
      // a trigger the reply did not announce (strong displeasure): say that a person is coming
      if (!turn.replies.some((r) => r.handoff)) turn.replies.push({ ...notice(deps.responses('handoff_requested', turn.locale)), handoff: true });
      const handoff = await requestHandoff(deps.db, { conversationId: turn.conversation.id, botId: deps.botId, reason, team: teamFor(deps.teams ?? [], { intent: turn.understanding?.intent ?? null, locale: turn.locale, channel: turn.conversation.channel }, deps.team) ?? null });
      deps.queued?.();
      const open = availability(deps.hours, now());
      if (!open.open) {
        const when = open.nextOpen ? whenText(open.nextOpen, deps.hours!, turn.locale) : '—';
        turn.replies.push({ ...notice(deps.responses('handoff_after_hours', turn.locale).replaceAll('{when}', when)), handoffNotice: { state: 'message_taken' } });
        return { decision: 'queued after hours', detail: { reason, handoff: handoff.id, back: open.nextOpen?.toISOString() ?? null } };
      }
      const position = (await queuePosition(deps.db, handoff.id)) ?? 1;
      const minutes = await estimatedWaitMinutes(deps.db, deps.botId, position);
      await notePositionTold(deps.db, handoff.id, position);
      turn.replies.push({ ...notice(queueText(deps.responses('handoff_queued', turn.locale), position, minutes)), handoffNotice: { state: 'queued', position, minutes } });
      return { decision: 'queued', detail: { reason, handoff: handoff.id, position, minutes } };
    },
  };
}
