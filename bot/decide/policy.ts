import type { Stage, Turn } from '../turn/types.ts';

const SMALLTALK = new Set(['greeting', 'thanks', 'goodbye']);
const HUMAN_INTENTS = new Set(['ask_human', 'complaint']);
// until an intent model is loaded, a plain request for a person is still recognised
const ASKS_FOR_HUMAN = /\b(human|person|agent|representative|real people)\b|人工|真人|客服专员|转接/i;

/** decide: the policy that chooses what the turn does with what understand found. */
export function decide(turn: Turn): NonNullable<Turn['decision']> {
  const u = turn.understanding;
  if (u && !u.outOfScope && u.intent && !u.ambiguous) {
    if (HUMAN_INTENTS.has(u.intent)) return 'escalate';
    if (SMALLTALK.has(u.intent)) return 'smalltalk';
  }
  if (!u && ASKS_FOR_HUMAN.test(turn.text)) return 'escalate';
  return 'answer';
}

export const decideStage: Stage = {
  name: 'decide',
  run(turn) {
    const decision = decide(turn);
    turn.decision = decision;
    return { decision, ...(turn.understanding?.intent ? { detail: { intent: turn.understanding.intent } } : {}) };
  },
};
