import { describe, expect, it } from 'vitest';
import { nextVisitDue, riskOfGrade, visitIntervalDays, visitState } from './schedule.js';

describe('visit schedules', () => {
  it('visits more often as the risk rises', () => {
    expect(visitIntervalDays('community_correction', 'low')).toBe(30);
    expect(visitIntervalDays('community_correction', 'high')).toBe(7);
    expect(visitIntervalDays('released_person', 'low')).toBe(90);
    expect(visitIntervalDays('elderly_alone', 'medium')).toBe(14);
  });

  it('follows the six-grade assessment for severe mental disorders, and the risk level without a grade', () => {
    expect([0, 1, 2, 3, 4, 5].map((g) => visitIntervalDays('severe_mental', 'low', g))).toEqual([90, 30, 30, 14, 7, 7]);
    expect(visitIntervalDays('severe_mental', 'high', null)).toBe(7);
    expect([0, 2, 3].map(riskOfGrade)).toEqual(['low', 'medium', 'high']);
  });

  it('counts from the last visit, or from registration', () => {
    expect(nextVisitDue({ group: 'drug_rehab', risk: 'medium', registeredOn: '2026-01-25' })).toBe('2026-02-08');
    expect(nextVisitDue({ group: 'drug_rehab', risk: 'medium', registeredOn: '2026-01-01', lastVisitOn: '2026-02-20' })).toBe('2026-03-06');
  });

  it('tells missed, due today and due soon apart', () => {
    expect(visitState('2026-03-01', '2026-03-02')).toBe('missed');
    expect(visitState('2026-03-02', '2026-03-02')).toBe('due_today');
    expect(visitState('2026-03-05', '2026-03-02')).toBe('due_soon');
    expect(visitState('2026-03-10', '2026-03-02')).toBe('ok');
  });
});
