import { describe, expect, it } from 'vitest';
import { DEFAULT_WEIGHTS, type MonthlyFigures, monthlyScore, rank, weightsFrom } from './performance.js';
import { mergeTrack, trackLength } from './track.js';

const base: MonthlyFigures = { patrols: 20, patrolKm: 40, visitsDone: 10, visitsMissed: 0, visitsOnTime: 8, scheduledVisits: 8, reports: 10, reportsConfirmed: 10, reportsDuplicate: 0, reportsRejected: 0, reportsSameDay: 10 };

describe('monthly score', () => {
  it('gives a full month 100', () => {
    expect(monthlyScore(base).total).toBe(100);
  });

  it('takes points off for missed visits, duplicates and late reports', () => {
    const s = monthlyScore({ ...base, visitsMissed: 4, visitsOnTime: 4, reportsConfirmed: 6, reportsDuplicate: 2, reportsRejected: 2, reportsSameDay: 5 });
    expect(s.parts).toEqual({ patrols: 20, visits: 15, reports: 25, quality: 9, timeliness: 5 });
    expect(s.total).toBe(74);
  });

  it('scores an empty month by what it could have done, and scales any weights to 100', () => {
    const empty = { ...base, patrols: 0, visitsDone: 0, visitsOnTime: 0, scheduledVisits: 0, reports: 0, reportsConfirmed: 0, reportsSameDay: 0 };
    expect(monthlyScore(empty).total).toBe(55);
    expect(monthlyScore(base, { patrols: 1, visits: 1, reports: 1, quality: 1, timeliness: 1 }).total).toBe(100);
    expect(monthlyScore({ ...base, patrols: 10 }, { patrols: 1, visits: 0, reports: 0, quality: 0, timeliness: 0 }).total).toBe(50);
  });

  it('ranks with ties and reads weights defensively', () => {
    expect(rank([{ score: 50 }, { score: 90 }, { score: 50 }, { score: 10 }]).map((r) => r.rank)).toEqual([1, 2, 2, 4]);
    expect(weightsFrom({ patrols: 5, visits: 'x', reports: -1 })).toEqual({ ...DEFAULT_WEIGHTS, patrols: 5 });
    expect(weightsFrom(null)).toEqual(DEFAULT_WEIGHTS);
  });
});

describe('patrol track', () => {
  it('merges resent and out-of-order points and measures the track', () => {
    const t0 = 1_760_000_000_000;
    const merged = mergeTrack([[111.55, 40.76, t0], [111.551, 40.76, t0 + 60_000]], [[111.551, 40.76, t0 + 60_000], [111.552, 40.76, t0 + 30_000]]);
    expect(merged.map((p) => p[2])).toEqual([t0, t0 + 30_000, t0 + 60_000]);
    expect(trackLength([[111.55, 40.76, t0], [111.551, 40.76, t0 + 60_000]])).toBe(84);
    // a 5 km jump in 10 s is a bad fix, not a walk
    expect(trackLength([[111.55, 40.76, t0], [111.61, 40.76, t0 + 10_000]])).toBe(0);
  });
});
