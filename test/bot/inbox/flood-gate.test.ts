import { describe, expect, it } from 'vitest';
import { createFloodGate } from '../../../bot/inbox/flood-gate.ts';

describe('flood gate', () => {
  it('forgets conversations whose bucket has refilled, so its memory does not grow with every key ever seen', () => {
    let t = 0;
    const gate = createFloodGate({ burst: 5, perSecond: 1, maxWaiting: 20 }, () => t);
    for (let i = 0; i < 999; i++) gate.admit(`c${i}`);
    expect(gate.size).toBe(999);
    t += 10_000; // every bucket full again
    for (let i = 0; i < 5; i++) gate.admit('active');
    expect(gate.size).toBe(1);
  });

  it('keeps a bucket that is still refilling (the customer stays slowed)', () => {
    let t = 0;
    const gate = createFloodGate({ burst: 2, perSecond: 1, maxWaiting: 5 }, () => t);
    for (let i = 0; i < 4; i++) gate.admit('busy');
    for (let i = 0; i < 996; i++) gate.admit(`c${i}`);
    t += 1500;
    gate.admit('other'); // the 1,001st admission sweeps
    expect(gate.admit('busy')).toMatchObject({ admitted: true });
    expect((gate.admit('busy') as { delayMs: number }).delayMs).toBeGreaterThan(0);
  });

  it('takes back a token given back (a duplicate is no new work)', () => {
    const gate = createFloodGate({ burst: 1, perSecond: 0.001, maxWaiting: 0 }, () => 0);
    expect(gate.admit('c').admitted).toBe(true);
    gate.giveBack('c');
    expect(gate.admit('c').admitted).toBe(true);
    expect(gate.admit('c').admitted).toBe(false);
  });
});
