import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { calendarCache } from '../calendar/service.js';
import { notify } from '../notifications/repository.js';
import { centreStaff, departmentHandlers, insertEvent } from './repository.js';

export interface ScanResult {
  yellow: number;
  red: number;
  supervision: number;
}

const SYSTEM = '系统 / system';

/**
 * Marks open cases yellow when a share of their working time is used and red when the deadline has passed,
 * tells the department and the centre, and opens a supervision item for each overdue case. Candidates are
 * claimed with FOR UPDATE SKIP LOCKED and each mark is a conditional update, so several server processes
 * scanning at once warn each case once.
 */
export async function scanDeadlines(db: Kysely<Database>, opts: { now?: Date; warningShare: number; batchSize?: number }): Promise<ScanResult> {
  const now = opts.now ?? new Date();
  const batch = opts.batchSize ?? 200;
  const result: ScanResult = { yellow: 0, red: 0, supervision: 0 };
  const calendar = await calendarCache.current(db);

  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('case_file')
        .select(['id', 'number', 'title', 'status', 'department_id', 'handling_jurisdiction_code', 'deadline'])
        .where('status_type', '=', 'open')
        .where('deadline', '<', now)
        .where('warning_level', '!=', 'red')
        .orderBy('deadline')
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const c of due) {
        await trx.updateTable('case_file').set({ warning_level: 'red', updated_at: now }).where('id', '=', c.id).execute();
        await insertEvent(trx, { caseId: c.id, actorId: null, actorName: SYSTEM, action: 'overdue', from: c.status, to: c.status, detail: { deadline: c.deadline!.toISOString() } });
        const opened = await trx
          .insertInto('supervision_item')
          .values({ case_id: c.id, kind: 'overdue', jurisdiction_code: c.handling_jurisdiction_code, note: `案件 ${c.number} 已超期` })
          .onConflict((oc) => oc.columns(['case_id', 'kind']).where('status', '=', 'open').doNothing())
          .returning('id')
          .executeTakeFirst();
        if (opened) result.supervision++;
        await tell(trx, c, 'case.overdue', `案件已超期 ${c.number}`);
        result.red++;
      }
      return due.length < batch;
    });
    if (done) break;
  }

  // yellow: only cases not yet warned; the share of working time is computed here, per candidate
  let afterId = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      const candidates = await trx
        .selectFrom('case_file')
        .select(['id', 'number', 'title', 'status', 'department_id', 'handling_jurisdiction_code', 'deadline', 'dispatched_at', 'registered_at', 'created_at'])
        .where('status_type', '=', 'open')
        .where('warning_level', '=', 'none')
        .where('deadline', '>=', now)
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const c of candidates) {
        afterId = c.id;
        const start = c.dispatched_at ?? c.registered_at ?? c.created_at;
        if (calendar.elapsedShare(start, c.deadline!, now) < opts.warningShare) continue;
        const marked = await trx.updateTable('case_file').set({ warning_level: 'yellow', updated_at: now }).where('id', '=', c.id).where('warning_level', '=', 'none').executeTakeFirst();
        if (Number(marked.numUpdatedRows) === 0) continue;
        await insertEvent(trx, { caseId: c.id, actorId: null, actorName: SYSTEM, action: 'deadline-warning', from: c.status, to: c.status, detail: { deadline: c.deadline!.toISOString(), share: opts.warningShare } });
        await tell(trx, c, 'case.warning', `案件临近时限 ${c.number}`);
        result.yellow++;
      }
      return candidates.length < batch;
    });
    if (done) break;
  }
  return result;
}

async function tell(db: Kysely<Database>, c: { id: number; title: string; department_id: number | null; handling_jurisdiction_code: string }, kind: string, title: string) {
  const users = new Set(await centreStaff(db, c.handling_jurisdiction_code));
  if (c.department_id) for (const u of await departmentHandlers(db, c.department_id)) users.add(u);
  if (users.size) await notify(db, { userIds: [...users], kind, title, body: c.title, caseId: c.id });
}

/** Open supervision items in a user's scope (督办). */
export function listSupervision(db: Kysely<Database>, scopePath: string, limit: number, offset: number) {
  const q = db
    .selectFrom('supervision_item as s')
    .innerJoin('case_file as c', 'c.id', 's.case_id')
    .where('c.jurisdiction_path', 'like', `${scopePath}%`)
    .where('s.status', '=', 'open');
  return Promise.all([
    q.select(['s.id', 's.kind', 's.note', 's.opened_at', 's.jurisdiction_code', 'c.id as case_id', 'c.number', 'c.title', 'c.deadline', 'c.department_id']).orderBy('s.id', 'desc').limit(limit).offset(offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
}
