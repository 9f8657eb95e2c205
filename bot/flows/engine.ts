/**
 * The flow engine: one customer message moves a flow on. Steps run in order until the flow waits for
 * the customer (an `ask` whose slot is empty, a `confirm`) or ends (its last step, a cancel, a failed
 * action, too many answers that did not fit). Slots are filled from the entities of any message; a
 * correction overwrites its slot and runs the flow again from where that slot was asked for; a question while the flow waits is a digression, answered elsewhere,
 * after which the flow asks its question again. Actions are called through the caller passed in.
 */
import type { Entity, FlowState, Locale, QuickReply, Reply } from '../turn/types.ts';
import type { ActionResult, ActionCaller } from './actions.ts';
import type { FlowDefinition, SlotDefinition } from './definition.ts';
import type { FlowMessages } from './messages.ts';
import { fill, resultField } from './templates.ts';
import { isCancel, isNo, isQuestion, isYes } from './words.ts';

/** A conversation's place in a flow: stored between turns, read with the turn's context and kept by its commit. */
export type { FlowState } from '../turn/types.ts';

/** What the customer said this turn, as the flow reads it. */
export interface FlowInput {
  text: string;
  locale: Locale;
  entities: Entity[];
  /** A pressed button's payload (`flow:yes`, `flow:no`, `flow:cancel`). */
  payload?: string;
}

/**
 *   waiting     the flow asked something and waits for the answer
 *   done        it ran to its end
 *   cancelled   the customer left it ("cancel", "算了", no at a confirmation)
 *   failed      an action failed or timed out, or the answers never fitted: apology and a person offered
 *   handed over a `handoff` step
 *   digression  the message is a question of its own: answer it, then ask the flow's question again
 */
export type FlowStatus = 'waiting' | 'done' | 'cancelled' | 'failed' | 'handed over' | 'digression';

export interface FlowStep {
  status: FlowStatus;
  /** The state to keep; null when the flow is over. */
  state: FlowState | null;
  /** The slots as the flow holds them after this message (also when it is over). */
  slots: Record<string, string>;
  replies: Reply[];
  /** Slots this message changed from an earlier value ("no, it's LM…"). */
  corrected: string[];
  actions: { action: string; outcome: string; status: ActionResult['status']; tries: number; ms: number }[];
}

export interface EngineDeps {
  actions: ActionCaller;
  messages: FlowMessages;
  /** The human-offer button (the same one the rest of the bot shows). */
  humanButton: (locale: Locale) => QuickReply;
  /** performance.now() time by which every action must have answered (the turn's budget). */
  deadline?: number;
}

export const FLOW_PAYLOAD = 'flow:';
const MAX_STEPS_A_TURN = 200;

const text = (t: string, quickReplies: QuickReply[] = []): Reply => ({ text: t, sources: [], quickReplies });

/** A slot value as read from an answer, or null when it does not fit. */
export function validSlotValue(slot: SlotDefinition, raw: string): string | null {
  const value = slot.entity === 'order_number' ? raw.trim().toUpperCase() : raw.trim();
  if (!value) return null;
  if (slot.pattern && !slot.pattern.test(value)) return null;
  if (slot.minLength !== undefined && [...value].length < slot.minLength) return null;
  return value;
}

/** Slot values found in entities, first found first (the caller orders them newest first). */
export function slotsFromEntities(flow: FlowDefinition, entities: Entity[]): Record<string, string> {
  const found: Record<string, string> = {};
  for (const slot of flow.slots.values()) {
    if (!slot.entity) continue;
    for (const e of entities) {
      const v = e.type === slot.entity ? validSlotValue(slot, e.value) : null;
      if (v) {
        found[slot.name] = v;
        break;
      }
    }
  }
  return found;
}

