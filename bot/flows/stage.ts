/**
 * The `flow` stage, after decide: continue the conversation's flow, start one, or leave the turn to the
 * help centre —
 *   read     the conversation's flow state (an idle one past flows.idleMinutes has expired);
 *   choose   a pressed "start" button, or an intent that starts a flow (a question starts one only when
 *            the flow says so or the message names a slot's value; otherwise the help centre answers and
 *            the flow is offered as a button); a flow's own answer continues it, a clear request for
 *            another flow switches;
 *   step     the engine moves the flow on (engine.ts), calling actions within the turn's budget;
 *   keep     the new state stored (or cleared when the flow is over); the flow's replies are the turn's
 *            drafts (decision `flow`). A question mid-flow is a digression: decide's answer stands, and
 *            the flow's question follows the answer (compose.ts).
 */
import { extractEntities } from '../intents/entities.ts';
import type { Db } from '../turn/database.ts';
import type { Entity, QuickReply, Stage, Turn } from '../turn/types.ts';
import type { FlowBook, FlowDefinition } from './definition.ts';
import { FLOW_PAYLOAD, slotsFromEntities, type FlowEngine, type FlowInput, type FlowStep } from './engine.ts';
import type { FlowMessages } from './messages.ts';
import { clearFlowState, readFlowState, saveFlowState } from './state-store.ts';
import { isCorrection, isQuestion } from './words.ts';

/** A "start this flow" button's payload: `flow:start:<name>`. */
export const START_PAYLOAD = `${FLOW_PAYLOAD}start:`;
/** The intent model's confidence from which an intent starts a flow. */
const STARTS_AT = 0.5;
/** Time kept back from the turn's budget for the stages after the flow. */
const AFTER_FLOW_MS = 300;

export interface FlowStageDeps {
  db: Db;
  book: FlowBook;
  engine: (deadline: number) => FlowEngine;
  messages: FlowMessages;
  /** The turn's budget (the runner's); actions are cut off to answer within it. */
  turnBudgetMs: number;
  now?: () => Date;
}

/** The flow this message asks to start, and whether it should start now (or only be offered). */
function flowToStart(turn: Turn, flows: FlowDefinition[]): { flow: FlowDefinition; now: boolean } | null {
  const payload = turn.inbound.payload;
  if (payload?.startsWith(START_PAYLOAD)) {
    const flow = flows.find((f) => f.name === payload.slice(START_PAYLOAD.length));
    return flow ? { flow, now: true } : null;
  }
  const u = turn.understanding;
  if (!u?.intent || u.outOfScope || u.ambiguous || u.confidence < STARTS_AT) return null;
  const flow = flows.find((f) => f.intents.includes(u.intent!));
  if (!flow) return null;
  const namesASlot = Object.keys(slotsFromEntities(flow, u.entities)).length > 0;
  return { flow, now: namesASlot || flow.startsOnQuestions || !isQuestion(turn.text) };
}

/** Entities of the customer's earlier messages, newest first ("an order number said two turns ago"). */
function earlierEntities(turn: Turn): Entity[] {
  return turn.history
    .filter((m) => m.direction === 'in' && m.author === 'customer' && m.id !== turn.messageId)
    .reverse()
    .flatMap((m) => extractEntities(m.text));
}

const spentMs = (turn: Turn) => turn.trace.reduce((sum, s) => sum + s.ms, 0);

export function flowStage(deps: FlowStageDeps): Stage {
  const byName = new Map(deps.book.flows.map((f) => [f.name, f]));
  const now = deps.now ?? (() => new Date());
  const idleMs = deps.book.idleMinutes * 60_000;

  return {
    name: 'flow',
    async run(turn) {
      if (!byName.size) return { decision: 'none' };
      if (turn.decision === 'escalate') return { decision: 'none (the customer asked for a person)' };
      const stored = await readFlowState(deps.db, turn.conversation.id);
      let active = stored ? byName.get(stored.flow) : undefined;
      let expired: string | undefined;
      if (stored && (!active || now().getTime() - stored.updatedAt.getTime() > idleMs)) {
        expired = stored.flow;
        active = undefined;
        await clearFlowState(deps.db, turn.conversation.id);
      }
      const entities = turn.understanding?.entities ?? [];
      const bare = !wordsBesides(turn.text, entities);
      // an answer that is only an order number (Latin letters) keeps the language the flow speaks
      const locale = (turn.locale = bare && active && stored ? stored.locale : turn.locale);
      const input: FlowInput = { text: turn.text, locale, entities, payload: turn.inbound.payload };
      const starting = flowToStart(turn, deps.book.flows);
      const engine = deps.engine(performance.now() + Math.max(0, deps.turnBudgetMs - spentMs(turn) - AFTER_FLOW_MS));

      let flow: FlowDefinition;
      let step: FlowStep;
      // another flow's request ("I want to return it") switches, unless the message only answers or corrects the flow
      const answers = active && stored && answersFlow(active, input) && (bare || isCorrection(turn.text));
      if (active && stored && !(starting?.now && starting.flow !== active && !answers)) {
        flow = active;
        step = await engine.continue(active, stored, input);
      } else if (starting?.now) {
        flow = starting.flow;
        step = await engine.start(flow, input, earlierEntities(turn));
      } else {
        if (starting) turn.flow = { name: starting.flow.name, status: 'offered', slots: {}, offer: startButton(starting.flow, turn) };
        return { decision: starting ? `offered ${starting.flow.name}` : 'none', ...(expired ? { detail: { expired } } : {}) };
      }

      if (step.status === 'digression') {
        await saveFlowState(deps.db, turn.conversation.id, stored!); // the question keeps the flow alive
        const again = engine.prompt(flow, stored!, locale);
        turn.flow = { name: flow.name, status: 'digression', slots: stored!.slots, resume: { ...again, text: `${deps.messages('flow_resume', locale)} ${again.text}` } };
        return { decision: `${flow.name}: digression`, detail: { step: stored!.step } };
      }
      if (step.state) await saveFlowState(deps.db, turn.conversation.id, step.state);
      else await clearFlowState(deps.db, turn.conversation.id);
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
    },
  };
}

/** Whether the message says more than its entities (three letters or characters besides them). */
function wordsBesides(text: string, entities: Entity[]): boolean {
  let rest = text;
  for (const e of [...entities].sort((a, b) => b.start - a.start)) rest = rest.slice(0, e.start) + rest.slice(e.end);
  return (rest.match(/\p{L}/gu) ?? []).length >= 3;
}

/** Whether the message gives a value for one of the flow's slots. */
function answersFlow(flow: FlowDefinition, input: FlowInput): boolean {
  return Object.keys(slotsFromEntities(flow, input.entities)).length > 0;
}

function startButton(flow: FlowDefinition, turn: Turn): QuickReply {
  return { label: flow.title[turn.locale], payload: `${START_PAYLOAD}${flow.name}` };
}
