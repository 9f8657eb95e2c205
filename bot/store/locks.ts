/** The locks behind `Db.withLock` (bot/turn/database.ts): an advisory lock key, an in-process keyed mutex. */

/** A 64-bit advisory lock key from a string (FNV-1a), as a decimal string for SQL. */
export function lockKey(key: string): string {
  let h = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(key)) {
    h ^= BigInt(byte);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return BigInt.asIntN(64, h).toString();
}

/** In-process keyed mutex: callers with the same key run one after another, in call order. */
export function keyedMutex() {
  const tails = new Map<string, Promise<unknown>>();
  return async function withKey<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = tails.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
