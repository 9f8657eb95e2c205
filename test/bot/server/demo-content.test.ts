import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGuard } from '../../../bot/compliance/load.ts';
import type { Guard } from '../../../bot/compliance/guard.ts';
import { loadHelpCenter } from '../../../bot/content/help-articles.ts';

let guard: Guard;
beforeAll(async () => {
  guard = await loadGuard({ botDir: 'examples/demo-shop', pollMs: 0 });
});
afterAll(() => guard?.close());

describe("the demo shop's own help centre passes its compliance policy", () => {
  it('guard-out lets every help-centre entry through, so quoting the written policy is never blocked', () => {
    const refused = loadHelpCenter('examples/demo-shop/knowledge')
      .map((e) => ({ id: e.id, verdict: guard.checkOut(e.body, e.lang) }))
      .filter(({ verdict }) => verdict.decision === 'block' || verdict.decision === 'escalate')
      .map(({ id, verdict }) => `${id}: ${verdict.decision} by ${verdict.hits.map((h) => h.ruleId).join(', ')}`);
    expect(refused).toEqual([]);
  });
});
