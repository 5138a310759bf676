import type { ColumnType } from 'kysely';

/** A day that differs from the weekday rule: a public holiday on a weekday, or a make-up working day (调休) on a weekend. */
export interface CalendarDayTable {
  /** local date in Asia/Shanghai, 'YYYY-MM-DD' */
  day: ColumnType<string, string, string>;
  kind: 'holiday' | 'workday';
  name: string;
  /** where the day comes from, e.g. 国办发明电〔2023〕7号 */
  source: string;
  updated_by: number | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface CalendarTables {
  calendar_day: CalendarDayTable;
}
