import { describe, expect, it } from 'vitest';
import { HOLIDAY_NAMES, NOTICES, PROVISIONAL_SOURCE, SHIPPED_DAYS } from './data.js';
import { endOfLocalDay, isValidDay, localDateOf, shiftDay, weekdayOf } from './local-time.js';
import { timeLimitOf, WorkingCalendar } from './working-calendar.js';

const cal = new WorkingCalendar(SHIPPED_DAYS);
const at = (local: string) => new Date(`${local}+08:00`);
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = from; d <= to; d = shiftDay(d, 1)) out.push(d);
  return out;
};

describe('the weekday rule', () => {
  const plain = new WorkingCalendar([]);
  it('works Monday to Friday and rests at the weekend', () => {
    expect(days('2025-03-03', '2025-03-09').map((d) => plain.isWorkingDay(d))).toEqual([true, true, true, true, true, false, false]);
    expect(weekdayOf('2025-03-03')).toBe(1);
    expect(weekdayOf('2025-03-09')).toBe(7);
  });

  it('lets overrides win both ways', () => {
    const c = new WorkingCalendar([
      { day: '2025-03-05', kind: 'holiday' },
      { day: '2025-03-08', kind: 'workday' },
    ]);
    expect(c.isWorkingDay('2025-03-05')).toBe(false);
    expect(c.isWorkingDay('2025-03-08')).toBe(true);
    expect(c.isWorkingDay('2025-03-09')).toBe(false);
  });

  it('refuses malformed days and negative counts', () => {
    expect(isValidDay('2024-02-29')).toBe(true);
    expect(isValidDay('2025-02-29')).toBe(false);
    expect(isValidDay('2025-1-1')).toBe(false);
    expect(isValidDay('0099-01-01')).toBe(true);
    expect(() => cal.isWorkingDay('2025-13-01')).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-03-03', -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays('2025-03-03', 1.5)).toThrow(RangeError);
  });
});

