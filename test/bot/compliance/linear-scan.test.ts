import { describe, expect, it } from 'vitest';
import { findPersonalData } from '../../../bot/compliance/personal-data.ts';
import { extractEntities } from '../../../bot/intents/entities.ts';

// A pattern that may start a match anywhere inside a long run of letters or digits retries from every
// position: 40,000 digits took 2.7 s in the personal-data scan alone. Anchored patterns scan such runs in
// milliseconds, so a one-second bound separates the two by three orders of magnitude on any machine.
const RUNS: [string, string][] = [
  ['digits', '1234567890'.repeat(4000)],
  ['letters', 'a'.repeat(40_000)],
  ['digits and dashes', '1-'.repeat(20_000)],
  ['letters and digits', 'a1'.repeat(20_000)],
  ['decimals', '1.'.repeat(20_000)],
];

describe('scanning a 40,000-character run stays linear', () => {
  for (const [name, text] of RUNS) {
    it(`personal data and entities in ${name}`, () => {
      const started = performance.now();
      findPersonalData(text);
      extractEntities(text);
      expect(performance.now() - started).toBeLessThan(1000);
    });
  }

  it('anchoring keeps the matches: an email, an amount and an order number are still found', () => {
    const text = 'mail me at li.lei@example.com about order A20261128, I paid 129.50元';
    expect(findPersonalData(text).map((h) => h.kind)).toContain('email');
    const types = extractEntities(text).map((e) => `${e.type}:${e.value}`);
    expect(types).toContain('email:li.lei@example.com');
    expect(types).toContain('order_number:A20261128');
    expect(types).toContain('amount:129.50 CNY');
  });
});
