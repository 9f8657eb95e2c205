/**
 * The flows slice in the turn: the `flow` stage after decide, and compose wrapped for flows.
 *
 * flow stage —
 *   read     the conversation's flow state, read with the turn's context (an idle one past
 *            flows.idleMinutes has expired);
 *   choose   a flow's own answer continues it; a pressed "start" button, a message whose intent starts
 *            a flow with a slot's value known ("where is my order LM…?"), or a bare order number after
 *            the offer of a flow starts that flow (or switches to it); an intent that starts a flow with
 *            nothing known is left to the help centre and the flow offered (below);
 *   step     the engine moves the flow on (engine.ts), its actions cut off within the turn's budget;
 *   keep     the new state recorded on the turn (`nextFlowState`; null when the flow is over), stored by
 *            the turn's commit with its replies, or not at all; the flow's replies are the turn's
 *            drafts (decision `flow`). A question mid-flow is a digression: ground answers it and the
 *            flow's question follows the answer.
 * compose —
 *   a turn the flow settled keeps the flow's replies; any other is composed as usual, then: mid-flow,
 *   the flow's question follows the answer; an offered flow is a button under the help centre's answer
 *   or question, and starts at once when the help centre has no answer.
 */
import { extractEntities } from '../intents/entities.ts';
import { detectLocale } from '../turn/locale.ts';
import type { Entity, Locale, QuickReply, Stage, Turn } from '../turn/types.ts';
import type { FlowBook, FlowDefinition } from './definition.ts';
import { FLOW_PAYLOAD, slotsFromEntities, type FlowEngine, type FlowInput, type FlowStep } from './engine.ts';
import type { FlowMessages } from './messages.ts';
import { isCorrection, withoutPointingWords } from './words.ts';

/** A "start this flow" button's payload: `flow:start:<name>`. */
export const START_PAYLOAD = `${FLOW_PAYLOAD}start:`;
/** The intent model's confidence from which an intent starts (or offers) a flow. */
const STARTS_AT = 0.5;
/** Time kept back from the turn's budget for the stages after the flow. */
const AFTER_FLOW_MS = 300;

export interface FlowSliceDeps {
  book: FlowBook;
  engine: (deadline: number) => FlowEngine;
  messages: FlowMessages;
  /** The turn's budget (the runner's turnBudget: longer with images); actions are cut off to answer within it. */
  turnBudgetMs: (turn: Turn) => number;
  now?: () => Date;
}

/**
 * The flow this message asks for, and whether it starts now or is offered: a pressed start button starts
 * its flow; a bare slot value ("LM202611280042" and nothing else) starts the flow the bot's last message
 * offered; an intent that starts a flow starts it when a slot's value is known (named now or earlier in
 * the conversation), else offers it.
 */
function flowAskedFor(turn: Turn, flows: FlowDefinition[], bare: boolean): { flow: FlowDefinition; now: boolean } | null {
  const byPayload = (payload: string | undefined) => (payload?.startsWith(START_PAYLOAD) ? flows.find((f) => f.name === payload.slice(START_PAYLOAD.length)) : undefined);
  const pressed = byPayload(turn.inbound.payload);
  if (pressed) return { flow: pressed, now: true };
  const entities = turn.understanding?.entities ?? [];
  if (bare) {
    const lastBot = [...turn.history].reverse().find((m) => m.direction === 'out' && m.author === 'bot');
    const offered = lastBot?.quickReplies.map((q) => byPayload(q.payload)).find((f) => f && Object.keys(slotsFromEntities(f, entities)).length);
    return offered ? { flow: offered, now: true } : null;
  }
  const u = turn.understanding;
  if (!u?.intent || u.outOfScope || u.ambiguous || u.confidence < STARTS_AT) return null;
  const flow = flows.find((f) => f.intents.includes(u.intent!));
  if (!flow) return null;
  return { flow, now: Object.keys(slotsFromEntities(flow, [...entities, ...earlierEntities(turn)])).length > 0 };
}

/** Entities of the customer's earlier messages, newest first ("an order number said two turns ago"). */
function earlierEntities(turn: Turn): Entity[] {
  return turn.history
    .filter((m) => m.direction === 'in' && m.author === 'customer' && m.id !== turn.messageId)
    .reverse()
    .flatMap((m) => extractEntities(m.text));
}

/**
 * Whether the message says more than its entities: three letters or characters besides them and the words
 * that only point at them ("it's order LM…" and "订单号是LM…" are as bare as "LM…").
 */
function wordsBesides(text: string, entities: Entity[]): boolean {
  let rest = text;
  for (const e of [...entities].sort((a, b) => b.start - a.start)) rest = rest.slice(0, e.start) + rest.slice(e.end);
  return (withoutPointingWords(rest).match(/\p{L}/gu) ?? []).length >= 3;
}

/** The language of the customer's last message with words in it (the conversation's when none has). */
function languageSoFar(turn: Turn): Locale {
  const said = [...turn.history].reverse().find((m) => m.direction === 'in' && m.author === 'customer' && m.id !== turn.messageId && wordsBesides(m.text, extractEntities(m.text)));
  return said ? detectLocale(said.text, turn.conversation.locale) : turn.conversation.locale;
}

