import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Viewer, visible } from '../access/index.js';
import { type SessionUser, userName } from '../auth/index.js';
import { caseOutcomes, visibleCaseHeads } from '../cases/index.js';
import { gridField } from '../grids/index.js';
import { dailyLogRule, patrolRule, visitRule } from './access.js';

type Db = Kysely<Database>;

const workerName = userName('w.user_id').as('display_name');

/** Grid workers (profiles) in a user's scope, with their current grids. */
export async function listWorkers(db: Db, scopePath: string) {
  const rows = await db
    .selectFrom('grid_worker as w')
    .select(['w.user_id', 'w.employment', 'w.community_code', 'w.started_on', 'w.ended_on'])
    .select(workerName)
    .where('w.jurisdiction_path', 'like', `${scopePath}%`)
    .orderBy('w.community_code')
    .orderBy('w.user_id')
    .execute();
  const grids = rows.length
    ? await db
        .selectFrom('grid_worker_assignment as a')
        .select(['a.user_id', 'a.grid_id as id', gridField('a.grid_id', 'code').as('code'), gridField('a.grid_id', 'name').as('name')])
        .where('a.user_id', 'in', rows.map((r) => r.user_id))
        .where('a.to_on', 'is', null)
        .orderBy('code')
        .execute()
    : [];
  return rows.map((r) => ({ ...r, grids: grids.filter((g) => g.user_id === r.user_id).map((g) => ({ id: g.id, code: g.code, name: g.name })) }));
}

export function findWorker(db: Db, userId: number, scopePath: string) {
  return db
    .selectFrom('grid_worker as w')
    .select(['w.user_id', 'w.employment', 'w.community_code', 'w.jurisdiction_path', 'w.started_on', 'w.ended_on'])
    .select(workerName)
    .where('w.user_id', '=', userId)
    .where('w.jurisdiction_path', 'like', `${scopePath}%`)
    .executeTakeFirst();
}

export function assignmentHistory(db: Db, userId: number) {
  return db
    .selectFrom('grid_worker_assignment as a')
    .select(['a.id', 'a.grid_id', gridField('a.grid_id', 'code').as('grid_code'), gridField('a.grid_id', 'name').as('grid_name'), 'a.from_on', 'a.to_on', 'a.reason'])
    .where('a.user_id', '=', userId)
    .orderBy('a.from_on', 'desc')
    .orderBy('a.id', 'desc')
    .execute();
}

export function trainings(db: Db, userId: number) {
  return db.selectFrom('grid_worker_training').select(['id', 'title', 'hours', 'completed_on']).where('user_id', '=', userId).orderBy('completed_on', 'desc').execute();
}

export async function currentGridIds(db: Db, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('grid_worker_assignment').select('grid_id').where('user_id', '=', userId).where('to_on', 'is', null).execute();
  return rows.map((r) => r.grid_id);
}

/** The community a worker records in: their profile's, else their account's jurisdiction. */
export async function workerPlace(db: Db, user: SessionUser): Promise<{ communityCode: string; path: string }> {
  const w = await db.selectFrom('grid_worker').select(['community_code', 'jurisdiction_path']).where('user_id', '=', user.id).executeTakeFirst();
  return w ? { communityCode: w.community_code, path: w.jurisdiction_path } : { communityCode: user.jurisdictionCode, path: user.jurisdictionPath };
}

