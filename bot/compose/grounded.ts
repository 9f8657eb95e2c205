import type { Locale, Passage, Reply, Stage, Turn } from '../turn/types.ts';
import { ENTRY_PAYLOAD } from '../ground/stage.ts';
import type { Responses } from './responses.ts';

/** The button that offers a human, in the customer's language. */
export function humanButton(locale: Locale, responses: Responses) {
  return { label: responses('quick_human', locale), payload: responses('quick_human_payload', locale) };
}

/** The reply that offers a human, for when the bot cannot help. */
export function offerHuman(turn: Turn, responses: Responses): Reply {
  return { text: responses('not_found', turn.locale), sources: [], quickReplies: [humanButton(turn.locale, responses)] };
}

/** The no-LLM answer: the chosen entry's whole answer (tables included), with its source. */
export function groundedAnswer(passage: Passage): Reply {
  return { text: quote(passage.text), sources: [passage.source], quickReplies: [] };
}

/** "Did you mean …?": one button per entry (its question; the payload names the entry), and a human. */
export function clarifyingQuestion(passages: Passage[], locale: Locale, responses: Responses): Reply {
  return {
    text: responses('clarify', locale),
    sources: [],
    quickReplies: [
      ...passages.filter((p) => p.entry).map((p) => ({ label: p.question ?? p.source.title, payload: `${ENTRY_PAYLOAD}${p.entry}` })),
      humanButton(locale, responses),
    ],
  };
}

const MAX_QUOTE = 2000;

/** The passage, cut at a sentence end when it is very long. */
export function quote(text: string, max = MAX_QUOTE): string {
  const flat = text.trim();
  if (flat.length <= max) return flat;
  const head = flat.slice(0, max);
  const end = Math.max(head.lastIndexOf('. '), head.lastIndexOf('。'), head.lastIndexOf('\n'), head.lastIndexOf('！'), head.lastIndexOf('？'));
  return `${end > max / 2 ? head.slice(0, end + 1) : head}…`;
}

/**
 * compose: writes the drafted reply from what decide and ground chose. Without an LLM that is a grounded
 * template: an entry's answer with its source, "Did you mean …?", a small-talk line, an apology for a
 * complaint, a handoff notice, or an honest "I don't know" with a human offered.
 */
export function composeStage(responses: Responses): Stage {
  return {
    name: 'compose',
    run(turn) {
      switch (turn.decision) {
        case 'escalate':
          turn.drafts = [{ text: responses('handoff_requested', turn.locale), sources: [], quickReplies: [], handoff: true }];
          return { decision: 'handoff notice' };
        case 'smalltalk': {
          const key = turn.understanding?.intent === 'thanks' ? 'thanks' : turn.understanding?.intent === 'goodbye' ? 'goodbye' : 'greeting';
          turn.drafts = [{ text: responses(key, turn.locale), sources: [], quickReplies: [] }];
          return { decision: key };
        }
        default: {
          const passages = turn.passages ?? [];
          const complaint = turn.understanding?.intent === 'complaint' && !turn.understanding.outOfScope;
          if (turn.grounding === 'answer' && passages[0]) {
            let answer = groundedAnswer(passages[0]);
            // a question about reaching a person ("how long is the wait for an agent?") is answered, with a person offered
            if (turn.understanding?.intent === 'ask_human') answer = { ...answer, quickReplies: [...answer.quickReplies, humanButton(turn.locale, responses)] };
            turn.drafts = [complaint ? { ...answer, text: `${responses('apology', turn.locale)}\n\n${answer.text}` } : answer];
            return { decision: complaint ? 'apology and grounded answer' : 'grounded answer' };
          }
          if (complaint) {
            // no entry settles it: apologise, take the complaint, hand it to a person
            turn.drafts = [{ text: responses('complaint', turn.locale), sources: [], quickReplies: [], handoff: true }];
            return { decision: 'complaint taken' };
          }
          if (turn.grounding === 'clarify' && passages.length) {
            turn.drafts = [clarifyingQuestion(passages, turn.locale, responses)];
            return { decision: 'clarifying question' };
          }
          turn.drafts = [offerHuman(turn, responses)];
          return { decision: 'not found' };
        }
      }
    },
  };
}
