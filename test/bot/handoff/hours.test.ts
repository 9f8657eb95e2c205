import { describe, expect, it } from 'vitest';
import { availability, HoursError, parseBusinessHours } from '../../../bot/handoff/hours.ts';

const shanghai = parseBusinessHours({ timeZone: 'Asia/Shanghai', weekly: { 'mon-fri': '09:00-21:00', sat: '10:00-12:00, 13:00-16:00' }, holidays: ['2026-10-01'] });

describe('business hours', () => {
  it('are always open when a bot names none', () => {
    expect(parseBusinessHours(undefined)).toBeUndefined();
    expect(availability(undefined, new Date())).toEqual({ open: true });
  });

  it('are open inside a weekday range in the bot time zone, not by the server clock', () => {
    expect(availability(shanghai, new Date('2026-11-30T02:00:00Z'))).toEqual({ open: true }); // Monday 10:00 in Shanghai
    expect(availability(shanghai, new Date('2026-11-30T00:59:00Z')).open).toBe(false); // Monday 08:59
  });

  it('say when agents are back: the next morning, after a lunch break, after the weekend', () => {
    expect(availability(shanghai, new Date('2026-11-30T14:00:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-12-01T01:00:00Z') }); // Mon 22:00 → Tue 09:00
    expect(availability(shanghai, new Date('2026-12-05T04:30:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-12-05T05:00:00Z') }); // Sat 12:30 → 13:00
    expect(availability(shanghai, new Date('2026-12-05T09:00:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-12-07T01:00:00Z') }); // Sat 17:00 → Mon 09:00
  });

  it('are closed on holidays', () => {
    expect(availability(shanghai, new Date('2026-10-01T02:00:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-10-02T01:00:00Z') });
  });

  it('follow daylight saving time where the zone has it', () => {
    const newYork = parseBusinessHours({ timeZone: 'America/New_York', weekly: { 'mon-fri': '09:00-17:00' } });
    // Saturday noon EST → Monday 09:00 EDT (clocks went forward on Sunday 8 March 2026)
    expect(availability(newYork, new Date('2026-03-07T17:00:00Z'))).toEqual({ open: false, nextOpen: new Date('2026-03-09T13:00:00Z') });
  });

  it('refuse configuration that cannot mean anything, saying what is wrong', () => {
    expect(() => parseBusinessHours({ timeZone: 'Mars/Olympus' })).toThrow(/not a time zone/);
    expect(() => parseBusinessHours({ weekly: { mon: '9am-5pm' } })).toThrow(HoursError);
    expect(() => parseBusinessHours({ weekly: { mon: '17:00-09:00' } })).toThrow(/must end after it starts/);
    expect(() => parseBusinessHours({ weekly: { funday: '09:00-17:00' } })).toThrow(/not a weekday/);
    expect(() => parseBusinessHours({ holidays: ['1 October'] })).toThrow(/not a date/);
  });

  it('have no opening to report when every day is a holiday', () => {
    const never = parseBusinessHours({ weekly: { 'mon-sun': '09:00-17:00' }, holidays: Array.from({ length: 20 }, (_, i) => `2026-12-${String(i + 1).padStart(2, '0')}`) });
    expect(availability(never, new Date('2026-12-01T00:00:00Z'))).toEqual({ open: false, nextOpen: null });
  });
});
