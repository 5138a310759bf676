import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { calendarRevision, loadCalendarDays } from './repository.js';
import { WorkingCalendar } from './working-calendar.js';

interface Entry {
  calendar: WorkingCalendar;
  revision: string;
  loading: Promise<WorkingCalendar> | null;
}

/**
 * The process's working calendar, reloaded when the calendar table changes. Each call asks the database for
 * the row count and newest `updated_at` (one small query), so every server process sees an admin's edit
 * on its next request. Kept per database handle: tests open several databases in one process.
 */
class CalendarCache {
  private readonly entries = new WeakMap<Kysely<Database>, Entry>();

  async current(db: Kysely<Database>): Promise<WorkingCalendar> {
    const revision = await calendarRevision(db);
    const entry = this.entries.get(db);
    if (entry && entry.revision === revision) return entry.calendar;
    if (entry?.loading) return entry.loading;
    const loading = this.load(db, revision);
    if (entry) entry.loading = loading;
    return loading;
  }

  private async load(db: Kysely<Database>, revision: string): Promise<WorkingCalendar> {
    try {
      const calendar = new WorkingCalendar(await loadCalendarDays(db));
      this.entries.set(db, { calendar, revision, loading: null });
      return calendar;
    } finally {
      const entry = this.entries.get(db);
      if (entry) entry.loading = null;
    }
  }
}

export const calendarCache = new CalendarCache();
