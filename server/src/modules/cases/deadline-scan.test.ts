import { describe, expect, it } from 'vitest';
import { SHIPPED_DAYS, WorkingCalendar } from '../calendar/index.js';
import { warningNextAt } from './deadline-scan.js';
import { mulberry32 } from '../../demo/random.js';

const calendar = new WorkingCalendar(SHIPPED_DAYS.map((d) => ({ day: d.day, kind: d.kind })));
const HOUR = 3_600_000;

describe('warningNextAt', () => {
  const rand = mulberry32(7);
  // starts over two years of holidays and make-up days, limits from hours to 30 working days
  const cases = Array.from({ length: 1500 }, () => {
    const start = new Date(Date.UTC(2025, 0, 1) + rand() * 700 * 24 * HOUR);
    const deadline =
      rand() < 0.15 ? calendar.deadlineInHours(start, Math.round(1 + rand() * 72)) : calendar.deadline(start, Math.floor(rand() * 30));
    return { start, deadline, share: [0.5, 0.8, 0.8, 0.9, 1][Math.floor(rand() * 5)]! };
  });

  it('is never later than the instant the share of working time is reached, nor than the deadline', () => {
    for (const c of cases) {
      const next = warningNextAt(calendar, c.start, c.deadline, c.share);
      expect(next.getTime()).toBeLessThan(c.deadline.getTime());
      // the last instant before `next` has not reached the share: it is the first one that has, give or take 2 ms
      expect(calendar.elapsedShare(c.start, c.deadline, new Date(next.getTime() - 1))).toBeLessThan(c.share);
      const reached = calendar.elapsedShare(c.start, c.deadline, new Date(next.getTime() + 2)) >= c.share;
      if (!reached) {
        // only when the deadline comes first (a share of 1 meets it exactly)
        expect(next.getTime() + 1).toBeGreaterThanOrEqual(c.deadline.getTime() - 1);
      }
    }
  });

  it('matches elapsedShare at random instants', () => {
    for (const c of cases) {
      const next = warningNextAt(calendar, c.start, c.deadline, c.share).getTime();
      for (let i = 0; i < 5; i++) {
        const now = c.start.getTime() + (rand() * 1.2 - 0.1) * (c.deadline.getTime() - c.start.getTime());
        if (now > c.deadline.getTime()) continue;
        if (calendar.elapsedShare(c.start, c.deadline, new Date(now)) >= c.share) expect(now).toBeGreaterThanOrEqual(next);
      }
    }
  });

  it('falls back to natural time when the span has no working time, and to the start for a share of 0', () => {
    const sat = new Date('2026-10-03T02:00:00Z'); // National Day holiday
    const deadline = new Date(sat.getTime() + 10 * HOUR);
    expect(warningNextAt(calendar, sat, deadline, 0.8).getTime()).toBe(sat.getTime() + 8 * HOUR - 1);
    expect(warningNextAt(calendar, sat, deadline, 0).getTime()).toBe(sat.getTime() - 1);
  });
});
