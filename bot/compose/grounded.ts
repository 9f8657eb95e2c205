import { groundedAnswer } from '../../knowledge/stage.ts';
import type { Reply, Stage, Turn } from '../turn/types.ts';
import type { Responses } from './responses.ts';

/** The reply that offers a human, for when the bot cannot help. */
export function offerHuman(turn: Turn, responses: Responses): Reply {
  return {
    text: responses('not_found', turn.locale),
    sources: [],
    quickReplies: [{ label: responses('quick_human', turn.locale), payload: responses('quick_human_payload', turn.locale) }],
  };
}

/**
 * compose: writes the draft reply from what decide chose. Without an LLM that is a grounded template:
 * a passage with its source, a small-talk line, a handoff notice, or an honest "I don't know".
 */
export function composeStage(responses: Responses): Stage {
  return {
    name: 'compose',
    run(turn) {
      switch (turn.decision) {
        case 'escalate':
          turn.draft = { text: responses('handoff_requested', turn.locale), sources: [], quickReplies: [], handoff: true };
          return { decision: 'handoff notice' };
        case 'smalltalk': {
          const key = turn.understanding?.intent === 'thanks' ? 'thanks' : turn.understanding?.intent === 'goodbye' ? 'goodbye' : 'greeting';
          turn.draft = { text: responses(key, turn.locale), sources: [], quickReplies: [] };
          return { decision: key };
        }
        default: {
          const passages = turn.passages ?? [];
          turn.draft = passages.length ? groundedAnswer(passages, turn.locale) : offerHuman(turn, responses);
          return { decision: passages.length ? 'grounded answer' : 'not found' };
        }
      }
    },
  };
}
