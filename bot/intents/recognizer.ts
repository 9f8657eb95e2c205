/**
 * The intent recognizer the bot runs: a trained model plus entity extraction, turning a message into an
 * Understanding (intent or out of scope, calibrated confidence, ambiguity, entities).
 */
import { textForModels } from '../turn/text-hygiene.ts';
import type { Entity, Understanding } from '../turn/types.ts';
import type { EntityListEntry } from '../../training/intents/dataset.ts';
import { predictIntentAsync, type IntentModel, type RankedIntent } from '../../training/intents/model.ts';
import { extractEntities } from './entities.ts';

export interface Recognition extends Understanding {
  /** The best in-scope intents with their confidences (for the trace and for clarifying questions). */
  ranking: RankedIntent[];
}

export interface IntentRecognizer {
  /** Store version of the model (null for a model that was never stored). */
  readonly version: number | null;
  readonly intents: string[];
  recognize(text: string): Promise<Recognition>;
}

export function createRecognizer(model: IntentModel, opts: { version?: number | null; lists?: Record<string, EntityListEntry[]>; now?: () => Date } = {}): IntentRecognizer {
  const now = opts.now ?? (() => new Date());
  return {
    version: opts.version ?? null,
    intents: model.labels.filter((l) => l !== 'oos'),
    async recognize(text: string): Promise<Recognition> {
      const p = await predictIntentAsync(model, textForModels(text));
      const entities: Entity[] = extractEntities(text, { lists: opts.lists ?? {}, today: now() });
      return { intent: p.intent, confidence: p.confidence, outOfScope: p.outOfScope, ambiguous: p.ambiguous, entities, ranking: p.ranking };
    },
  };
}
