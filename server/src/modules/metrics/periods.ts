import { badRequest } from '../../http/errors.js';
import { daysBetween, isValidDay, localDateOf, monthStart, nextMonthStart, shiftDay, startOfLocalDay, weekStart } from '../calendar/index.js';

export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];

export const DEFAULT_WINDOW_DAYS = 30;
/** Three years: enough to compare a month with the same month two years before, small enough for one query. */
export const MAX_WINDOW_DAYS = 1096;

/** A report's window: local days `from` to `to` inclusive, and the instants [start, end) they cover. */
export interface Window {
  from: string;
  to: string;
  start: Date;
  end: Date;
}

/** The window asked for; by default the 30 local days ending today. */
export function metricsWindow(q: { from?: string | undefined; to?: string | undefined }, now: Date): Window {
  for (const field of ['from', 'to'] as const) {
    const v = q[field];
    if (v !== undefined && !isValidDay(v)) throw badRequest(field, `字段 ${field} 不是有效日期（YYYY-MM-DD）`, `Field ${field} is not a valid date (YYYY-MM-DD)`);
  }
  const to = q.to ?? (q.from !== undefined ? maxDay(q.from, localDateOf(now)) : localDateOf(now));
  const from = q.from ?? shiftDay(to, 1 - DEFAULT_WINDOW_DAYS);
  if (from > to) throw badRequest('from', '开始日期不能晚于结束日期', 'from must not be after to');
  if (daysBetween(from, to) + 1 > MAX_WINDOW_DAYS) {
    throw badRequest('from', `统计区间最长 ${MAX_WINDOW_DAYS} 天`, `The window spans at most ${MAX_WINDOW_DAYS} days`);
  }
  return { from, to, start: startOfLocalDay(from), end: startOfLocalDay(shiftDay(to, 1)) };
}

const maxDay = (a: string, b: string) => (a > b ? a : b);

/** The first day of the period holding a day: itself, the Monday of its ISO week, or the 1st of its month. */
export function periodStart(day: string, period: Period): string {
  if (period === 'day') return day;
  if (period === 'week') return weekStart(day);
  return monthStart(day);
}

function nextPeriod(start: string, period: Period): string {
  if (period === 'day') return shiftDay(start, 1);
  if (period === 'week') return shiftDay(start, 7);
  return nextMonthStart(start);
}

/** Every period touching the window, so a chart has no gaps: their first days, oldest first. */
export function periodKeys(from: string, to: string, period: Period): string[] {
  const keys: string[] = [];
  for (let k = periodStart(from, period); k <= to; k = nextPeriod(k, period)) keys.push(k);
  return keys;
}

/** 2026-11-21, 2026-W47 (ISO week, the year of its Thursday), 2026-11. */
export function periodLabel(key: string, period: Period): string {
  if (period === 'day') return key;
  if (period === 'month') return key.slice(0, 7);
  const thursday = shiftDay(key, 3);
  const year = thursday.slice(0, 4);
  const week = Math.floor(daysBetween(`${year}-01-01`, thursday) / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
