import { type Kysely, sql } from 'kysely';
import type { Viewer } from '../access/index.js';
import type { Database } from '../../db/schema.js';
import { calendarCache, type WorkingCalendar } from '../calendar/index.js';
import { notify } from '../notifications/repository.js';
import { centreStaff, departmentHandlers } from './repository.js';

export interface ScanResult {
  yellow: number;
  red: number;
  supervision: number;
}

const SYSTEM = '系统 / system';

/**
 * No later than the first instant at which an open case is due a warning: the share of its working time
 * (WorkingCalendar.elapsedShare) reaches `share`, or its deadline, whichever comes first. A millisecond early so
 * floating point never makes it late; the scan checks the share itself before it warns.
 */
export function warningNextAt(calendar: WorkingCalendar, start: Date, deadline: Date, share: number): Date {
  return new Date(calendar.shareReachedAt(start, deadline, share).getTime() - 1);
}

/** The share and calendar the stored instants were computed with; another basis makes them all stale. */
export const warningBasis = (share: number, calendar: WorkingCalendar): string => `${share}|${calendar.fingerprint}`;

/**
 * Marks open cases yellow when a share of their working time is used and red when the deadline has passed,
 * tells the department and the centre, and opens a supervision item for each overdue case.
 *
 * Each open case carries `warning_next_at`, no later than its next warning (computed here once, from the
 * working-day calendar; a trigger forgets it when the deadline, start, status or level change), so a scan reads
 * only the cases due now through a partial index, however many cases are open. Candidates are claimed with
 * FOR UPDATE SKIP LOCKED and each mark is a conditional update, so several server processes scanning at once
 * warn each case once.
 */
export async function scanDeadlines(db: Kysely<Database>, opts: { now?: Date; warningShare: number; batchSize?: number }): Promise<ScanResult> {
  const now = opts.now ?? new Date();
  const batch = opts.batchSize ?? 500;
  const share = opts.warningShare;
  const calendar = await calendarCache.current(db);
  const basis = warningBasis(share, calendar);
  await keepBasis(db, basis);
  await fillWarningInstants(db, calendar, share, basis, 5000);

  const result: ScanResult = { yellow: 0, red: 0, supervision: 0 };
  const staff = new Map<string, Promise<readonly Viewer[]>>();
  const handlers = new Map<number, Promise<number[]>>();
  // looked up once per scan, inside the batch's transaction (PGlite has one connection)
  const recipients = async (trx: Kysely<Database>, c: { handling_jurisdiction_code: string; department_id: number | null }) => {
    if (!staff.has(c.handling_jurisdiction_code)) staff.set(c.handling_jurisdiction_code, centreStaff(trx, c.handling_jurisdiction_code));
    const users = new Set((await staff.get(c.handling_jurisdiction_code)!).map((v) => v.id));
    if (c.department_id) {
      if (!handlers.has(c.department_id)) handlers.set(c.department_id, departmentHandlers(trx, c.department_id));
      for (const u of await handlers.get(c.department_id)!) users.add(u);
    }
    return [...users];
  };

  let after: { at: Date; id: number } | null = null;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('case_file')
        .select(['id', 'number', 'title', 'status', 'warning_level', 'department_id', 'handling_jurisdiction_code', 'deadline', 'warning_next_at', 'dispatched_at', 'registered_at', 'created_at'])
        .where('status_type', '=', 'open')
        .where('warning_level', '!=', 'red')
        .where('deadline', 'is not', null)
        .where('warning_next_at', '<=', now);
      if (after) {
        const { at, id } = after;
        q = q.where(sql<boolean>`(warning_next_at, id) > (${at}, ${id})`);
      }
      const due = await q.orderBy('warning_next_at').orderBy('id').limit(batch).forUpdate().skipLocked().execute();
      const last = due.at(-1);
      if (last) after = { at: last.warning_next_at!, id: last.id };
      const red = due.filter((c) => c.deadline! < now);
      const yellow = due.filter((c) => c.warning_level === 'none' && c.deadline! >= now && calendar.elapsedShare(c.dispatched_at ?? c.registered_at ?? c.created_at, c.deadline!, now) >= share);
      if (red.length) {
        await trx.updateTable('case_file').set({ warning_level: 'red', updated_at: now }).where('id', 'in', red.map((c) => c.id)).execute();
        const opened = await trx
          .insertInto('supervision_item')
          .values(red.map((c) => ({ case_id: c.id, kind: 'overdue', jurisdiction_code: c.handling_jurisdiction_code, note: `案件 ${c.number} 已超期` })))
          .onConflict((oc) => oc.columns(['case_id', 'kind']).where('status', '=', 'open').doNothing())
          .returning('id')
          .execute();
        result.supervision += opened.length;
        result.red += red.length;
      }
      const marked = yellow.length
        ? await trx.updateTable('case_file').set({ warning_level: 'yellow', updated_at: now }).where('id', 'in', yellow.map((c) => c.id)).where('warning_level', '=', 'none').returning('id').execute()
        : [];
      const markedIds = new Set(marked.map((m) => m.id));
      const warned = yellow.filter((c) => markedIds.has(c.id));
      result.yellow += warned.length;
      const events = [
        ...red.map((c) => ({ c, action: 'overdue', detail: { deadline: c.deadline!.toISOString() } })),
        ...warned.map((c) => ({ c, action: 'deadline-warning', detail: { deadline: c.deadline!.toISOString(), share } })),
      ];
      if (events.length) {
        await trx
          .insertInto('case_event')
          .values(events.map((e) => ({ case_id: e.c.id, actor_id: null, actor_name: SYSTEM, action: e.action, from_status: e.c.status, to_status: e.c.status, note: null, detail: JSON.stringify(e.detail), attachment_ids: '[]' })))
          .execute();
      }
      for (const e of events) {
        const users = await recipients(trx, e.c);
        const title = e.action === 'overdue' ? `案件已超期 ${e.c.number}` : `案件临近时限 ${e.c.number}`;
        await notify(trx, { audience: users, about: { kind: 'case', id: e.c.id }, kind: e.action === 'overdue' ? 'case.overdue' : 'case.warning', title, body: e.c.title });
      }
      return due.length < batch;
    });
    if (done) break;
  }
  return result;
}