export function findPatrol(db: Db, id: number, userId: number, lock = false) {
  let q = db.selectFrom('patrol').selectAll().where('id', '=', id).where('user_id', '=', userId);
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export function listPatrols(db: Db, viewer: Viewer, f: { userId?: number | undefined; from: Date; to: Date; limit: number; offset: number }) {
  let q = db.selectFrom('patrol as p').where(visible(patrolRule, viewer, 'p')).where('p.started_at', '>=', f.from).where('p.started_at', '<', f.to);
  if (f.userId) q = q.where('p.user_id', '=', f.userId);
  return Promise.all([
    q.select(['p.id', 'p.user_id', userName('p.user_id').as('display_name'), 'p.grid_id', 'p.started_at', 'p.ended_at', 'p.distance_m', 'p.track', 'p.note']).orderBy('p.started_at', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
}

export function listVisits(db: Db, viewer: Viewer, f: { userId?: number | undefined; from: Date; to: Date; limit: number; offset: number }) {
  let q = db.selectFrom('visit as v').where(visible(visitRule, viewer, 'v')).where('v.visited_at', '>=', f.from).where('v.visited_at', '<', f.to);
  if (f.userId) q = q.where('v.user_id', '=', f.userId);
  return Promise.all([
    q.select(['v.id', 'v.user_id', userName('v.user_id').as('display_name'), 'v.person_id', 'v.patrol_id', 'v.whom', 'v.place', 'v.findings', 'v.lng', 'v.lat', 'v.visited_at', 'v.on_time']).orderBy('v.visited_at', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
}

/** Workers' reports in a window, oldest first. */
function reportsIn(db: Db, userIds: readonly number[], from: Date, to: Date) {
  return db.selectFrom('grid_report').select(['case_id', 'user_id', 'found_at', 'reported_at']).where('user_id', 'in', [...userIds]).where('reported_at', '>=', from).where('reported_at', '<', to).orderBy('reported_at').execute();
}

/** Reports joined with what cases answer for their case ids; a report whose case is not answered is left out. */
async function withCases<C extends { id: number }>(reports: Awaited<ReturnType<typeof reportsIn>>, cases: (ids: number[]) => Promise<C[]>) {
  const byId = new Map((await cases(reports.map((r) => r.case_id))).map((c) => [c.id, c]));
  return reports.flatMap((r) => {
    const c = byId.get(r.case_id);
    return c ? [{ ...c, ...r }] : [];
  });
}

/** Workers' reports with the outcome of each case, for their assessment: figures only, no case is shown. */
export async function reportsOf(db: Db, userIds: number[], from: Date, to: Date) {
  if (!userIds.length) return [];
  return withCases(await reportsIn(db, userIds, from, to), (ids) => caseOutcomes(db, ids));
}

/** A worker's reports as cases the viewer may open (the daily log lists them by number and title). */
export async function reportedCases(db: Db, viewer: Viewer, userId: number, from: Date, to: Date) {
  return withCases(await reportsIn(db, [userId], from, to), (ids) => visibleCaseHeads(db, viewer, ids));
}

/** A worker's daily log of one day, as far as the viewer may read it. */
export function logEntries(db: Db, viewer: Viewer, userId: number, day: string) {
  return db.selectFrom('daily_log_entry').select(['id', 'at', 'content']).where('user_id', '=', userId).where('log_on', '=', day).where(visible(dailyLogRule, viewer)).orderBy('at').execute();
}

/** Whether a grid worker's profile lies in a jurisdiction (a centre reads the logs of its workers). */
export async function workerInScope(db: Db, userId: number, scopePath: string): Promise<boolean> {
  const row = await db.selectFrom('grid_worker').select('user_id').where('user_id', '=', userId).where('jurisdiction_path', 'like', `${scopePath}%`).executeTakeFirst();
  return row !== undefined;
}

/** Files or changes a worker's profile; a profile that ends closes the worker's open assignments on that day. */
export async function saveWorker(trx: Db, w: { userId: number; employment: 'full_time' | 'part_time'; communityCode: string; path: string; startedOn: string; endedOn: string | null }): Promise<void> {
  await trx
    .insertInto('grid_worker')
    .values({ user_id: w.userId, employment: w.employment, community_code: w.communityCode, jurisdiction_path: w.path, started_on: w.startedOn, ended_on: w.endedOn })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ employment: w.employment, started_on: w.startedOn, ended_on: w.endedOn, updated_at: new Date() }))
    .execute();
  if (w.endedOn) await trx.updateTable('grid_worker_assignment').set({ to_on: w.endedOn }).where('user_id', '=', w.userId).where('to_on', 'is', null).execute();
}

/** A worker's open assignment to a grid, locked for the change that follows. */
export function lockOpenAssignment(trx: Db, userId: number, gridId: number) {
  return trx.selectFrom('grid_worker_assignment').select('id').where('user_id', '=', userId).where('grid_id', '=', gridId).where('to_on', 'is', null).forUpdate().executeTakeFirst();
}

export async function endAssignment(trx: Db, id: number, on: string): Promise<void> {
  await trx.updateTable('grid_worker_assignment').set({ to_on: on }).where('id', '=', id).execute();
}

export async function insertAssignment(trx: Db, a: { userId: number; gridId: number; fromOn: string; reason: string; assignedBy: number }): Promise<void> {
  await trx.insertInto('grid_worker_assignment').values({ user_id: a.userId, grid_id: a.gridId, from_on: a.fromOn, reason: a.reason, assigned_by: a.assignedBy }).execute();
}

/** The workers currently assigned to each of some grids. */
export async function currentWorkersOfGrids(db: Db, gridIds: readonly number[]): Promise<Array<{ grid_id: number; user_id: number }>> {
  if (!gridIds.length) return [];
  return db.selectFrom('grid_worker_assignment').select(['grid_id', 'user_id']).where('grid_id', 'in', [...new Set(gridIds)]).where('to_on', 'is', null).execute();
}

export async function insertTraining(trx: Db, t: { userId: number; title: string; hours: number; completedOn: string }): Promise<void> {
  await trx.insertInto('grid_worker_training').values({ user_id: t.userId, title: t.title, hours: t.hours, completed_on: t.completedOn }).execute();
}

/** A person's latest visits, newest first. */
export function visitsOfPerson(db: Db, personId: number, limit = 10) {
  return db
    .selectFrom('visit as v')
    .select(['v.id', 'v.visited_at', 'v.findings', 'v.on_time', userName('v.user_id').as('worker_name')])
    .where('v.person_id', '=', personId)
    .orderBy('v.visited_at', 'desc')
    .limit(limit)
    .execute();
}
