import { badRequest } from '../../http/errors.js';

/**
 * The platform's time zone: local days, deadlines, reports and printed times are all in it, whatever the
 * process's TZ. Asia/Shanghai has kept UTC+8 without daylight saving since 1992, so a fixed offset is exact.
 */
export const LOCAL_ZONE = 'Asia/Shanghai';
/** The zone's offset as ISO 8601 writes it. */
export const LOCAL_OFFSET = '+08:00';
const OFFSET_MS = Date.parse('1970-01-01T00:00:00Z') - Date.parse(`1970-01-01T00:00:00${LOCAL_OFFSET}`);

export const DAY_MS = 86_400_000;
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

/** A day given by a client: the day itself when it is a real date, else 400 naming the field. */
export function dayInput(field: string, day: string): string {
  if (!isValidDay(day)) throw badRequest(field, `日期 ${day} 不存在，应为 YYYY-MM-DD`, `${day} is not a real date 'YYYY-MM-DD'`);
  return day;
}

function toMs(day: string): number {
  const t = utcMidnight(day);
  // 'Invalid time value' is how http/errors.ts knows an impossible date from a client: it answers 400
  if (Number.isNaN(t)) throw new RangeError(`Invalid time value: not a date 'YYYY-MM-DD': ${day}`);
  return t;
}

const fromMs = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The number of a local day (days since 1970-01-01): the day an instant falls on, and the day a date names. */
export const localDayNumber = (instant: number) => Math.floor((instant + OFFSET_MS) / DAY_MS);
export const dayNumberOf = (day: string) => toMs(day) / DAY_MS;
export const dayOfNumber = (n: number) => fromMs(n * DAY_MS);
/** The instant a local day, by number, starts. */
export const dayNumberStart = (n: number) => n * DAY_MS - OFFSET_MS;

/** ISO weekday of a day: 1 = Monday … 7 = Sunday. */
export function weekdayOf(day: string): number {
  return new Date(toMs(day)).getUTCDay() || 7;
}

/** The day `n` days after (or, for n < 0, before) a day. */
export function shiftDay(day: string, n: number): string {
  return fromMs(toMs(day) + n * DAY_MS);
}

/** Days from one day to another: 3 from 2026-12-30 to 2027-01-02, negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  return Math.round((toMs(to) - toMs(from)) / DAY_MS);
}

/** The local date of an instant, 'YYYY-MM-DD'. */
export function localDateOf(instant: Date): string {
  return fromMs(instant.getTime() + OFFSET_MS);
}

/** The instant a local day starts (00:00 local time). */
export function startOfLocalDay(day: string): Date {
  return new Date(toMs(day) - OFFSET_MS);
}

/** The last millisecond of a local day (23:59:59.999 local time). */
export function endOfLocalDay(day: string): Date {
  return new Date(toMs(day) + DAY_MS - OFFSET_MS - 1);
}

/** The instants [from, to) of a local day. */
export function localDayRange(day: string): { from: Date; to: Date } {
  return { from: startOfLocalDay(day), to: startOfLocalDay(shiftDay(day, 1)) };
}

/** The Monday of a day's ISO week. */
export function weekStart(day: string): string {
  return shiftDay(day, 1 - weekdayOf(day));
}

/** The first day of a day's month. */
export function monthStart(day: string): string {
  return `${fromMs(toMs(day)).slice(0, 7)}-01`;
}

/** The first day of the month after a day's month. */
export function nextMonthStart(day: string): string {
  const d = new Date(toMs(day));
  d.setUTCMonth(d.getUTCMonth() + 1, 1);
  return fromMs(d.getTime());
}

/** A local month 'YYYY-MM': its first day, the next month's first day, and the instants [from, to) between them. */
export function localMonth(month: string): { firstDay: string; nextFirstDay: string; from: Date; to: Date } {
  const firstDay = `${month}-01`;
  const nextFirstDay = nextMonthStart(firstDay);
  return { firstDay, nextFirstDay, from: startOfLocalDay(firstDay), to: startOfLocalDay(nextFirstDay) };
}

/** Local date and time, 'YYYY-MM-DD HH:mm' (or with ':ss'): what a reader of a sentence or a spreadsheet expects. */
export function localDateTime(instant: Date, unit: 'minute' | 'second' = 'minute'): string {
  return new Date(instant.getTime() + OFFSET_MS)
    .toISOString()
    .slice(0, unit === 'minute' ? 16 : 19)
    .replace('T', ' ');
}

/** ISO 8601 in local time with the offset, to the second: 2026-11-21T09:30:00+08:00. */
export function localIso(instant: Date): string {
  return `${localDateTime(instant, 'second').replace(' ', 'T')}${LOCAL_OFFSET}`;
}
