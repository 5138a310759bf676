import crypto from 'node:crypto';
import type { DayKind } from './data.js';
import { DAY_MS, dayNumberOf, dayNumberStart, dayOfNumber, endOfLocalDay, localDateOf, localDayNumber } from './local-time.js';

/** A day that differs from the weekday rule. */
export interface CalendarOverride {
  day: string;
  kind: DayKind;
}

// a calendar that never reaches a working day again is broken data, not a long holiday
const MAX_SCAN_DAYS = 3_660;

/** How long a matter may take. */
export type TimeLimit = { unit: 'hours'; hours: number } | { unit: 'working-days'; days: number };

/** The deadline rule: a critical matter has natural hours (its limit's days × 24, holidays included), any other working days. */
export function timeLimitOf(matter: { priority: string | null; time_limit_days: number }): TimeLimit {
  return matter.priority === 'critical' ? { unit: 'hours', hours: matter.time_limit_days * 24 } : { unit: 'working-days', days: matter.time_limit_days };
}

const isoWeekday = (dayNumber: number) => ((((dayNumber + 3) % 7) + 7) % 7) + 1; // day 0, 1970-01-01, was a Thursday

/**
 * Working days of mainland China: Monday to Friday, except public holidays; Saturday and Sunday only when
 * they are make-up working days (调休). Days are local dates (local-time.ts) whatever the process TZ.
 */
export class WorkingCalendar {
  private readonly overrides: ReadonlyMap<number, DayKind>;
  /** A digest of the overrides: it changes whenever a day does. */
  readonly fingerprint: string;

  constructor(overrides: readonly CalendarOverride[]) {
    this.overrides = new Map(overrides.map((o) => [dayNumberOf(o.day), o.kind]));
    const listed = [...overrides].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0)).map((d) => `${d.day}:${d.kind}`);
    this.fingerprint = crypto.createHash('sha256').update(listed.join(',')).digest('hex').slice(0, 32);
  }

  private workingOn(dayNumber: number): boolean {
    const kind = this.overrides.get(dayNumber);
    if (kind) return kind === 'workday';
    return isoWeekday(dayNumber) <= 5;
  }

  /** Mon–Fri unless a holiday; Sat/Sun only if a make-up working day. */
  isWorkingDay(day: string): boolean {
    return this.workingOn(dayNumberOf(day));
  }

  /** The local date of an instant, 'YYYY-MM-DD'. */
  localDate(instant: Date): string {
    return localDateOf(instant);
  }

  /** The nth working day after `day`, not counting `day`; n = 0 gives `day` if working, else the next working day. */
  addWorkingDays(day: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
    let current = dayNumberOf(day);
    let left = n;
    if (n === 0) {
      if (this.workingOn(current)) return day;
      left = 1;
    }
    for (let scanned = 0; left > 0; scanned++) {
      if (scanned > MAX_SCAN_DAYS + n) throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days after ${day}`);
      current++;
      if (this.workingOn(current)) left--;
    }
    return dayOfNumber(current);
  }

  /** End (23:59:59.999 local time) of the nth working day after the local date of `start`. */
  deadline(start: Date, workingDays: number): Date {
    return endOfLocalDay(this.addWorkingDays(this.localDate(start), workingDays));
  }

  /** `hours` natural hours after `start`, holidays included (urgent matters). */
  deadlineInHours(start: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be ≥ 0: ${hours}`);
    return new Date(start.getTime() + hours * 3_600_000);
  }

  /** The deadline of a matter (or a case of it) started at `start`, by the one deadline rule (timeLimitOf). */
  deadlineOf(start: Date, matter: { priority: string | null; time_limit_days: number }): Date {
    const limit = timeLimitOf(matter);
    return limit.unit === 'hours' ? this.deadlineInHours(start, limit.hours) : this.deadline(start, limit.days);
  }

  /** Count of working days d with fromDay < d ≤ toDay; 0 when toDay is not after fromDay. */
  workingDaysBetween(fromDay: string, toDay: string): number {
    const to = dayNumberOf(toDay);
    let count = 0;
    for (let d = dayNumberOf(fromDay) + 1; d <= to; d++) if (this.workingOn(d)) count++;
    return count;
  }

  /** Working time in [a, b) (milliseconds), in days: each working day counts by the share of its 24 local hours inside the span. */
  private between(a: number, b: number): number {
    if (!(b > a)) return 0;
    let total = 0;
    for (let d = localDayNumber(a); ; d++) {
      const start = dayNumberStart(d);
      if (start >= b) break;
      if (this.workingOn(d)) total += (Math.min(b, start + DAY_MS) - Math.max(a, start)) / DAY_MS;
    }
    return total;
  }

  /** The instant at which `target` days of working time after `a` are used, or null if not before `limit`. */
  private reach(a: number, target: number, limit: number): number | null {
    let used = 0;
    for (let d = localDayNumber(a); ; d++) {
      const start = dayNumberStart(d);
      if (start >= limit) return null;
      if (!this.workingOn(d)) continue;
      const from = Math.max(a, start);
      const part = (start + DAY_MS - from) / DAY_MS;
      if (used + part >= target) return from + (target - used) * DAY_MS;
      used += part;
    }
  }

  /** Working time in [from, to), in days: each working day counts by the share of its 24 hours inside the span. */
  workingTime(from: Date, to: Date): number {
    return this.between(from.getTime(), to.getTime());
  }

  /**
   * Share of the allowed working time used by `now`: working time from start to now over working time from
   * start to deadline (partial days as fractions of the day). 0 before the start; ≥ 1 once due, and it keeps
   * growing with working time after the deadline. A span without working time (an urgent matter inside a
   * holiday) falls back to natural time.
   */
  elapsedShare(start: Date, deadline: Date, now: Date): number {
    if (now.getTime() <= start.getTime()) return 0;
    const allowed = this.workingTime(start, deadline);
    if (allowed > 0) return this.workingTime(start, now) / allowed;
    const span = deadline.getTime() - start.getTime();
    return span > 0 ? (now.getTime() - start.getTime()) / span : 1;
  }

  /**
   * The instant (to the millisecond, rounded down) from which elapsedShare reaches `share`, or the deadline if
   * that comes first; the start for a share of 0.
   */
  shareReachedAt(start: Date, deadline: Date, share: number): Date {
    const a = start.getTime();
    const b = deadline.getTime();
    if (share <= 0) return new Date(Math.min(a, b));
    const allowed = this.between(a, b);
    const at = allowed > 0 ? this.reach(a, share * allowed, b) : b > a ? a + share * (b - a) : a;
    return new Date(Math.floor(Math.min(at ?? b, b)));
  }
}
