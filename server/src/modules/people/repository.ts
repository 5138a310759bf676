import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type FieldCipher, maskAddress, maskIdNumber, maskName, maskPhone } from '../privacy/index.js';
import { type Viewer, visible } from '../access/index.js';
import { personRule, visitWarningRule } from './access.js';
import { CARE_GROUPS, type CareGroup, dayOf, nextVisitDue, type RiskLevel, visitIntervalDays, visitState } from './schedule.js';

type Db = Kysely<Database>;

export type PersonRow = Awaited<ReturnType<typeof findPerson>> & object;

/** One person served the viewer may see; lock for changes. */
export function findPerson(db: Db, id: number, viewer: Viewer, lock = false) {
  let q = db
    .selectFrom('person_served')
    .selectAll()
    .where('id', '=', id)
    .where(visible(personRule, viewer));
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface PeopleFilter {
  careGroup?: string | undefined;
  riskLevel?: string | undefined;
  underPath?: string | undefined;
  gridId?: number | undefined;
  dueBy?: string | undefined;
  limit: number;
  offset: number;
}

export async function listPeople(db: Db, viewer: Viewer, f: PeopleFilter) {
  let q = db
    .selectFrom('person_served')
    .where(visible(personRule, viewer))
    .where('status', '=', 'active');
  if (f.careGroup) q = q.where('care_group', '=', f.careGroup);
  if (f.riskLevel) q = q.where('risk_level', '=', f.riskLevel as RiskLevel);
  if (f.underPath) q = q.where('jurisdiction_path', 'like', `${f.underPath}%`);
  if (f.gridId) q = q.where('grid_id', '=', f.gridId);
  if (f.dueBy) q = q.where('next_visit_due', '<=', f.dueBy);
  const [items, total] = await Promise.all([
    q.selectAll().orderBy('next_visit_due').orderBy('id').limit(f.limit).offset(f.offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

/** A person as the API shows them: every identifying field masked. */
export function toPersonSummary(p: NonNullable<PersonRow>, pii: FieldCipher, now = new Date()) {
  const group = p.care_group as CareGroup;
  return {
    id: p.id,
    careGroup: p.care_group,
    careGroupLabel: CARE_GROUPS[group]?.zh ?? p.care_group,
    riskLevel: p.risk_level,
    riskGrade: p.risk_grade,
    securityLabel: p.security_label,
    name: maskName(pii.readStored(p.name)) ?? '',
    idNumber: maskIdNumber(pii.readStored(p.id_number)),
    phone: maskPhone(pii.readStored(p.phone)),
    address: maskAddress(pii.readStored(p.address)),
    communityCode: p.community_code,
    gridId: p.grid_id,
    status: p.status,
    registeredOn: p.registered_on,
    lastVisitOn: p.last_visit_on,
    nextVisitDue: p.next_visit_due,
    visitIntervalDays: visitIntervalDays(group, p.risk_level, p.risk_grade),
    visitState: visitState(p.next_visit_due, dayOf(now)),
    version: p.version,
  };
}

export async function responsibleOf(db: Db, personId: number) {
  return db
    .selectFrom('person_responsible as r')
    .leftJoin('app_user as u', 'u.id', 'r.user_id')
    .select(['r.id', 'r.side', 'r.user_id', 'r.name', 'r.phone', 'u.display_name as user_name'])
    .where('r.person_id', '=', personId)
    .orderBy('r.id')
    .execute();
}

export async function recentVisits(db: Db, personId: number, limit = 10) {
  return db
    .selectFrom('visit as v')
    .innerJoin('app_user as u', 'u.id', 'v.user_id')
    .select(['v.id', 'v.visited_at', 'v.findings', 'v.on_time', 'u.display_name as worker_name'])
    .where('v.person_id', '=', personId)
    .orderBy('v.visited_at', 'desc')
    .limit(limit)
    .execute();
}

/**
 * A visit to a person served keeps the schedule: the last visit moves, the next due day follows from the group
 * and risk, and an open missed-visit warning is resolved. Answers whether the visit came by its due day.
 */
export async function recordPersonVisit(db: Db, personId: number, viewer: Viewer, at: Date): Promise<{ onTime: boolean; path: string; communityCode: string } | null> {
  const p = await findPerson(db, personId, viewer, true);
  if (!p || p.status !== 'active') return null;
  const day = dayOf(at);
  const onTime = day <= p.next_visit_due;
  const lastVisitOn = p.last_visit_on && p.last_visit_on > day ? p.last_visit_on : day;
  const due = nextVisitDue({ group: p.care_group as CareGroup, risk: p.risk_level, grade: p.risk_grade, registeredOn: p.registered_on, lastVisitOn });
  await db.updateTable('person_served').set((eb) => ({ last_visit_on: lastVisitOn, next_visit_due: due, version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', p.id).execute();
  await db.updateTable('care_visit_warning').set({ resolved_at: at }).where('person_id', '=', p.id).where('resolved_at', 'is', null).execute();
  return { onTime, path: p.jurisdiction_path, communityCode: p.community_code };
}

/** Open missed-visit warnings the viewer may see; with `userId`, only people that user is responsible for. */
export async function openWarnings(db: Db, viewer: Viewer, userId?: number) {
  let q = db
    .selectFrom('care_visit_warning as w')
    .innerJoin('person_served as p', 'p.id', 'w.person_id')
    .where('w.resolved_at', 'is', null)
    .where(visible(visitWarningRule, viewer, 'w'));
  if (userId !== undefined) q = q.where((eb) => eb.or([eb('p.id', 'in', eb.selectFrom('person_responsible').select('person_id').where('user_id', '=', userId)), eb('p.grid_id', 'in', eb.selectFrom('grid_worker_assignment').select('grid_id').where('user_id', '=', userId).where('to_on', 'is', null))]));
  return q.select(['w.id', 'w.person_id', 'w.due_on', 'w.raised_at', 'p.care_group', 'p.risk_level', 'p.name', 'p.community_code', 'p.grid_id']).orderBy('w.due_on').limit(500).execute();
}

/** People a worker must visit by a day: in the worker's current grids, or with the worker as a responsible person. */
export function dueForWorker(db: Db, viewer: Viewer, userId: number, byDay: string) {
  return db
    .selectFrom('person_served as p')
    .selectAll('p')
    .where('p.status', '=', 'active')
    .where(visible(personRule, viewer, 'p'))
    .where('p.next_visit_due', '<=', byDay)
    .where((eb) => eb.or([eb('p.id', 'in', eb.selectFrom('person_responsible').select('person_id').where('user_id', '=', userId)), eb('p.grid_id', 'in', eb.selectFrom('grid_worker_assignment').select('grid_id').where('user_id', '=', userId).where('to_on', 'is', null))]))
    .orderBy('p.next_visit_due')
    .limit(100)
    .execute();
}
