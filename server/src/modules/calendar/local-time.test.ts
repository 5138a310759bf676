import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors.js';
import {
  dayInput,
  daysBetween,
  endOfLocalDay,
  localDateOf,
  localDateTime,
  localDayRange,
  localIso,
  localMonth,
  monthStart,
  nextMonthStart,
  shiftDay,
  startOfLocalDay,
  weekStart,
} from './local-time.js';

describe('local days', () => {
  it('turns at local midnight, eight hours before UTC', () => {
    expect(localDateOf(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
    expect(localDateOf(new Date('2026-09-30T16:00:00Z'))).toBe('2026-10-01');
    expect(localDateOf(new Date('2026-03-01T16:30:00Z'))).toBe('2026-03-02');
    expect(startOfLocalDay('2026-10-01').toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(endOfLocalDay('2026-10-01').toISOString()).toBe('2026-10-01T15:59:59.999Z');
    expect(localDayRange('2026-02-17')).toEqual({ from: new Date('2026-02-16T16:00:00Z'), to: new Date('2026-02-17T16:00:00Z') });
  });

  it('counts and shifts days across months, years and 29 February', () => {
    expect(shiftDay('2028-02-28', 1)).toBe('2028-02-29');
    expect(shiftDay('2026-03-01', -1)).toBe('2026-02-28');
    expect(shiftDay('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysBetween('2026-12-30', '2027-01-02')).toBe(3);
    expect(daysBetween('2026-10-07', '2026-10-01')).toBe(-6);
    expect(daysBetween('2026-10-01', '2026-10-01')).toBe(0);
  });

  it('finds the Monday of the ISO week and the months around a day', () => {
    expect(weekStart('2026-10-01')).toBe('2026-09-28'); // a Thursday
    expect(weekStart('2026-10-04')).toBe('2026-09-28'); // a Sunday
    expect(weekStart('2026-09-28')).toBe('2026-09-28');
    expect(weekStart('2027-01-01')).toBe('2026-12-28');
    expect(monthStart('2026-02-17')).toBe('2026-02-01');
    expect(nextMonthStart('2026-02-17')).toBe('2026-03-01');
    expect(nextMonthStart('2026-12-31')).toBe('2027-01-01');
  });

  it('bounds a local month by its local midnights', () => {
    expect(localMonth('2026-02')).toEqual({ firstDay: '2026-02-01', nextFirstDay: '2026-03-01', from: new Date('2026-01-31T16:00:00Z'), to: new Date('2026-02-28T16:00:00Z') });
    expect(localMonth('2026-12').nextFirstDay).toBe('2027-01-01');
  });

  it('refuses a date that does not exist: a RangeError inside, a 400 naming the field for a client', () => {
    expect(() => shiftDay('2026-02-29', 1)).toThrow(RangeError);
    expect(() => startOfLocalDay('2026-13-01')).toThrow(/Invalid time value/);
    expect(dayInput('day', '2028-02-29')).toBe('2028-02-29');
    try {
      dayInput('from', '2026-02-30');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ status: 400, field: 'from' });
    }
  });
});

describe('local times as text', () => {
  it('writes the local date and time to the minute or the second', () => {
    const at = new Date('2026-11-21T01:30:05Z');
    expect(localDateTime(at)).toBe('2026-11-21 09:30');
    expect(localDateTime(at, 'second')).toBe('2026-11-21 09:30:05');
    expect(localDateTime(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01-01 00:00');
  });

  it('writes ISO 8601 with the local offset', () => {
    expect(localIso(new Date('2026-11-21T01:30:00.250Z'))).toBe('2026-11-21T09:30:00+08:00');
    expect(new Date(localIso(new Date('2026-09-30T16:00:00Z'))).toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });
});
