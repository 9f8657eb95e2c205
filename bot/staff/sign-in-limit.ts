/**
 * Failed sign-ins are limited per login and per client address (sliding window), so passwords cannot be
 * guessed at speed; a success clears the login's count. The window's state is pruned as it ages.
 */
export interface SignInLimitOptions {
  /** Failures allowed per login in the window (default 5). */
  perLogin?: number;
  /** Failures allowed per client address in the window (default 20). */
  perAddress?: number;
  windowMs?: number;
  now?: () => number;
}

export function signInLimit(opts: SignInLimitOptions = {}) {
  const perLogin = opts.perLogin ?? 5;
  const perAddress = opts.perAddress ?? 20;
  const windowMs = opts.windowMs ?? 15 * 60 * 1000;
  const now = opts.now ?? Date.now;
  const failures = new Map<string, number[]>();

  const recent = (key: string) => {
    const cutoff = now() - windowMs;
    const kept = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length) failures.set(key, kept);
    else failures.delete(key);
    return kept;
  };
  // the oldest failure that still counts against the limit frees a place when it leaves the window
  const wait = (times: number[], limit: number) => (times.length >= limit ? times[times.length - limit]! + windowMs - now() : 0);
  const keys = (login: string, address: string) => [`login:${login.toLowerCase()}`, `address:${address}`] as const;

  return {
    /** Milliseconds until another attempt is allowed; 0 when one is allowed now. */
    waitMs(login: string, address: string): number {
      const [l, a] = keys(login, address);
      return Math.max(0, wait(recent(l), perLogin), wait(recent(a), perAddress));
    },
    failed(login: string, address: string) {
      for (const k of keys(login, address)) failures.set(k, [...recent(k), now()]);
      if (failures.size > 10_000) for (const k of [...failures.keys()]) recent(k);
    },
    succeeded(login: string) {
      failures.delete(keys(login, '')[0]);
    },
  };
}