/** Forgets every stored instant of a not-yet-warned case when the share or the calendar changed. */
async function keepBasis(db: Kysely<Database>, basis: string): Promise<void> {
  const { rows: stored } = await sql<{ basis: string }>`SELECT basis FROM deadline_warning_basis`.execute(db);
  if (stored[0]?.basis === basis) return;
  await db.transaction().execute(async (trx) => {
    await sql`INSERT INTO deadline_warning_basis (basis) VALUES ('') ON CONFLICT (id) DO NOTHING`.execute(trx);
    const { rows } = await sql<{ basis: string }>`SELECT basis FROM deadline_warning_basis FOR UPDATE`.execute(trx);
    if (rows[0]?.basis === basis) return;
    await sql`UPDATE case_file SET warning_next_at = NULL
      WHERE status_type = 'open' AND warning_level = 'none' AND deadline IS NOT NULL AND warning_next_at IS NOT NULL`.execute(trx);
    await sql`UPDATE deadline_warning_basis SET basis = ${basis}`.execute(trx);
  });
}

/** Computes the instants the trigger or a new case left empty, a batch of locked cases at a time. */
async function fillWarningInstants(db: Kysely<Database>, calendar: WorkingCalendar, share: number, basis: string, batch: number): Promise<number> {
  let filled = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      // held while filling, so a change of basis waits for this batch and then forgets it
      const { rows } = await sql<{ basis: string }>`SELECT basis FROM deadline_warning_basis FOR SHARE`.execute(trx);
      if (rows[0]?.basis !== basis) return 0;
      const todo = await trx
        .selectFrom('case_file')
        .select(['id', 'warning_level', 'deadline', 'dispatched_at', 'registered_at', 'created_at'])
        .where('status_type', '=', 'open')
        .where('warning_level', '!=', 'red')
        .where('deadline', 'is not', null)
        .where('warning_next_at', 'is', null)
        // the empty end of case_file_warning_next_idx: the planner, blind to how few these are, would scan the table
        .orderBy('warning_next_at', (ob) => ob.desc().nullsFirst())
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .execute();
      if (todo.length === 0) return 0;
      const next = todo.map((c) => (c.warning_level === 'yellow' ? c.deadline! : warningNextAt(calendar, c.dispatched_at ?? c.registered_at ?? c.created_at, c.deadline!, share)));
      await sql`UPDATE case_file c SET warning_next_at = v.at
        FROM unnest(${todo.map((c) => c.id)}::int[], ${next.map((d) => d.toISOString())}::timestamptz[]) AS v(id, at)
        WHERE c.id = v.id`.execute(trx);
      return todo.length;
    });
    filled += n;
    if (n < batch) return filled;
  }
}
