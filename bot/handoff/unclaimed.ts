/**
 * Unclaimed handoffs time out to take-a-message: a handoff nobody claimed within
 * `handoff.unclaimedAfterMinutes` (bot.yaml) becomes a message left for an agent (status `timed_out`; the
 * bot stays quiet and keeps what the customer writes for the agent, who may still claim it). The customer
 * is told once, and the customers behind them hear their new place. Every kefu process runs the sweep on a
 * timer; timeOutUnclaimed's single UPDATE … SKIP LOCKED gives each handoff to one process.
 *
 * Out of hours the sweep waits: it runs only while agents have been working for the whole timeout (so a
 * handoff queued overnight gets its full time after opening).
 */
import type { Db } from '../turn/database.ts';
import { availability, type BusinessHours } from './hours.ts';
import type { HandoffNotices } from './notices.ts';
import { timeOutUnclaimed } from './queue.ts';

export const DEFAULT_UNCLAIMED_AFTER_MINUTES = 15;

/** Reads `handoff.unclaimedAfterMinutes`: minutes (fractions allowed), 0 for never; absent: the default. */
export function parseUnclaimedAfter(raw: unknown): number {
  if (raw === undefined || raw === null) return DEFAULT_UNCLAIMED_AFTER_MINUTES;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) throw new Error('handoff.unclaimedAfterMinutes must be a number of minutes (0: never)');
  return raw;
}

export interface UnclaimedSweepDeps {
  db: Db;
  botId: string;
  afterMinutes: number;
  hours?: BusinessHours;
  /** Tells the customers (handoff notices); queueMoved also refreshes live consoles. */
  notices: { messageTaken: HandoffNotices['messageTaken']; queueMoved(): Promise<unknown> };
}

/** One sweep at `now`; returns how many handoffs it turned into messages taken. */
export async function sweepUnclaimed(deps: UnclaimedSweepDeps, now = new Date()): Promise<number> {
  if (deps.afterMinutes <= 0) return 0;
  const cutoff = new Date(now.getTime() - deps.afterMinutes * 60_000);
  if (!availability(deps.hours, now).open || !availability(deps.hours, cutoff).open) return 0;
  const timedOut = await timeOutUnclaimed(deps.db, deps.botId, cutoff);
  for (const h of timedOut) await deps.notices.messageTaken(h.conversationId);
  if (timedOut.length) await deps.notices.queueMoved();
  return timedOut.length;
}

/** Sweeps every `everyMs` (default: a quarter of the timeout, between 1 s and 30 s) until stopped. */
export function startUnclaimedSweep(deps: UnclaimedSweepDeps & { everyMs?: number; onError?: (err: unknown) => void }): { stop(): Promise<void> } {
  if (deps.afterMinutes <= 0) return { stop: async () => undefined };
  const every = deps.everyMs ?? Math.min(30_000, Math.max(1000, (deps.afterMinutes * 60_000) / 4));
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = sweepUnclaimed(deps).catch((err) => deps.onError?.(err));
  }, every);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
