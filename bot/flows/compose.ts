/**
 * compose with flows: a turn the flow stage settled keeps the flow's replies; any other is composed as
 * usual (the stage passed in), and then, mid-flow, the flow's question follows the answer, or, under a
 * help-centre answer, a button offers the flow the question was about.
 */
import type { Stage } from '../turn/types.ts';

export function composeWithFlows(compose: Stage): Stage {
  return {
    name: 'compose',
    async run(turn) {
      if (turn.decision === 'flow') return { decision: `flow reply (${turn.drafts.length})` };
      const outcome = await compose.run(turn);
      const f = turn.flow;
      if (f?.resume) {
        turn.drafts.push(f.resume);
        return { ...outcome, decision: `${outcome.decision}, then back to ${f.name}` };
      }
      const answer = turn.drafts[0];
      if (f?.offer && turn.grounding === 'answer' && answer && !answer.handoff) turn.drafts[0] = { ...answer, quickReplies: [...answer.quickReplies, f.offer] };
      return outcome;
    },
  };
}
