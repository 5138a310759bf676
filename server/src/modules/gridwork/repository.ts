import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Viewer, visible } from '../access/index.js';
import type { SessionUser } from '../auth/index.js';
import { caseRule } from '../cases/index.js';
import { dailyLogRule, patrolRule, visitRule } from './access.js';

type Db = Kysely<Database>;

/** Grid workers (profiles) in a user's scope, with their current grids. */
export async function listWorkers(db: Db, scopePath: string) {
  const rows = await db
    .selectFrom('grid_worker as w')
    .innerJoin('app_user as u', 'u.id', 'w.user_id')
    .select(['w.user_id', 'u.display_name', 'w.employment', 'w.community_code', 'w.started_on', 'w.ended_on'])
    .where('w.jurisdiction_path', 'like', `${scopePath}%`)
    .orderBy('w.community_code')
    .orderBy('w.user_id')
    .execute();
  const grids = rows.length
    ? await db
        .selectFrom('grid_worker_assignment as a')
        .innerJoin('grid as g', 'g.id', 'a.grid_id')
        .select(['a.user_id', 'g.id', 'g.code', 'g.name'])
        .where('a.user_id', 'in', rows.map((r) => r.user_id))
        .where('a.to_on', 'is', null)
        .orderBy('g.code')
        .execute()
    : [];
  return rows.map((r) => ({ ...r, grids: grids.filter((g) => g.user_id === r.user_id).map((g) => ({ id: g.id, code: g.code, name: g.name })) }));
}

export function findWorker(db: Db, userId: number, scopePath: string) {
  return db
    .selectFrom('grid_worker as w')
    .innerJoin('app_user as u', 'u.id', 'w.user_id')
    .select(['w.user_id', 'u.display_name', 'w.employment', 'w.community_code', 'w.jurisdiction_path', 'w.started_on', 'w.ended_on'])
    .where('w.user_id', '=', userId)
    .where('w.jurisdiction_path', 'like', `${scopePath}%`)
    .executeTakeFirst();
}

export function assignmentHistory(db: Db, userId: number) {
  return db
    .selectFrom('grid_worker_assignment as a')
    .innerJoin('grid as g', 'g.id', 'a.grid_id')
    .select(['a.id', 'a.grid_id', 'g.code as grid_code', 'g.name as grid_name', 'a.from_on', 'a.to_on', 'a.reason'])
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
  let q = db.selectFrom('patrol as p').innerJoin('app_user as u', 'u.id', 'p.user_id').where(visible(patrolRule, viewer, 'p')).where('p.started_at', '>=', f.from).where('p.started_at', '<', f.to);
  if (f.userId) q = q.where('p.user_id', '=', f.userId);
  return Promise.all([
    q.select(['p.id', 'p.user_id', 'u.display_name', 'p.grid_id', 'p.started_at', 'p.ended_at', 'p.distance_m', 'p.track', 'p.note']).orderBy('p.started_at', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
}

export function listVisits(db: Db, viewer: Viewer, f: { userId?: number | undefined; from: Date; to: Date; limit: number; offset: number }) {
  let q = db.selectFrom('visit as v').innerJoin('app_user as u', 'u.id', 'v.user_id').where(visible(visitRule, viewer, 'v')).where('v.visited_at', '>=', f.from).where('v.visited_at', '<', f.to);
  if (f.userId) q = q.where('v.user_id', '=', f.userId);
  return Promise.all([
    q.select(['v.id', 'v.user_id', 'u.display_name', 'v.person_id', 'v.patrol_id', 'v.whom', 'v.place', 'v.findings', 'v.lng', 'v.lat', 'v.visited_at', 'v.on_time']).orderBy('v.visited_at', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
}

/** Workers' reports with the outcome of each case, for their assessment: figures only, no case is shown. */
export function reportsOf(db: Db, userIds: number[], from: Date, to: Date) {
  if (!userIds.length) return Promise.resolve([]);
  return db
    .selectFrom('grid_report as r')
    .innerJoin('case_file as c', 'c.id', 'r.case_id')
    .select(['r.case_id', 'r.user_id', 'r.found_at', 'r.reported_at', 'c.status', 'c.close_reason'])
    .where('r.user_id', 'in', userIds)
    .where('r.reported_at', '>=', from)
    .where('r.reported_at', '<', to)
    .orderBy('r.reported_at')
    .execute();
}

/** A worker's reports as cases the viewer may open (the daily log lists them by number and title). */
export function reportedCases(db: Db, viewer: Viewer, userId: number, from: Date, to: Date) {
  return db
    .selectFrom('grid_report as r')
    .innerJoin('case_file as c', 'c.id', 'r.case_id')
    .where(visible(caseRule, viewer, 'c'))
    .select(['r.case_id', 'r.user_id', 'r.found_at', 'r.reported_at', 'c.number', 'c.title', 'c.status', 'c.close_reason'])
    .where('r.user_id', '=', userId)
    .where('r.reported_at', '>=', from)
    .where('r.reported_at', '<', to)
    .orderBy('r.reported_at')
    .execute();
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
