import { ENTRY_PAYLOAD } from '../ground/stage.ts';
import type { Stage, Turn } from '../turn/types.ts';

const SMALLTALK = new Set(['greeting', 'thanks', 'goodbye']);
/** Words that ask for a person outright; a guess at `ask_human` without them goes through knowledge first. */
const ASKS_FOR_HUMAN = /\b(human|person|agent|representative|real people|someone real|operator)\b|人工|真人|客服专员|转接|找客服|接线员/i;
/** The intent model's confidence at which it is trusted to hand over without those words. */
const SURE = 0.85;
/**
 * A question about reaching a person ("how long is the wait for an agent?", "转人工要排队多久") rather than
 * a request for one: the help centre answers it (and the answer offers a person).
 */
const ASKS_ABOUT = /\b(how|what|when|which|where)\b|多久|多长时间|什么|怎么|怎样|几点|哪/i;

/**
 * decide: the policy that chooses what the turn does with what understand found. A person is fetched
 * when the customer asks for one (not when they ask how, when or how long); a complaint, a low-confidence guess at wanting a person and every
 * question go to the knowledge base first (ground decides answer, clarify or decline; compose
 * apologises for a complaint).
 */
export function decidePolicy(turn: Turn): NonNullable<Turn['decision']> {
  const u = turn.understanding;
  if (turn.inbound.payload?.startsWith(ENTRY_PAYLOAD)) return 'answer';
  if (u && !u.outOfScope && u.intent && !u.ambiguous) {
    if (u.intent === 'ask_human' && (u.confidence >= SURE || ASKS_FOR_HUMAN.test(turn.text)) && !ASKS_ABOUT.test(turn.text)) return 'escalate';
    if (SMALLTALK.has(u.intent) && u.confidence >= 0.5) return 'smalltalk';
  }
  if (!u && ASKS_FOR_HUMAN.test(turn.text)) return 'escalate';
  return 'answer';
}

export const decideStage: Stage = {
  name: 'decide',
  run(turn) {
    const decision = decidePolicy(turn);
    turn.decision = decision;
    return { decision, ...(turn.understanding?.intent ? { detail: { intent: turn.understanding.intent } } : {}) };
  },
};
