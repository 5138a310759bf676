import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { userName } from '../auth/index.js';
import { type FieldCipher, maskAddress, type Sealed, maskIdNumber, maskName, maskPhone } from '../privacy/index.js';
import { type Viewer, visible } from '../access/index.js';
import { personRule, visitWarningRule } from './access.js';
import { localDateOf } from '../calendar/index.js';
import { CARE_GROUPS, type CareGroup, nextVisitDue, type RiskLevel, visitIntervalDays, visitState } from './schedule.js';

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
    visitState: visitState(p.next_visit_due, localDateOf(now)),
    version: p.version,
  };
}

export async function responsibleOf(db: Db, personId: number) {
  return db
    .selectFrom('person_responsible as r')
    .select(['r.id', 'r.side', 'r.user_id', 'r.name', 'r.phone', userName('r.user_id').as('user_name')])
    .where('r.person_id', '=', personId)
    .orderBy('r.id')
    .execute();
}

/**
 * A visit to a person served keeps the schedule: the last visit moves, the next due day follows from the group
 * and risk, and an open missed-visit warning is resolved. Answers whether the visit came by its due day.
 */
export async function recordPersonVisit(db: Db, personId: number, viewer: Viewer, at: Date): Promise<{ onTime: boolean; path: string; communityCode: string } | null> {
  const p = await findPerson(db, personId, viewer, true);
  if (!p || p.status !== 'active') return null;
  const day = localDateOf(at);
  const onTime = day <= p.next_visit_due;
  const lastVisitOn = p.last_visit_on && p.last_visit_on > day ? p.last_visit_on : day;
  const due = nextVisitDue({ group: p.care_group as CareGroup, risk: p.risk_level, grade: p.risk_grade, registeredOn: p.registered_on, lastVisitOn });
  await db.updateTable('person_served').set((eb) => ({ last_visit_on: lastVisitOn, next_visit_due: due, version: eb('version', '+', 1), updated_at: new Date() })).where('id', '=', p.id).execute();
  await db.updateTable('care_visit_warning').set({ resolved_at: at }).where('person_id', '=', p.id).where('resolved_at', 'is', null).execute();
  return { onTime, path: p.jurisdiction_path, communityCode: p.community_code };
}

/** A worker: their account and the grids they are assigned to now (grid work keeps the assignments). */
export interface WorkerGrids {
  userId: number;
  gridIds: readonly number[];
}

/** People a worker answers for: responsible for them, or working their grid. */
const answersFor = (w: WorkerGrids) => (eb: ExpressionBuilder<Database & { p: Database['person_served'] }, 'p'>) =>
  eb.or([eb('p.id', 'in', eb.selectFrom('person_responsible').select('person_id').where('user_id', '=', w.userId)), ...(w.gridIds.length ? [eb('p.grid_id', 'in', [...w.gridIds])] : [])]);

/** Open missed-visit warnings the viewer may see; with a worker, only people that worker answers for. */
export async function openWarnings(db: Db, viewer: Viewer, worker?: WorkerGrids) {
  let q = db
    .selectFrom('care_visit_warning as w')
    .innerJoin('person_served as p', 'p.id', 'w.person_id')
    .where('w.resolved_at', 'is', null)
    .where(visible(visitWarningRule, viewer, 'w'));
  if (worker !== undefined) q = q.where(answersFor(worker));
  return q.select(['w.id', 'w.person_id', 'w.due_on', 'w.raised_at', 'p.care_group', 'p.risk_level', 'p.name', 'p.community_code', 'p.grid_id']).orderBy('w.due_on').limit(500).execute();
}

/** People a worker must visit by a day: in the worker's current grids, or with the worker as a responsible person. */
export function dueForWorker(db: Db, viewer: Viewer, worker: WorkerGrids, byDay: string) {
  return db
    .selectFrom('person_served as p')
    .selectAll('p')
    .where('p.status', '=', 'active')
    .where(visible(personRule, viewer, 'p'))
    .where('p.next_visit_due', '<=', byDay)
    .where(answersFor(worker))
    .orderBy('p.next_visit_due')
    .limit(100)
    .execute();
}

/** Missed-visit warnings due in [firstDay, nextFirstDay): each with the person's grid and one row per responsible account (or none). */
export function missedVisitsDue(db: Db, firstDay: string, nextFirstDay: string) {
  return db
    .selectFrom('care_visit_warning as w')
    .innerJoin('person_served as p', 'p.id', 'w.person_id')
    .leftJoin('person_responsible as r', (j) => j.onRef('r.person_id', '=', 'p.id').on('r.user_id', 'is not', null))
    .select(['w.id', 'p.grid_id', 'r.user_id as resp_user'])
    .where('w.due_on', '>=', firstDay)
    .where('w.due_on', '<', nextFirstDay)
    .execute();
}

/** Files a referral to a psychological service station (the reason sealed by the caller). */
export async function insertReferral(trx: Db, r: { personId: number | null; caseId: number | null; station: string; sealedReason: Sealed; path: string; referredBy: number }): Promise<number> {
  const row = await trx.insertInto('psych_referral').values({ person_id: r.personId, case_id: r.caseId, station: r.station, reason: r.sealedReason, jurisdiction_path: r.path, referred_by: r.referredBy }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** Records a crisis intervention (measures and outcome sealed by the caller). */
export async function insertCrisis(
  trx: Db,
  c: { personId: number | null; caseId: number | null; severity: 'low' | 'medium' | 'high' | 'imminent'; occurredAt: string; sealedMeasures: Sealed; sealedOutcome: Sealed | null; path: string; recordedBy: number },
): Promise<number> {
  const row = await trx
    .insertInto('crisis_intervention')
    .values({ person_id: c.personId, case_id: c.caseId, severity: c.severity, occurred_at: c.occurredAt, measures: c.sealedMeasures, outcome: c.sealedOutcome, jurisdiction_path: c.path, recorded_by: c.recordedBy })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Referrals and crisis records of a person or of a case, oldest first. */
export async function psychRecords(db: Db, of: { personId: number } | { caseId: number }) {
  const [column, value] = 'personId' in of ? (['person_id', of.personId] as const) : (['case_id', of.caseId] as const);
  const [refs, crises] = await Promise.all([
    db.selectFrom('psych_referral').selectAll().where(column, '=', value).orderBy('id').execute(),
    db.selectFrom('crisis_intervention').selectAll().where(column, '=', value).orderBy('id').execute(),
  ]);
  return { refs, crises };
}
