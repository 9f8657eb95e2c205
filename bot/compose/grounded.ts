import type { Passage, Reply, Stage, Turn } from '../turn/types.ts';
import type { Responses } from './responses.ts';

/** The reply that offers a human, for when the bot cannot help. */
export function offerHuman(turn: Turn, responses: Responses): Reply {
  return {
    text: responses('not_found', turn.locale),
    sources: [],
    quickReplies: [{ label: responses('quick_human', turn.locale), payload: responses('quick_human_payload', turn.locale) }],
  };
}

/** Quotes the best passage with its source (and lists the runners-up' sources too); no LLM. */
export function groundedReply(turn: Turn, passages: Passage[], responses: Responses): Reply {
  const [best] = passages;
  if (!best) return offerHuman(turn, responses);
  const seen = new Set<string>();
  const sources = passages
    .filter((p) => p === best || p.score >= best.score * 0.8)
    .map((p) => p.source)
    .filter((s) => !seen.has(s.url ?? s.title) && seen.add(s.url ?? s.title));
  return { text: best.text, sources, quickReplies: [] };
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
          turn.draft = groundedReply(turn, turn.passages ?? [], responses);
          return { decision: turn.draft.sources.length ? 'grounded answer' : 'not found' };
        }
      }
    },
  };
}
