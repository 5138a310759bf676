import { describe, expect, it } from 'vitest';
import { AppError } from '../../http/errors.js';
import { metricsWindow, periodKeys, periodLabel, periodStart } from './periods.js';

describe('metricsWindow', () => {
  // 2026-11-21 23:30 in Shanghai is 15:30 UTC: "today" is the local day
  const now = new Date('2026-11-21T15:30:00Z');

  it('defaults to the 30 local days ending today, as instants at +08:00', () => {
    expect(metricsWindow({}, now)).toEqual({ from: '2026-10-23', to: '2026-11-21', start: new Date('2026-10-22T16:00:00Z'), end: new Date('2026-11-21T16:00:00Z') });
    expect(metricsWindow({}, new Date('2026-11-21T16:30:00Z')).to).toBe('2026-11-22');
  });

  it('takes 30 days before a given end, and today after a given start', () => {
    expect(metricsWindow({ to: '2026-03-01' }, now).from).toBe('2026-01-31');
    expect(metricsWindow({ from: '2026-11-01' }, now).to).toBe('2026-11-21');
    expect(metricsWindow({ from: '2026-11-01', to: '2026-11-01' }, now)).toMatchObject({ start: new Date('2026-10-31T16:00:00Z'), end: new Date('2026-11-01T16:00:00Z') });
  });

  it('refuses impossible dates, reversed and overlong windows, naming the field', () => {
    const fieldOf = (q: { from?: string; to?: string }) => {
      try {
        metricsWindow(q, now);
        return null;
      } catch (e) {
        return (e as AppError).field;
      }
    };
    expect(fieldOf({ from: '2026-02-30' })).toBe('from');
    expect(fieldOf({ to: '2026-13-01' })).toBe('to');
    expect(fieldOf({ from: '2026-11-02', to: '2026-11-01' })).toBe('from');
    expect(fieldOf({ from: '2020-01-01', to: '2026-11-01' })).toBe('from');
    expect(fieldOf({ from: '2024-01-01', to: '2026-12-31' })).toBeNull();
  });
});

describe('periods', () => {
  it('starts weeks on Monday and months on the 1st', () => {
    expect(periodStart('2026-11-22', 'week')).toBe('2026-11-16'); // a Sunday
    expect(periodStart('2026-11-23', 'week')).toBe('2026-11-23'); // a Monday
    expect(periodStart('2026-11-21', 'month')).toBe('2026-11-01');
    expect(periodStart('2026-11-21', 'day')).toBe('2026-11-21');
  });

  it('lists every period touching the window, across a year end', () => {
    expect(periodKeys('2026-12-30', '2027-01-02', 'day')).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
    expect(periodKeys('2026-12-20', '2027-01-06', 'week')).toEqual(['2026-12-14', '2026-12-21', '2026-12-28', '2027-01-04']);
    expect(periodKeys('2026-11-15', '2027-02-01', 'month')).toEqual(['2026-11-01', '2026-12-01', '2027-01-01', '2027-02-01']);
  });

  it('labels ISO weeks by the year of their Thursday', () => {
    expect(periodLabel('2026-11-16', 'week')).toBe('2026-W47');
    expect(periodLabel('2026-12-28', 'week')).toBe('2026-W53'); // 2026 has 53 ISO weeks
    expect(periodLabel('2027-01-04', 'week')).toBe('2027-W01');
    expect(periodLabel('2024-12-30', 'week')).toBe('2025-W01');
    expect(periodLabel('2026-11-01', 'month')).toBe('2026-11');
    expect(periodLabel('2026-11-21', 'day')).toBe('2026-11-21');
  });
});
