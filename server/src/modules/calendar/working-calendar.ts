import type { DayKind } from './data.js';

/** A day that differs from the weekday rule. */
export interface CalendarOverride {
  day: string;
  kind: DayKind;
}

const DAY_MS = 86_400_000;
// Asia/Shanghai has been UTC+8 without daylight saving since 1992: fixed-offset arithmetic is exact
const OFFSET_MS = 8 * 3_600_000;
// a calendar that never reaches a working day again is broken data, not a long holiday
const MAX_SCAN_DAYS = 3_660;
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Milliseconds of 00:00 UTC of a 'YYYY-MM-DD' day, or NaN when the text is not a real date. */
function utcMidnight(day: string): number {
  const m = DAY_PATTERN.exec(day);
  if (!m) return Number.NaN;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99; a day past the month's end rolls over and is refused
  const back = new Date(0);
  back.setUTCFullYear(y, mo - 1, d);
  return back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d ? back.getTime() : Number.NaN;
}

/** True for a real calendar date written 'YYYY-MM-DD'. */
export function isValidDay(day: string): boolean {
  return !Number.isNaN(utcMidnight(day));
}

function toMs(day: string): number {
  const t = utcMidnight(day);
  if (Number.isNaN(t)) throw new RangeError(`not a date 'YYYY-MM-DD': ${day}`);
  return t;
}

const fromMs = (t: number) => new Date(t).toISOString().slice(0, 10);

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: string): number {
  return new Date(toMs(day)).getUTCDay() || 7;
}

/** The day after (n = 1) or before (n = -1) a day. */
export function shiftDay(day: string, n: number): string {
  return fromMs(toMs(day) + n * DAY_MS);
}

/** The local date (Asia/Shanghai) of an instant, 'YYYY-MM-DD'. */
export function localDateOf(instant: Date): string {
  return fromMs(instant.getTime() + OFFSET_MS);
}

/** The instant a local day starts in Asia/Shanghai (00:00 +08:00). */
export function startOfLocalDay(day: string): Date {
  return new Date(toMs(day) - OFFSET_MS);
}

/** The last millisecond of a local day in Asia/Shanghai (23:59:59.999 +08:00). */
export function endOfLocalDay(day: string): Date {
  return new Date(toMs(day) + DAY_MS - OFFSET_MS - 1);
}

/**
 * Working days of mainland China: Monday to Friday, except public holidays; Saturday and Sunday only when
 * they are make-up working days (调休). Days are local dates in Asia/Shanghai whatever the process TZ.
 */
export class WorkingCalendar {
  private readonly overrides: ReadonlyMap<string, DayKind>;

  constructor(overrides: readonly CalendarOverride[]) {
    this.overrides = new Map(overrides.map((o) => [o.day, o.kind]));
  }

  /** Mon–Fri unless a holiday; Sat/Sun only if a make-up working day. */
  isWorkingDay(day: string): boolean {
    const kind = this.overrides.get(day);
    if (kind) return kind === 'workday';
    return weekdayOf(day) <= 5;
  }

  /** The local date (Asia/Shanghai) of an instant, 'YYYY-MM-DD'. */
  localDate(instant: Date): string {
    return localDateOf(instant);
  }

  /** The nth working day after `day`, not counting `day`; n = 0 gives `day` if working, else the next working day. */
  addWorkingDays(day: string, n: number): string {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${n}`);
    let current = toMs(day);
    let left = n;
    if (n === 0) {
      if (this.isWorkingDay(day)) return day;
      left = 1;
    }
    for (let scanned = 0; left > 0; scanned++) {
      if (scanned > MAX_SCAN_DAYS + n) throw new RangeError(`no working day within ${MAX_SCAN_DAYS} days after ${day}`);
      current += DAY_MS;
      if (this.isWorkingDay(fromMs(current))) left--;
    }
    return fromMs(current);
  }

  /** End (23:59:59.999 +08:00) of the nth working day after the local date of `start`. */
  deadline(start: Date, workingDays: number): Date {
    return endOfLocalDay(this.addWorkingDays(this.localDate(start), workingDays));
  }

  /** `hours` natural hours after `start`, holidays included (urgent matters). */
  deadlineInHours(start: Date, hours: number): Date {
    if (!Number.isFinite(hours) || hours < 0) throw new RangeError(`hours must be ≥ 0: ${hours}`);
    return new Date(start.getTime() + hours * 3_600_000);
  }

  /** Count of working days d with fromDay < d ≤ toDay; 0 when toDay is not after fromDay. */
  workingDaysBetween(fromDay: string, toDay: string): number {
    const from = toMs(fromDay);
    const to = toMs(toDay);
    let count = 0;
    for (let t = from + DAY_MS; t <= to; t += DAY_MS) if (this.isWorkingDay(fromMs(t))) count++;
    return count;
  }

  /** Working time in [from, to), in days: each working day counts by the share of its 24 hours inside the span. */
  workingTime(from: Date, to: Date): number {
    const a = from.getTime();
    const b = to.getTime();
    if (!(b > a)) return 0;
    let total = 0;
    for (let day = this.localDate(from); ; day = shiftDay(day, 1)) {
      const start = startOfLocalDay(day).getTime();
      if (start >= b) break;
      if (this.isWorkingDay(day)) total += (Math.min(b, start + DAY_MS) - Math.max(a, start)) / DAY_MS;
    }
    return total;
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
}
