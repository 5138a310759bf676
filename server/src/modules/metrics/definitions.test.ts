import { describe, expect, it } from 'vitest';
import { COUNT_FIELDS, type Counts, ratesOf, ratio, sumCounts, withRates, zeroCounts } from './definitions.js';

const counts = (c: Partial<Counts>): Counts => ({ ...zeroCounts(), ...c });

describe('ratio', () => {
  it('is null when the denominator is 0, even with a 0 numerator', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(3, 0)).toBeNull();
  });

  it('rounds to 4 decimals, half away from zero', () => {
    expect(ratio(2, 3)).toBe(0.6667);
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(1, 7)).toBe(0.1429);
    expect(ratio(1, 8)).toBe(0.125);
    expect(ratio(1, 20000)).toBe(0.0001); // 0.00005 rounds up
    expect(ratio(1, 20001)).toBe(0);
    expect(ratio(0, 5)).toBe(0);
    expect(ratio(5, 5)).toBe(1);
  });
});

describe('ratesOf', () => {
  it('gives null for every rate of an empty group', () => {
    expect(Object.values(ratesOf(zeroCounts())).every((r) => r === null)).toBe(true);
  });

  it('divides each numerator by its own denominator', () => {
    const c = counts({
      registered: 9,
      dispatched: 7,
      dueForResponse: 6,
      responded: 4,
      closed: 4,
      resolved: 3,
      rated: 3,
      satisfied: 1,
      basicallySatisfied: 1,
      unsatisfied: 1,
      closedWithDeadline: 4,
      onTime: 3,
      openOverdue: 1,
      reworked: 1,
      extended: 1,
    });
    expect(ratesOf(c)).toEqual({
      responseRate: 0.6667,
      resolutionRate: 0.75,
      satisfactionRate: 0.6667,
      closureRate: 0.4444,
      onTimeRate: 0.6,
      reworkRate: 0.25,
      extensionRate: 0.1429,
    });
  });

  it('counts open overdue cases against the on-time rate', () => {
    const closedOnly = counts({ closed: 4, closedWithDeadline: 4, onTime: 4 });
    expect(ratesOf(closedOnly).onTimeRate).toBe(1);
    expect(ratesOf({ ...closedOnly, openOverdue: 4 }).onTimeRate).toBe(0.5);
    // nothing closed yet, but overdue: 0, not "no data"
    expect(ratesOf(counts({ openOverdue: 2 })).onTimeRate).toBe(0);
  });

  it('counts basically satisfied as satisfied; a group with no dispatch has no response rate', () => {
    const r = ratesOf(counts({ registered: 1, closed: 1, resolved: 1, rated: 2, basicallySatisfied: 1, unsatisfied: 1 }));
    expect(r.satisfactionRate).toBe(0.5);
    expect(r.responseRate).toBeNull();
    expect(r.extensionRate).toBeNull();
    expect(r.closureRate).toBe(1);
  });
});

describe('sumCounts', () => {
  it('adds field by field, and rates of the sum are not averages of rates', () => {
    const a = counts({ registered: 1, closed: 1, resolved: 1 });
    const b = counts({ registered: 3, closed: 3, resolved: 0 });
    const total = sumCounts([a, b]);
    expect(total).toMatchObject({ registered: 4, closed: 4, resolved: 1 });
    expect(withRates(total).resolutionRate).toBe(0.25);
    expect(sumCounts([])).toEqual(zeroCounts());
    expect(Object.keys(total)).toEqual([...COUNT_FIELDS]);
  });
});
