/**
 * The `understand` stage: the customer's (masked) text → turn.understanding (intent or out of scope,
 * confidence, ambiguity, entities).
 */
import type { Stage } from '../turn/types.ts';
import type { IntentRecognizer } from './recognizer.ts';

export { loadRecognizer } from './bot-model.ts';
export type { IntentRecognizer } from './recognizer.ts';

export function understandStage(recognizer: IntentRecognizer): Stage {
  return {
    name: 'understand',
    async run(turn) {
      const { ranking, ...understanding } = await recognizer.recognize(turn.text);
      turn.understanding = understanding;
      const decision = understanding.outOfScope ? 'out-of-scope' : understanding.ambiguous ? `ambiguous:${understanding.intent}` : `intent:${understanding.intent}`;
      return {
        decision,
        detail: {
          confidence: Math.round(understanding.confidence * 1000) / 1000,
          top: ranking.slice(0, 3).map((r) => ({ intent: r.intent, confidence: Math.round(r.confidence * 1000) / 1000 })),
          entities: understanding.entities.map((e) => e.type),
          modelVersion: recognizer.version,
        },
      };
    },
  };
}
