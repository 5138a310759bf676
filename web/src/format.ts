import type { Lang } from './i18n';
import { localFields } from './time';

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Local date and time (time.ts) as zh-CN (2026/11/22 09:30) or en-GB (22/11/2026, 09:30) write them with Intl, by
 * hand: a page's first Intl date format loads the locale's data, which costs more than drawing a whole table.
 */
export function formatDateTime(lang: Lang, iso: string | null | undefined): string {
  if (!iso) return '';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  const d = localFields(instant);
  const [y, mo, day, time] = [d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`];
  return lang === 'zh' ? `${y}/${mo}/${day} ${time}` : `${day}/${mo}/${y}, ${time}`;
}

/** A span of time as days and hours (or hours and minutes under a day): 2天3小时 / 2 d 3 h. */
export function formatDuration(lang: Lang, ms: number): string {
  const minutes = Math.max(0, Math.floor(Math.abs(ms) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (lang === 'zh') return days > 0 ? `${days}天${hours}小时` : hours > 0 ? `${hours}小时${mins}分` : `${mins}分钟`;
  return days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${mins} min` : `${mins} min`;
}

export function formatPercent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}
