/**
 * Slows a customer who floods messages instead of dropping them: each conversation has a token bucket;
 * a message past the burst waits for its token (the customer is told), and only when the queue of waiting
 * messages is itself full is a new message refused (nothing is stored then, so nothing is lost).
 * Buckets that have refilled are forgotten, so the gate's memory follows the active keys only.
 */
export interface FloodGateOptions {
  burst: number;
  perSecond: number;
  maxWaiting: number;
}

export type Admission = { admitted: true; delayMs: number } | { admitted: false; retryAfterMs: number };

/** How many admissions between two sweeps of refilled buckets. */
const SWEEP_EVERY = 1000;

export function createFloodGate(opts: FloodGateOptions = { burst: 5, perSecond: 1, maxWaiting: 20 }, now = () => Date.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const intervalMs = 1000 / opts.perSecond;
  const refilled = (b: { tokens: number; at: number }, t: number) => Math.min(opts.burst, b.tokens + (t - b.at) / intervalMs);
  let sinceSweep = 0;

  /** Forgets buckets that are full again: a fresh bucket is exactly the same. */
  function sweep(t: number) {
    for (const [key, b] of buckets) if (refilled(b, t) >= opts.burst) buckets.delete(key);
  }

  return {
    /** Takes a token for `key`; says how long the message must wait before it is processed. */
    admit(key: string): Admission {
      const t = now();
      if (++sinceSweep >= SWEEP_EVERY) (sinceSweep = 0), sweep(t);
      const b = buckets.get(key) ?? { tokens: opts.burst, at: t };
      b.tokens = refilled(b, t);
      b.at = t;
      // tokens may go negative: each negative unit is one message waiting for its turn
      if (b.tokens - 1 < -opts.maxWaiting) {
        buckets.set(key, b);
        return { admitted: false, retryAfterMs: Math.ceil((1 - b.tokens - opts.maxWaiting) * intervalMs) };
      }
      b.tokens -= 1;
      buckets.set(key, b);
      return { admitted: true, delayMs: b.tokens >= 0 ? 0 : Math.ceil(-b.tokens * intervalMs) };
    },
    /** Gives back the token an admission took (the message turned out to be a duplicate, not new work). */
    giveBack(key: string): void {
      const b = buckets.get(key);
      if (b) b.tokens = Math.min(opts.burst, b.tokens + 1);
    },
    /** How many keys the gate remembers. */
    get size() {
      return buckets.size;
    },
  };
}

export type FloodGate = ReturnType<typeof createFloodGate>;