export function createEngine(deps: EngineDeps) {
  const { messages } = deps;
  const cancelButton = (locale: Locale): QuickReply => ({ label: messages('quick_cancel', locale), payload: `${FLOW_PAYLOAD}cancel` });
  const yesNo = (locale: Locale): QuickReply[] => [
    { label: messages('quick_yes', locale), payload: `${FLOW_PAYLOAD}yes` },
    { label: messages('quick_no', locale), payload: `${FLOW_PAYLOAD}no` },
  ];

  /** The question the flow waits on, asked (again). */
  function prompt(flow: FlowDefinition, state: FlowState, locale: Locale): Reply {
    const op = flow.program[state.step]!;
    if (op.op === 'confirm') return text(fill(op.text[locale], { slots: state.slots, result: state.result }), yesNo(locale));
    if (op.op === 'ask') return text(fill(flow.slots.get(op.slot)!.ask[locale], { slots: state.slots }), [cancelButton(locale)]);
    throw new Error(`flow ${flow.name} does not wait at step ${state.step}`);
  }

  const over = (status: FlowStatus, replies: Reply[], extra: Partial<FlowStep> = {}): FlowStep => ({ status, state: null, slots: {}, replies, corrected: [], actions: [], ...extra });

  /** Runs steps from `state.step` until the flow waits or ends; the step reports the slots either way. */
  async function run(flow: FlowDefinition, state: FlowState, locale: Locale, replies: Reply[], acted: FlowStep['actions']): Promise<FlowStep> {
    const step = await runSteps(flow, state, locale, replies, acted);
    return { ...step, slots: { ...state.slots } };
  }

  async function runSteps(flow: FlowDefinition, state: FlowState, locale: Locale, replies: Reply[], acted: FlowStep['actions']): Promise<FlowStep> {
    const values = () => ({ slots: state.slots, result: state.result });
    for (let n = 0; n < MAX_STEPS_A_TURN; n++) {
      const op = flow.program[state.step];
      if (!op || op.op === 'end') return over('done', replies, { actions: acted });
      switch (op.op) {
        case 'ask':
          if (state.slots[op.slot] !== undefined) {
            state.step++;
            state.attempts = 0;
            continue;
          }
          return { status: 'waiting', state, slots: state.slots, replies: [...replies, prompt(flow, state, locale)], corrected: [], actions: acted };
        case 'confirm':
          return { status: 'waiting', state, slots: state.slots, replies: [...replies, prompt(flow, state, locale)], corrected: [], actions: acted };
        case 'call': {
          const r = await deps.actions.call(flow.actions.get(op.action)!, values(), deps.deadline);
          acted.push({ action: op.action, outcome: r.outcome, status: r.status, tries: r.tries, ms: Math.round(r.ms) });
          state.result = r.result;
          const next = op.on[r.outcome];
          if (next === undefined && r.outcome !== 'ok') {
            return over('failed', [...replies, text(messages('flow_failed', locale), [deps.humanButton(locale)])], { actions: acted });
          }
          state.step = next ?? state.step + 1;
          continue;
        }
        case 'branch': {
          const v = op.on.startsWith('result.') ? resultField(state.result, op.on.slice('result.'.length)) : state.slots[op.on];
          state.step = op.cases[String(v)] ?? op.else ?? state.step + 1;
          continue;
        }
        case 'reply':
          replies.push(text(fill(op.text[locale], values())));
          state.step++;
          continue;
        case 'handoff':
          return over('handed over', [...replies, { ...text(fill(op.text[locale], values())), handoff: true }], { actions: acted });
        case 'ask_again': {
          const slot = flow.slots.get(op.slot)!;
          delete state.slots[op.slot];
          state.step = flow.program.findIndex((o) => o.op === 'ask' && o.slot === op.slot);
          state.attempts++;
          if (state.attempts >= slot.maxAttempts) return over('failed', [...replies, text(messages('flow_gave_up', locale), [deps.humanButton(locale)])], { actions: acted });
          continue;
        }
        case 'jump':
          state.step = op.to;
          continue;
      }
    }
    throw new Error(`flow ${flow.name} ran ${MAX_STEPS_A_TURN} steps without waiting (a loop in its steps)`);
  }

  /** A message that did not fit the step: say so and ask again, or give up after the slot's attempts. */
  function notFitting(flow: FlowDefinition, state: FlowState, input: FlowInput, invalid: string, maxAttempts: number): FlowStep {
    state.attempts++;
    if (state.attempts >= maxAttempts) return over('failed', [text(messages('flow_gave_up', input.locale), [deps.humanButton(input.locale)])], { slots: state.slots });
    const again = prompt(flow, state, input.locale);
    return { status: 'waiting', state, slots: state.slots, replies: [{ ...again, text: `${invalid}\n${again.text}` }], corrected: [], actions: [] };
  }

  return {
    prompt,

    /** Starts `flow` with what the conversation already said (entities newest first). */
    async start(flow: FlowDefinition, input: FlowInput, earlier: Entity[]): Promise<FlowStep> {
      const state: FlowState = { flow: flow.name, step: 0, slots: slotsFromEntities(flow, [...input.entities, ...earlier]), attempts: 0, result: null, locale: input.locale };
      return run(flow, state, input.locale, [], []);
    },

    /** The customer's answer to the flow's waiting step. */
    async continue(flow: FlowDefinition, previous: FlowState, input: FlowInput): Promise<FlowStep> {
      const state: FlowState = { ...previous, slots: { ...previous.slots }, locale: input.locale };
      const payload = input.payload?.startsWith(FLOW_PAYLOAD) ? input.payload.slice(FLOW_PAYLOAD.length) : null;
      const found = slotsFromEntities(flow, input.entities);
      if (payload === 'cancel' || (!Object.keys(found).length && isCancel(input.text))) return over('cancelled', [text(messages('flow_cancelled', input.locale))], { slots: state.slots });

      const corrected = Object.keys(found).filter((k) => state.slots[k] !== undefined && state.slots[k] !== found[k]);
      Object.assign(state.slots, found);
      if (corrected.length) {
        // a correction ("no, it's LM…"): back to where that slot was asked for, so every step after it (a
        // look-up, a branch, a confirmation) runs again with the new value; later answers are kept
        const asked = corrected.map((k) => flow.program.findIndex((o) => o.op === 'ask' && o.slot === k)).filter((i) => i >= 0 && i <= state.step);
        if (asked.length) {
          state.step = Math.min(...asked);
          state.attempts = 0;
          return { ...(await run(flow, state, input.locale, [text(messages('flow_updated', input.locale))], [])), corrected };
        }
      }
      const op = flow.program[state.step];
      if (op?.op === 'ask') {
        const slot = flow.slots.get(op.slot)!;
        if (state.slots[op.slot] === undefined) {
          if (payload === null && isQuestion(input.text) && !Object.keys(found).length) return { status: 'digression', state: previous, slots: previous.slots, replies: [], corrected: [], actions: [] };
          const value = slot.entity ? null : validSlotValue(slot, input.text);
          if (value === null) return notFitting(flow, state, input, slot.invalid[input.locale], slot.maxAttempts);
          state.slots[op.slot] = value;
        }
        state.attempts = 0;
        const step = await run(flow, state, input.locale, [], []);
        return { ...step, corrected };
      }
      if (op?.op === 'confirm') {
        if (Object.keys(found).length && payload === null && !isYes(input.text)) {
          // the same value again, or a slot asked for later: ask for the confirmation again
          return { status: 'waiting', state, slots: state.slots, replies: [prompt(flow, state, input.locale)], corrected: [], actions: [] };
        }
        if (payload === 'yes' || (payload === null && isYes(input.text))) {
          state.step++;
          state.attempts = 0;
          return run(flow, state, input.locale, [], []);
        }
        if (payload === 'no' || (payload === null && isNo(input.text))) return over('cancelled', [text(messages('flow_declined', input.locale))], { slots: state.slots });
        if (isQuestion(input.text)) return { status: 'digression', state: previous, slots: previous.slots, replies: [], corrected: [], actions: [] };
        return notFitting(flow, state, input, messages('flow_confirm_again', input.locale), 3);
      }
      // a stored step that no longer waits (the flow file changed): run on from there
      return run(flow, state, input.locale, [], []);
    },
  };
}

export type FlowEngine = ReturnType<typeof createEngine>;
