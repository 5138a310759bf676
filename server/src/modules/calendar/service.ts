import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { ReferenceCache, type Revisions } from '../../db/reference.js';
import { loadCalendarDays } from './repository.js';
import { WorkingCalendar } from './working-calendar.js';

/**
 * The process's working calendar, reloaded when the calendar table changes (its reference revision moves), so
 * every server process sees an admin's edit on its next request.
 */
const cache = new ReferenceCache<WorkingCalendar>(['calendar'], async (db) => new WorkingCalendar(await loadCalendarDays(db)));

export const calendarCache = {
  current: (db: Kysely<Database>, revisions?: Revisions): Promise<WorkingCalendar> => cache.get(db, revisions),
};