describe('the shipped calendar', () => {
  it('has 春节 2025 from 除夕 1-28 to 2-4 with Sunday 1-26 and Saturday 2-8 worked', () => {
    expect(days('2025-01-28', '2025-02-04').every((d) => !cal.isWorkingDay(d))).toBe(true);
    expect(cal.isWorkingDay('2025-01-26')).toBe(true);
    expect(cal.isWorkingDay('2025-02-08')).toBe(true);
    expect(cal.isWorkingDay('2025-01-27')).toBe(true);
    expect(cal.isWorkingDay('2025-02-05')).toBe(true);
    expect(cal.isWorkingDay('2025-02-09')).toBe(false);
  });

  it('has 国庆 2024 on 10-1..7 with 9-29 and 10-12 worked', () => {
    expect(days('2024-10-01', '2024-10-07').every((d) => !cal.isWorkingDay(d))).toBe(true);
    expect(cal.isWorkingDay('2024-09-29')).toBe(true);
    expect(cal.isWorkingDay('2024-10-12')).toBe(true);
  });

  it('has 国庆 and 中秋 2025 together on 10-1..8 with 9-28 and 10-11 worked', () => {
    expect(days('2025-10-01', '2025-10-08').every((d) => !cal.isWorkingDay(d))).toBe(true);
    expect(cal.isWorkingDay('2025-09-28')).toBe(true);
    expect(cal.isWorkingDay('2025-10-11')).toBe(true);
    expect(SHIPPED_DAYS.find((d) => d.day === '2025-10-06')?.name).toBe('中秋节');
  });

  it('has 劳动节 with its make-up days: 2024 4-28 and 5-11, 2025 4-27, 2026 5-9', () => {
    for (const [from, to] of [['2024-05-01', '2024-05-05'], ['2025-05-01', '2025-05-05'], ['2026-05-01', '2026-05-05']] as const) {
      expect(days(from, to).every((d) => !cal.isWorkingDay(d))).toBe(true);
    }
    for (const d of ['2024-04-28', '2024-05-11', '2025-04-27', '2026-05-09']) expect(cal.isWorkingDay(d), d).toBe(true);
  });

  it('has the nine-day 春节 2026 (2-15..23) between Saturdays 2-14 and 2-28 worked', () => {
    expect(days('2026-02-15', '2026-02-23').every((d) => !cal.isWorkingDay(d))).toBe(true);
    expect(cal.isWorkingDay('2026-02-14')).toBe(true);
    expect(cal.isWorkingDay('2026-02-28')).toBe(true);
    expect(cal.isWorkingDay('2026-01-04')).toBe(true);
  });

  // [first day off, last day off, 共N天 of the notice]; the day before and after each block is worked
  const blocks: Array<[string, string, number]> = [
    ['2024-02-10', '2024-02-17', 8], ['2024-04-04', '2024-04-06', 3], ['2024-05-01', '2024-05-05', 5], ['2024-06-08', '2024-06-10', 3],
    ['2024-09-15', '2024-09-17', 3], ['2024-10-01', '2024-10-07', 7],
    ['2025-01-01', '2025-01-01', 1], ['2025-01-28', '2025-02-04', 8], ['2025-04-04', '2025-04-06', 3], ['2025-05-01', '2025-05-05', 5],
    ['2025-05-31', '2025-06-02', 3], ['2025-10-01', '2025-10-08', 8],
    ['2026-01-01', '2026-01-03', 3], ['2026-02-15', '2026-02-23', 9], ['2026-04-04', '2026-04-06', 3], ['2026-05-01', '2026-05-05', 5],
    ['2026-06-19', '2026-06-21', 3], ['2026-09-25', '2026-09-27', 3], ['2026-10-01', '2026-10-07', 7],
  ];
  it.each(blocks)('is off from %s to %s, %i days, between two working days', (from, to, n) => {
    const block = days(from, to);
    expect(block).toHaveLength(n);
    expect(block.filter((d) => !cal.isWorkingDay(d))).toHaveLength(n);
    expect(cal.isWorkingDay(shiftDay(from, -1))).toBe(true);
    expect(cal.isWorkingDay(shiftDay(to, 1))).toBe(true);
  });

  it('holds the statutory holidays of each year: 11 in 2024, 13 from 2025 on (放假办法 as revised in 2024)', () => {
    const statutory = (y: number) => SHIPPED_DAYS.filter((d) => d.statutory && d.day.startsWith(`${y}-`));
    expect([2024, 2025, 2026, 2027].map((y) => statutory(y).length)).toEqual([11, 13, 13, 13]);
    expect(SHIPPED_DAYS.filter((d) => d.statutory).every((d) => d.kind === 'holiday')).toBe(true);
    // 除夕 is statutory from 2025 on
    expect(statutory(2025).map((d) => d.day)).toContain('2025-01-28');
    expect(statutory(2026).map((d) => d.day)).toContain('2026-02-16');
    expect(statutory(2024).map((d) => d.day)).not.toContain('2024-02-09');
  });

  it('puts make-up working days on weekends only, lists each day once and uses the seven festival names', () => {
    expect(SHIPPED_DAYS.filter((d) => d.kind === 'workday').every((d) => weekdayOf(d.day) >= 6)).toBe(true);
    expect(new Set(SHIPPED_DAYS.map((d) => d.day)).size).toBe(SHIPPED_DAYS.length);
    expect(SHIPPED_DAYS.every((d) => (HOLIDAY_NAMES as readonly string[]).includes(d.name))).toBe(true);
    expect(NOTICES.map((n) => n.year)).toEqual([2024, 2025, 2026, 2027]);
  });

  it('marks 2027, derived from the rules, as provisional and only 2027', () => {
    const y2027 = SHIPPED_DAYS.filter((d) => d.day.startsWith('2027-'));
    expect(y2027.length).toBeGreaterThan(0);
    expect(y2027.every((d) => d.provisional && d.source === PROVISIONAL_SOURCE)).toBe(true);
    expect(SHIPPED_DAYS.filter((d) => !d.day.startsWith('2027-')).some((d) => d.provisional)).toBe(false);
    // 除夕 Fri 2-5 to 初三 Mon 2-8, 补假 for 初一 and 初二 on the weekend
    expect(days('2027-02-05', '2027-02-10').every((d) => !cal.isWorkingDay(d))).toBe(true);
    expect(cal.isWorkingDay('2027-02-11')).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('counts the make-up Sunday before 春节 2025 and skips the whole holiday', () => {
    expect(cal.addWorkingDays('2025-01-24', 1)).toBe('2025-01-26');
    expect(cal.addWorkingDays('2025-01-24', 2)).toBe('2025-01-27');
    expect(cal.addWorkingDays('2025-01-24', 3)).toBe('2025-02-05');
    expect(cal.addWorkingDays('2025-02-07', 1)).toBe('2025-02-08');
  });

  it('crosses the year boundaries 2024→2025, 2025→2026 and 2026→2027', () => {
    expect(cal.addWorkingDays('2024-12-31', 1)).toBe('2025-01-02');
    expect(cal.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    expect(cal.addWorkingDays('2026-12-31', 1)).toBe('2027-01-04');
  });

  it('with n = 0 keeps a working day and moves a day off to the next working day', () => {
    expect(cal.addWorkingDays('2025-09-28', 0)).toBe('2025-09-28');
    expect(cal.addWorkingDays('2025-03-04', 0)).toBe('2025-03-04');
    expect(cal.addWorkingDays('2025-10-01', 0)).toBe('2025-10-09');
    expect(cal.addWorkingDays('2025-03-08', 0)).toBe('2025-03-10');
  });

  it('counts working days in (from, to]', () => {
    expect(cal.workingDaysBetween('2025-09-26', '2025-10-11')).toBe(6);
    expect(cal.workingDaysBetween('2025-01-24', '2025-02-08')).toBe(6);
    expect(cal.workingDaysBetween('2025-03-03', '2025-03-03')).toBe(0);
    expect(cal.workingDaysBetween('2025-03-07', '2025-03-03')).toBe(0);
    for (const n of [0, 1, 3, 10, 15]) expect(cal.workingDaysBetween('2025-09-29', cal.addWorkingDays('2025-09-29', n))).toBe(n);
  });
});

describe('deadlines', () => {
  it('ends 3 working days after Friday 2025-09-26 on Tuesday 9-30, counting the make-up Sunday 9-28', () => {
    const d = cal.deadline(at('2025-09-26T15:00:00'), 3);
    expect(d.toISOString()).toBe('2025-09-30T15:59:59.999Z');
    expect(d.getTime()).toBe(at('2025-09-30T23:59:59.999').getTime());
  });

  it('jumps the 国庆 holiday: 1 working day after 9-30 is 10-9, 5 is 10-14 with Saturday 10-11 worked', () => {
    expect(cal.deadline(at('2025-09-30T10:00:00'), 1).getTime()).toBe(endOfLocalDay('2025-10-09').getTime());
    expect(cal.deadline(at('2025-09-30T10:00:00'), 5).getTime()).toBe(endOfLocalDay('2025-10-14').getTime());
  });

  it('takes the local date in Asia/Shanghai: 00:30 on 10-1 is 10-1 even though UTC still says 9-30', () => {
    const start = new Date('2025-09-30T16:30:00Z');
    expect(cal.localDate(start)).toBe('2025-10-01');
    expect(cal.deadline(start, 0).getTime()).toBe(endOfLocalDay('2025-10-09').getTime());
  });

  it('does not depend on the process time zone', () => {
    const saved = process.env.TZ;
    try {
      for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati']) {
        process.env.TZ = tz;
        expect(localDateOf(new Date('2025-09-30T16:30:00Z'))).toBe('2025-10-01');
        expect(cal.deadline(at('2025-09-26T15:00:00'), 3).toISOString()).toBe('2025-09-30T15:59:59.999Z');
        expect(cal.isWorkingDay('2025-09-28')).toBe(true);
      }
    } finally {
      process.env.TZ = saved;
    }
  });

  it('counts natural hours for urgent matters, holidays included', () => {
    expect(cal.deadlineInHours(at('2025-09-30T20:00:00'), 24).getTime()).toBe(at('2025-10-01T20:00:00').getTime());
    expect(cal.deadlineInHours(at('2025-09-30T20:00:00'), 0.5).getTime()).toBe(at('2025-09-30T20:30:00').getTime());
  });
});

describe('elapsedShare', () => {
  const start = at('2025-09-26T15:00:00');
  const deadline = cal.deadline(start, 3);
  // allowed: 9 hours of Friday + make-up Sunday + Monday + Tuesday = 3.375 working days

  it('is 0 at the start and 1 at the deadline', () => {
    expect(cal.elapsedShare(start, deadline, at('2025-09-26T10:00:00'))).toBe(0);
    expect(cal.elapsedShare(start, deadline, start)).toBe(0);
    expect(cal.elapsedShare(start, deadline, deadline)).toBeCloseTo(1, 6);
  });

  it('does not move on the Saturday off and counts partial days as fractions', () => {
    expect(cal.elapsedShare(start, deadline, at('2025-09-27T12:00:00'))).toBeCloseTo(0.375 / 3.375, 6);
    expect(cal.elapsedShare(start, deadline, at('2025-09-28T00:00:00'))).toBeCloseTo(0.375 / 3.375, 6);
    expect(cal.elapsedShare(start, deadline, at('2025-09-30T00:00:00'))).toBeCloseTo(2.375 / 3.375, 6);
  });

  it('crosses 80 % (yellow) on Tuesday morning between 07:00 and 08:00', () => {
    expect(cal.elapsedShare(start, deadline, at('2025-09-30T07:00:00'))).toBeLessThan(0.8);
    expect(cal.elapsedShare(start, deadline, at('2025-09-30T08:00:00'))).toBeGreaterThanOrEqual(0.8);
  });

  it('stays at 1 through the holiday after the deadline and grows on the next working day', () => {
    expect(cal.elapsedShare(start, deadline, at('2025-10-03T12:00:00'))).toBeCloseTo(1, 6);
    expect(cal.elapsedShare(start, deadline, at('2025-10-09T12:00:00'))).toBeCloseTo(3.875 / 3.375, 6);
  });

  it('falls back to natural time for a span without working time', () => {
    const s = at('2025-10-02T00:00:00');
    const d = cal.deadlineInHours(s, 24);
    expect(cal.elapsedShare(s, d, at('2025-10-02T06:00:00'))).toBeCloseTo(0.25, 6);
  });
});

describe('the deadline rule across the 2026 holidays', () => {
  const normal = (days: number) => ({ priority: 'normal', time_limit_days: days });
  const critical = (days: number) => ({ priority: 'critical', time_limit_days: days });

  it('counts natural hours for critical matters and working days for every other', () => {
    expect(timeLimitOf(critical(2))).toEqual({ unit: 'hours', hours: 48 });
    expect(timeLimitOf(normal(5))).toEqual({ unit: 'working-days', days: 5 });
    expect(timeLimitOf({ priority: 'urgent', time_limit_days: 3 })).toEqual({ unit: 'working-days', days: 3 });
    expect(timeLimitOf({ priority: null, time_limit_days: 3 })).toEqual({ unit: 'working-days', days: 3 });
  });

  it('jumps 国庆 2026 (10-1..7) and counts the make-up Saturday 10-10', () => {
    const start = at('2026-09-29T10:00:00'); // a Tuesday
    expect(cal.deadlineOf(start, normal(1))).toEqual(endOfLocalDay('2026-09-30'));
    expect(cal.deadlineOf(start, normal(2))).toEqual(endOfLocalDay('2026-10-08'));
    expect(cal.deadlineOf(start, normal(4))).toEqual(endOfLocalDay('2026-10-10'));
    expect(cal.deadlineOf(start, normal(5))).toEqual(endOfLocalDay('2026-10-12'));
    expect(cal.deadlineOf(start, normal(5)).toISOString()).toBe('2026-10-12T15:59:59.999Z');
  });

  it('starts a case received inside the holiday from the next working day', () => {
    expect(cal.deadlineOf(at('2026-10-03T12:00:00'), normal(1))).toEqual(endOfLocalDay('2026-10-08'));
    // 00:30 on 10-01 is still the holiday locally though UTC says 9-30
    expect(cal.deadlineOf(new Date('2026-09-30T16:30:00Z'), normal(1))).toEqual(endOfLocalDay('2026-10-08'));
    expect(cal.deadlineOf(new Date('2026-09-30T15:30:00Z'), normal(1))).toEqual(endOfLocalDay('2026-10-08'));
    expect(cal.deadlineOf(new Date('2026-09-30T01:30:00Z'), normal(1))).toEqual(endOfLocalDay('2026-10-08'));
  });

  it('counts the make-up Sunday 9-20 and skips 中秋 (9-25..27)', () => {
    expect(cal.deadlineOf(at('2026-09-18T16:00:00'), normal(1))).toEqual(endOfLocalDay('2026-09-20'));
    expect(cal.deadlineOf(at('2026-09-24T09:00:00'), normal(1))).toEqual(endOfLocalDay('2026-09-28'));
  });

  it('runs a critical matter through the holiday by the clock', () => {
    expect(cal.deadlineOf(at('2026-09-30T20:00:00'), critical(1))).toEqual(at('2026-10-01T20:00:00'));
    expect(cal.deadlineOf(at('2026-02-16T08:00:00'), critical(2))).toEqual(at('2026-02-18T08:00:00'));
  });

  it('jumps 春节 2026 (2-15..23) and counts the make-up Saturdays 2-14 and 2-28', () => {
    const friday = at('2026-02-13T15:00:00');
    expect(cal.deadlineOf(friday, normal(1))).toEqual(endOfLocalDay('2026-02-14'));
    expect(cal.deadlineOf(friday, normal(2))).toEqual(endOfLocalDay('2026-02-24'));
    expect(cal.deadlineOf(friday, normal(3))).toEqual(endOfLocalDay('2026-02-25'));
    expect(cal.deadlineOf(at('2026-02-27T09:00:00'), normal(1))).toEqual(endOfLocalDay('2026-02-28'));
    expect(cal.workingDaysBetween('2026-02-13', '2026-02-28')).toBe(6);
  });

  it('uses working time across 春节: the share stands still during the holiday, the warning instant lies after it', () => {
    const start = at('2026-02-13T15:00:00');
    const deadline = cal.deadlineOf(start, normal(2));
    // allowed: 9 hours of Friday 2-13, Saturday 2-14 and Tuesday 2-24 = 2.375 working days (less the deadline's last millisecond)
    expect(cal.workingTime(start, deadline)).toBeCloseTo(2.375, 6);
    expect(cal.elapsedShare(start, deadline, at('2026-02-15T00:00:00'))).toBeCloseTo(1.375 / 2.375, 6);
    expect(cal.elapsedShare(start, deadline, at('2026-02-20T12:00:00'))).toBeCloseTo(1.375 / 2.375, 6);
    // 80 %: 1.9 days, 0.525 of a day into Tuesday 2-24, at 12:36
    expect(Math.abs(cal.shareReachedAt(start, deadline, 0.8).getTime() - at('2026-02-24T12:36:00').getTime())).toBeLessThanOrEqual(1);
    expect(cal.shareReachedAt(start, deadline, 1)).toEqual(deadline);
    expect(cal.shareReachedAt(start, deadline, 0)).toEqual(start);
  });

  it('falls back to the clock for a critical matter wholly inside the holiday', () => {
    const start = at('2026-10-02T08:00:00');
    const deadline = cal.deadlineOf(start, critical(1));
    expect(cal.shareReachedAt(start, deadline, 0.5)).toEqual(at('2026-10-02T20:00:00'));
  });

  it('fingerprints the overrides: the same days in any order give the same print, another day another', () => {
    const reversed = new WorkingCalendar([...SHIPPED_DAYS].reverse());
    expect(reversed.fingerprint).toBe(cal.fingerprint);
    expect(new WorkingCalendar([...SHIPPED_DAYS, { day: '2026-03-02', kind: 'holiday' }]).fingerprint).not.toBe(cal.fingerprint);
    expect(cal.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });
});
