import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { calendarRevision, loadCalendarDays } from './repository.js';
import { WorkingCalendar } from './working-calendar.js';

/**
 * The process's working calendar, reloaded when the calendar table changes. Each call asks the database for
 * the row count and newest `updated_at` (one small query), so every server process sees an admin's edit on
 * its next request. Calendars are kept by that revision, not by connection, so a transaction finds them too.
 */
class CalendarCache {
  private readonly byRevision = new Map<string, Promise<WorkingCalendar>>();

  async current(db: Kysely<Database>): Promise<WorkingCalendar> {
    const revision = await calendarRevision(db);
    let calendar = this.byRevision.get(revision);
    if (!calendar) {
      calendar = loadCalendarDays(db).then((days) => new WorkingCalendar(days));
      calendar.catch(() => this.byRevision.delete(revision));
      this.byRevision.set(revision, calendar);
      while (this.byRevision.size > 8) this.byRevision.delete(this.byRevision.keys().next().value!);
    }
    return calendar;
  }
}

export const calendarCache = new CalendarCache();
