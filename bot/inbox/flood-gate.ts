/**
 * Slows a customer who floods messages instead of dropping them: each conversation has a token bucket;
 * a message past the burst waits for its token (the customer is told), and only when the queue of waiting
 * messages is itself full is a new message refused (nothing is stored then, so nothing is lost).
 */
export interface FloodGateOptions {
  burst: number;
  perSecond: number;
  maxWaiting: number;
}

export type Admission = { admitted: true; delayMs: number } | { admitted: false; retryAfterMs: number };

export function createFloodGate(opts: FloodGateOptions = { burst: 5, perSecond: 1, maxWaiting: 20 }, now = () => Date.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const intervalMs = 1000 / opts.perSecond;

  return {
    /** Takes a token for `key`; says how long the message must wait before it is processed. */
    admit(key: string): Admission {
      const t = now();
      const b = buckets.get(key) ?? { tokens: opts.burst, at: t };
      b.tokens = Math.min(opts.burst, b.tokens + (t - b.at) / intervalMs);
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
  };
}

export type FloodGate = ReturnType<typeof createFloodGate>;
