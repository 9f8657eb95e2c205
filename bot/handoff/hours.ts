/**
 * When human agents work: weekly opening times in the bot's time zone, minus holidays. Read from
 * `handoff.hours` in bot.yaml:
 *
 *   handoff:
 *     hours:
 *       timeZone: Asia/Shanghai
 *       weekly: { mon-fri: "09:00-21:00", sat: "10:00-16:00" }
 *       holidays: [2026-10-01, 2026-10-02]
 *
 * Without `hours`, agents are always there. Times are local wall-clock times; a range may not cross
 * midnight (write two).
 */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

export interface BusinessHours {
  timeZone: string;
  /** Opening minutes per weekday (0 = Sunday): [from, to) pairs in minutes after local midnight. */
  weekly: [number, number][][];
  /** Local dates (YYYY-MM-DD) on which nobody works. */
  holidays: Set<string>;
}

export type Availability = { open: true } | { open: false; nextOpen: Date | null };

export class HoursError extends Error {}

function minutes(hhmm: string, where: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm.trim());
  if (!m || +m[1]! > 24 || +m[2]! > 59 || +m[1]! * 60 + +m[2]! > 24 * 60) throw new HoursError(`${where}: '${hhmm}' is not a time such as 09:00`);
  return +m[1]! * 60 + +m[2]!;
}

function daysOf(spec: string, where: string): number[] {
  const day = (d: string) => {
    const i = DAYS.indexOf(d.trim().toLowerCase().slice(0, 3) as (typeof DAYS)[number]);
    if (i < 0) throw new HoursError(`${where}: '${d}' is not a weekday (mon … sun)`);
    return i;
  };
  return spec.split(',').flatMap((part) => {
    const [from, to] = part.split('-');
    if (to === undefined) return [day(from!)];
    const out: number[] = [];
    for (let d = day(from!); ; d = (d + 1) % 7) {
      out.push(d);
      if (d === day(to)) return out;
    }
  });
}

/** Parses `handoff.hours` (undefined: always open). Errors name what is wrong. */
export function parseBusinessHours(raw: unknown, where = 'handoff.hours'): BusinessHours | undefined {
  if (raw === undefined || raw === null) return undefined;
  const r = raw as { timeZone?: unknown; weekly?: unknown; holidays?: unknown };
  const timeZone = typeof r.timeZone === 'string' ? r.timeZone : 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new HoursError(`${where}.timeZone: '${timeZone}' is not a time zone such as Asia/Shanghai`);
  }
  const weekly: [number, number][][] = DAYS.map(() => []);
  for (const [days, ranges] of Object.entries((r.weekly ?? {}) as Record<string, unknown>)) {
    for (const range of String(ranges).split(',')) {
      const [from, to] = range.split('-');
      const span: [number, number] = [minutes(from ?? '', `${where}.weekly.${days}`), minutes(to ?? '', `${where}.weekly.${days}`)];
      if (span[1] <= span[0]) throw new HoursError(`${where}.weekly.${days}: '${range.trim()}' must end after it starts`);
      for (const d of daysOf(days, `${where}.weekly`)) weekly[d]!.push(span);
    }
  }
  const holidays = new Set(
    ((r.holidays ?? []) as unknown[]).map((h) => {
      const s = h instanceof Date ? h.toISOString().slice(0, 10) : String(h);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) throw new HoursError(`${where}.holidays: '${s}' is not a date such as 2026-10-01`);
      return s;
    }),
  );
  return { timeZone, weekly, holidays };
}

/** The local date, weekday and minute of an instant in a time zone. */
function localParts(at: Date, timeZone: string): { date: string; weekday: number; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, weekday: DAYS.indexOf(parts.weekday!.toLowerCase().slice(0, 3) as (typeof DAYS)[number]), minute: +parts.hour! * 60 + +parts.minute! };
}

/** Whether agents are at work at `at`; when not, the next moment they are (null: no opening within two weeks). */
export function availability(hours: BusinessHours | undefined, at: Date): Availability {
  if (!hours) return { open: true };
  const isOpen = (t: Date) => {
    const p = localParts(t, hours.timeZone);
    return !hours.holidays.has(p.date) && hours.weekly[p.weekday]!.some(([from, to]) => p.minute >= from && p.minute < to);
  };
  if (isOpen(at)) return { open: true };
  // walk forward to the next opening: each step lands on a local opening minute or the next local midnight
  let t = new Date(Math.floor(at.getTime() / 60_000) * 60_000 + 60_000);
  const horizon = at.getTime() + 14 * 24 * 60 * 60_000;
  while (t.getTime() <= horizon) {
    if (isOpen(t)) return { open: false, nextOpen: t };
    const p = localParts(t, hours.timeZone);
    const later = hours.holidays.has(p.date) ? [] : hours.weekly[p.weekday]!.map(([from]) => from).filter((from) => from > p.minute);
    const jump = (later.length ? Math.min(...later) : 24 * 60) - p.minute;
    t = new Date(t.getTime() + jump * 60_000);
  }
  return { open: false, nextOpen: null };
}
