/**
 * Visit schedules of people served, pure. How often a person must be visited depends on the care group and the
 * risk level; patients with severe mental disorders follow their six-grade risk assessment (0–5) instead.
 */
import { daysBetween, shiftDay } from '../calendar/index.js';

export const CARE_GROUPS = {
  community_correction: { zh: '社区矫正对象', en: 'Community-corrections subject' },
  released_person: { zh: '刑满释放人员（安置帮教）', en: 'Released person under resettlement help' },
  drug_rehab: { zh: '社区戒毒社区康复人员', en: 'Drug user in community rehabilitation' },
  severe_mental: { zh: '严重精神障碍患者', en: 'Patient with a severe mental disorder' },
  at_risk_minor: { zh: '重点青少年（困境未成年人）', en: 'At-risk minor' },
  elderly_alone: { zh: '独居老人', en: 'Elderly living alone' },
  left_behind_child: { zh: '留守儿童', en: 'Left-behind child' },
  hardship_family: { zh: '困难家庭', en: 'Family in hardship' },
} as const;
export type CareGroup = keyof typeof CARE_GROUPS;
export const CARE_GROUP_KEYS = Object.keys(CARE_GROUPS) as CareGroup[];

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Days between visits by group and risk level (low, medium, high). */
const INTERVALS: Record<Exclude<CareGroup, 'severe_mental'>, Record<RiskLevel, number>> = {
  community_correction: { low: 30, medium: 14, high: 7 },
  released_person: { low: 90, medium: 30, high: 14 },
  drug_rehab: { low: 30, medium: 14, high: 7 },
  at_risk_minor: { low: 30, medium: 14, high: 7 },
  elderly_alone: { low: 30, medium: 14, high: 7 },
  left_behind_child: { low: 30, medium: 14, high: 7 },
  hardship_family: { low: 90, medium: 30, high: 14 },
};

/** Severe mental disorders: grade 0 stable (quarterly), 1–2 monthly, 3 fortnightly, 4–5 weekly. */
const MENTAL_BY_GRADE = [90, 30, 30, 14, 7, 7] as const;

export function visitIntervalDays(group: CareGroup, risk: RiskLevel, grade?: number | null): number {
  if (group === 'severe_mental') {
    if (grade !== null && grade !== undefined && grade >= 0 && grade <= 5) return MENTAL_BY_GRADE[grade]!;
    return risk === 'high' ? 7 : risk === 'medium' ? 14 : 30;
  }
  return INTERVALS[group][risk];
}

/** The risk level a mental-disorder grade implies: 0 low, 1–2 medium, 3–5 high. */
export function riskOfGrade(grade: number): RiskLevel {
  return grade >= 3 ? 'high' : grade >= 1 ? 'medium' : 'low';
}

/** The next visit is due one interval after the last visit, or after registration when there was none. */
export function nextVisitDue(p: { group: CareGroup; risk: RiskLevel; grade?: number | null; registeredOn: string; lastVisitOn?: string | null }): string {
  return shiftDay(p.lastVisitOn ?? p.registeredOn, visitIntervalDays(p.group, p.risk, p.grade));
}

export type VisitState = 'ok' | 'due_soon' | 'due_today' | 'missed';

/** Missed once the due day is over; due soon within three days. */
export function visitState(nextDue: string, today: string): VisitState {
  const left = daysBetween(today, nextDue);
  if (left < 0) return 'missed';
  if (left === 0) return 'due_today';
  return left <= 3 ? 'due_soon' : 'ok';
}