const spentMs = (turn: Turn) => turn.trace.reduce((sum, s) => sum + s.ms, 0);
const startButton = (flow: FlowDefinition, turn: Turn): QuickReply => ({ label: flow.title[turn.locale], payload: `${START_PAYLOAD}${flow.name}` });

export function flowSlice(deps: FlowSliceDeps): { stage: Stage; compose: (compose: Stage) => Stage } {
  const byName = new Map(deps.book.flows.map((f) => [f.name, f]));
  const now = deps.now ?? (() => new Date());
  const idleMs = deps.book.idleMinutes * 60_000;
  const engineFor = (turn: Turn) => deps.engine(performance.now() + Math.max(0, deps.turnBudgetMs(turn) - spentMs(turn) - AFTER_FLOW_MS));

  /** The step's replies become the turn's drafts and its state is kept (by the turn's commit); the trace's verdict. */
  function settle(turn: Turn, flow: FlowDefinition, step: FlowStep, expired?: string) {
    turn.nextFlowState = step.state;
    turn.decision = 'flow';
    turn.drafts = step.replies;
    turn.flow = { name: flow.name, status: step.status, slots: step.slots };
    return {
      decision: `${flow.name}: ${step.status}`,
      detail: {
        ...(step.state ? { step: step.state.step, slots: Object.keys(step.state.slots) } : {}),
        ...(step.corrected.length ? { corrected: step.corrected } : {}),
        ...(step.actions.length ? { actions: step.actions } : {}),
        ...(expired ? { expired } : {}),
      },
    };
  }

  const input = (turn: Turn): FlowInput => ({ text: turn.text, locale: turn.locale, entities: turn.understanding?.entities ?? [], payload: turn.inbound.payload });

  const stage: Stage = {
    name: 'flow',
    async run(turn) {
      if (!byName.size) return { decision: 'none' };
      if (turn.decision === 'escalate') return { decision: 'none (the customer asked for a person)' };
      const stored = turn.flowState ?? null;
      let active = stored ? byName.get(stored.flow) : undefined;
      let expired: string | undefined;
      if (stored && (!active || now().getTime() - stored.updatedAt.getTime() > idleMs)) {
        expired = stored.flow;
        active = undefined;
        turn.nextFlowState = null;
      }
      const bare = !wordsBesides(turn.text, turn.understanding?.entities ?? []);
      // an answer that is only an order number (Latin letters) keeps the language the customer speaks
      if (bare) turn.locale = active && stored ? stored.locale : languageSoFar(turn);
      const asked = flowAskedFor(turn, deps.book.flows, bare);

      // another flow's request ("I want to return LM…") switches, unless the message only answers or corrects this one
      const answers = !!active && Object.keys(slotsFromEntities(active, input(turn).entities)).length > 0 && (bare || isCorrection(turn.text));
      if (active && stored && !(asked?.now && asked.flow !== active && !answers)) {
        const engine = engineFor(turn);
        const step = await engine.continue(active, stored, input(turn));
        if (step.status !== 'digression') return settle(turn, active, step, expired);
        const { updatedAt: _, ...alive } = stored;
        turn.nextFlowState = alive; // the question keeps the flow alive
        const again = engine.prompt(active, stored, turn.locale);
        turn.flow = { name: active.name, status: 'digression', slots: stored.slots, resume: { ...again, text: `${deps.messages('flow_resume', turn.locale)} ${again.text}` } };
        return { decision: `${active.name}: digression`, detail: { step: stored.step } };
      }
      if (asked?.now) return settle(turn, asked.flow, await engineFor(turn).start(asked.flow, input(turn), earlierEntities(turn)), expired);
      if (asked) turn.flow = { name: asked.flow.name, status: 'offered', slots: {}, offer: startButton(asked.flow, turn) };
      return { decision: asked ? `offered ${asked.flow.name}` : 'none', ...(expired ? { detail: { expired } } : {}) };
    },
  };

  const compose = (inner: Stage): Stage => ({
    name: 'compose',
    async run(turn) {
      if (turn.decision === 'flow') return { decision: `flow reply (${turn.drafts.length})` };
      const f = turn.flow;
      if (f?.status === 'offered' && turn.decision === 'answer' && turn.grounding === 'decline') {
        // the help centre has no answer: the task the customer asked for starts at once
        const flow = byName.get(f.name)!;
        const { decision } = settle(turn, flow, await engineFor(turn).start(flow, input(turn), earlierEntities(turn)));
        turn.grounding = undefined; // the flow helps: this turn is no "could not help" for the handoff triggers
        return { decision: `started ${decision} (the help centre had no answer)` };
      }
      const outcome = await inner.run(turn);
      if (f?.resume) {
        turn.drafts.push(f.resume);
        return { ...outcome, decision: `${outcome.decision}, then back to ${f.name}` };
      }
      const first = turn.drafts[0];
      if (f?.offer && first && !first.handoff) turn.drafts[0] = { ...first, quickReplies: [...first.quickReplies, f.offer] };
      return outcome;
    },
  });

  return { stage, compose };
}
