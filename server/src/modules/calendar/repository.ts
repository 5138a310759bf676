import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { getSetting, putSetting } from '../settings/repository.js';
import { type DayKind, type Notice, NOTICES, noticeDays, PROVISIONAL_SOURCE, SHIPPED_DAYS, type ShippedDay } from './data.js';
import type { CalendarOverride } from './working-calendar.js';

type Db = Kysely<Database>;

/** A day of the calendar table, as the rest of the code sees it. */
export interface CalendarDay {
  day: string;
  kind: DayKind;
  name: string;
  source: string;
  updatedBy: number | null;
  updatedAt: Date;
}

// `date` comes back as a JS Date at local midnight from node-postgres: read it as text instead
const dayText = sql<string>`to_char(day, 'YYYY-MM-DD')`;
// the notices already loaded into this database: an admin's deletion of a shipped day then stays deleted
const SEEDED_KEY = 'calendar.seeded_notices';

const select = (db: Db) => db.selectFrom('calendar_day').select([dayText.as('day'), 'kind', 'name', 'source', 'updated_by', 'updated_at']);

const toDay = (r: { day: string; kind: DayKind; name: string; source: string; updated_by: number | null; updated_at: Date }): CalendarDay => ({
  day: r.day,
  kind: r.kind,
  name: r.name,
  source: r.source,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

/** Every override, for building a WorkingCalendar. */
export async function loadCalendarDays(db: Db): Promise<CalendarOverride[]> {
  return db.selectFrom('calendar_day').select([dayText.as('day'), 'kind']).orderBy('day').execute();
}

/** Row count and newest change: a cheap fingerprint that moves on every insert, update and delete. */
/** The overrides of one year, ordered by day. */
export async function listCalendar(db: Db, year: number): Promise<CalendarDay[]> {
  const rows = await select(db).where('day', '>=', `${year}-01-01`).where('day', '<=', `${year}-12-31`).orderBy('day').execute();
  return rows.map(toDay);
}

export async function findCalendarDay(db: Db, day: string): Promise<CalendarDay | undefined> {
  const row = await select(db).where('day', '=', day).executeTakeFirst();
  return row && toDay(row);
}

/** Sets one day (an admin's edit); returns the day as it was before. Run inside a transaction with its audit entry. */
export async function setCalendarDay(db: Db, props: { day: string; kind: DayKind; name: string; source: string; userId: number | null }): Promise<CalendarDay | undefined> {
  const before = await select(db).where('day', '=', props.day).forUpdate().executeTakeFirst();
  const values = { kind: props.kind, name: props.name, source: props.source, updated_by: props.userId, updated_at: new Date() };
  await db
    .insertInto('calendar_day')
    .values({ day: props.day, ...values })
    .onConflict((oc) => oc.column('day').doUpdateSet(values))
    .execute();
  return before && toDay(before);
}

/** Removes a day's override, so the weekday rule applies again; returns the removed day, if any. */
export async function deleteCalendarDay(db: Db, day: string): Promise<CalendarDay | undefined> {
  const row = await db
    .deleteFrom('calendar_day')
    .where('day', '=', day)
    .returning([dayText.as('day'), 'kind', 'name', 'source', 'updated_by', 'updated_at'])
    .executeTakeFirst();
  return row && toDay(row);
}

const same = (row: CalendarDay, d: ShippedDay) => row.kind === d.kind && row.name === d.name && row.source === d.source;
// rows the seed wrote from a provisional derivation and nobody edited since: a newer release may replace them
const seedOwnedProvisional = (row: CalendarDay) => row.updatedBy === null && row.source === PROVISIONAL_SOURCE;
const noticeKey = (n: Notice) => `${n.year} ${n.source}`;

async function seedIn(trx: Db): Promise<number> {
  const seeded = new Set(await getSetting<string[]>(trx, SEEDED_KEY, []));
  const rows = new Map((await select(trx).execute()).map((r) => [r.day, toDay(r)]));
  const now = new Date();
  let changed = 0;
  for (const notice of NOTICES) {
    const firstTime = !seeded.has(noticeKey(notice));
    for (const d of noticeDays(notice)) {
      const row = rows.get(d.day);
      if (!row && firstTime) {
        const res = await trx
          .insertInto('calendar_day')
          .values({ day: d.day, kind: d.kind, name: d.name, source: d.source, updated_by: null, updated_at: now })
          .onConflict((oc) => oc.column('day').doNothing())
          .executeTakeFirst();
        changed += Number(res.numInsertedOrUpdatedRows ?? 0);
      } else if (row && seedOwnedProvisional(row) && !same(row, d)) {
        await trx.updateTable('calendar_day').set({ kind: d.kind, name: d.name, source: d.source, updated_at: now }).where('day', '=', d.day).where('updated_by', 'is', null).execute();
        changed++;
      }
    }
  }
  // a provisional day that the shipped data no longer lists (the published notice differs) goes
  const shipped = new Set(SHIPPED_DAYS.map((d) => d.day));
  for (const row of rows.values()) {
    if (seedOwnedProvisional(row) && !shipped.has(row.day)) {
      await trx.deleteFrom('calendar_day').where('day', '=', row.day).where('updated_by', 'is', null).execute();
      changed++;
    }
  }
  const all = NOTICES.map(noticeKey);
  if (all.some((k) => !seeded.has(k))) await putSetting(trx, SEEDED_KEY, [...new Set([...seeded, ...all])].sort());
  return changed;
}

/**
 * Loads the shipped arrangements of each notice not loaded before; idempotent. Never overwrites an admin's
 * edit: days already present stay as they are, and a shipped day an admin deleted is not brought back.
 * Provisional days nobody edited follow the shipped data, so a release with the published notice replaces them.
 * Returns the number of days inserted, updated or removed.
 */
export async function seedCalendar(db: Db): Promise<number> {
  return db.isTransaction ? seedIn(db) : db.transaction().execute(seedIn);
}
