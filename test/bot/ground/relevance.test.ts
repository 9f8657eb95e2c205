/**
 * The bound the ground stage uses to skip searching for a reading that could never be answered
 * (bot/ground/relevance.ts: couldAnswer): whatever the search finds, decideRelevance answers only where
 * the bound said it could.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { couldAnswer, decideRelevance, DEFAULT_RELEVANCE, type EntryEvidence } from '../../../bot/ground/relevance.ts';

const probability = fc.double({ min: 0, max: 1, noNaN: true });

describe('could a reading be answered, whatever the search finds', () => {
  it('is never wrong: no evidence the search could add makes an answer it ruled out', () => {
    fc.assert(
      fc.property(
        fc.array(probability, { maxLength: 5 }),
        probability,
        fc.array(fc.record({ retrieval: probability, intent: fc.constantFrom(-1, 0, 1) as fc.Arbitrary<-1 | 0 | 1>, guessed: fc.boolean(), unknown: fc.boolean() }), { maxLength: 8 }),
        fc.boolean(),
        (confidences, outOfScope, found, otherDocuments) => {
          const ranking = confidences.map((confidence, i) => ({ key: `e${i}`, confidence }));
          // what the search might add: relevance for guessed entries, other entries, or documents the selector does not know
          const evidence: EntryEvidence[] = ranking.map((g) => ({ key: g.key, selector: g.confidence, retrieval: 0, intent: 0 }));
          found.forEach((f, i) => {
            const guessed = f.guessed && evidence[i % Math.max(1, evidence.length)];
            if (guessed) Object.assign(guessed, { retrieval: f.retrieval, intent: f.intent });
            else if (f.unknown && otherDocuments) evidence.push({ key: `doc${i}`, selector: f.retrieval, retrieval: f.retrieval, intent: f.intent });
            else evidence.push({ key: `other${i}`, selector: 0, retrieval: f.retrieval, intent: f.intent });
          });
          if (decideRelevance(evidence, outOfScope).outcome === 'answer') expect(couldAnswer({ ranking, outOfScope }, otherDocuments)).toBe(true);
        },
      ),
      { numRuns: 2000, seed: 11 },
    );
  });

  it('rules out a reading the selector is unsure of, unless unknown documents could still be recalled', () => {
    const unsure = { ranking: [{ confidence: 0.3 }, { confidence: 0.25 }], outOfScope: 0.1 };
    expect(couldAnswer(unsure, false)).toBe(false);
    expect(couldAnswer(unsure, true)).toBe(true);
    const near = { ranking: [{ confidence: DEFAULT_RELEVANCE.answerAt - 0.1 }], outOfScope: 0 };
    expect(couldAnswer(near, false)).toBe(true);
  });
});
