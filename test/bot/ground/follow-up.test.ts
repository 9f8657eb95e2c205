import { describe, expect, it } from 'vitest';
import { chooseReading, opensNewMatter, ownReadingStands, type Reading } from '../../../bot/ground/follow-up.ts';
import { decideRelevance } from '../../../bot/ground/relevance.ts';

/** A reading from the selector's probabilities alone (no retrieval, no intent). */
function reading(probabilities: Record<string, number>): Reading {
  const evidence = Object.entries(probabilities).map(([key, selector]) => ({ key, selector, retrieval: 0, intent: 0 as const }));
  return { decision: decideRelevance(evidence, 0), evidence };
}

describe('reading a follow-up with the previous message', () => {
  it('reads a message that settles nothing alone with the previous one', () => {
    expect(chooseReading(reading({ 'returns#start-return': 0.3, 'shipping#delivery-time': 0.25 }), reading({ 'shipping#parcel-lockers': 0.9 }))).toBe('with previous');
  });

  it('reads an elliptical follow-up with the previous one when the context does not support its own reading', () => {
    // "Do you ship to Macau?" → "how many days would that take?": alone it is about delivery times in general
    const alone = reading({ 'shipping#delivery-time': 0.97, 'shipping#international-shipping': 0.01 });
    const withPrevious = reading({ 'shipping#international-shipping': 0.92, 'shipping#delivery-time': 0.05 });
    expect(chooseReading(alone, withPrevious)).toBe('with previous');
  });

  it('keeps the own reading of a follow-up that names a new matter the context still supports', () => {
    // "能寄到日本吗" → "那进口税谁出": customs duties, though the pair leans to shipping abroad
    const alone = reading({ 'shipping#customs-duties': 0.98 });
    const withPrevious = reading({ 'shipping#international-shipping': 0.7, 'shipping#customs-duties': 0.25 });
    expect(chooseReading(alone, withPrevious)).toBe('alone');
  });

  it('keeps the own reading when the context settles nothing better', () => {
    expect(chooseReading(reading({ 'promotions#new-customer-offer': 0.95 }), reading({ 'promotions#new-customer-offer': 0.5, 'accounts#register-account': 0.45 }))).toBe('alone');
    expect(chooseReading(reading({ 'returns#exchange': 0.9 }), reading({ 'returns#exchange': 0.95 }))).toBe('alone');
  });

  it('knows from the selector alone when the own answer stands, whatever the search finds for the reading with the previous message', () => {
    const alone = reading({ 'returns#exchange': 0.9 });
    const guesses = [
      { ranking: [{ key: 'orders#cancel-order', confidence: 0.8 }, { key: 'returns#exchange', confidence: 0.12 }], stands: true },
      { ranking: [{ key: 'orders#cancel-order', confidence: 0.9 }, { key: 'returns#exchange', confidence: 0.05 }], stands: false },
      { ranking: [{ key: 'orders#cancel-order', confidence: 0.95 }], stands: false },
    ];
    for (const { ranking, stands } of guesses) {
      expect(ownReadingStands('returns#exchange', { ranking })).toBe(stands);
      if (!stands) continue;
      // every retrieval score and intent the search could add leaves the own reading in place
      for (const retrieval of [0, 0.5, 1]) {
        for (const intent of [-1, 0, 1] as const) {
          const evidence = ranking.map((g) => ({ key: g.key, selector: g.confidence, retrieval: g.key === 'returns#exchange' ? 0 : retrieval, intent }));
          expect(chooseReading(alone, { decision: decideRelevance(evidence, 0), evidence })).toBe('alone');
        }
      }
    }
  });

  it('reads alone a message that opens by changing the subject, in English and Chinese', () => {
    for (const text of ['another thing, do you sell gift cards?', 'Unrelated, but how do I reset my password', 'oh and btw what are your hours', '换个问题，能开发票吗', '另外问下，你们收不收PayPal', '对了，积分怎么用']) expect(opensNewMatter(text), text).toBe(true);
  });

  it('still reads with the previous message a follow-up that only mentions another thing inside it', () => {
    for (const text of ['and to Hong Kong?', 'is it the same for another thing I bought?', '那要多久', '另外那件能一起退吗', '还有运费呢']) expect(opensNewMatter(text), text).toBe(false);
  });
});
