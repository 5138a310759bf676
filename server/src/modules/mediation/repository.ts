import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely';
import { viewerOf, visible } from '../access/index.js';
import { disputeRule } from './access.js';
import type { Database, JurisdictionLevel } from '../../db/schema.js';
import { caseField } from '../cases/index.js';
import type { SessionUser } from '../auth/index.js';
import type { DisputeTable } from './tables.js';

type Db = Kysely<Database>;
export type DisputeRow = Selectable<DisputeTable>;
type Scoped = Pick<SessionUser, 'id' | 'roles' | 'jurisdictionPath' | 'jurisdictionLevel' | 'departmentId' | 'clearance'>;

/** Which disputes a user sees: the access layer's dispute rule (mediation/access.ts). */
export const disputeScope = (user: Scoped) => visible(disputeRule, viewerOf(user), 'dispute') as (eb: ExpressionBuilder<Database, 'dispute'>) => Expression<SqlBool>;

export function findDispute(db: Db, id: number, user: Scoped, lock = false) {
  let q = db.selectFrom('dispute').selectAll().where('id', '=', id).where(disputeScope(user));
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

export interface DisputeFilter {
  status?: string | undefined;
  statusType?: 'open' | 'resolved' | 'closed' | undefined;
  disputeType?: string | undefined;
  path?: string | undefined;
  mine?: boolean | undefined;
  underPath?: string | undefined;
  limit: number;
  offset: number;
}

export async function listDisputes(db: Db, user: Scoped, f: DisputeFilter) {
  let q = db.selectFrom('dispute').where(disputeScope(user));
  if (f.status) q = q.where('dispute.status', '=', f.status);
  if (f.statusType) q = q.where('dispute.status_type', '=', f.statusType);
  if (f.disputeType) q = q.where('dispute.dispute_type', '=', f.disputeType);
  if (f.path) q = q.where('dispute.path', '=', f.path);
  if (f.underPath) q = q.where('dispute.jurisdiction_path', 'like', `${f.underPath}%`);
  if (f.mine) q = q.where('dispute.mediator_id', 'in', (eb) => eb.selectFrom('mediator').select('mediator.id').where('mediator.user_id', '=', user.id));
  const [items, total] = await Promise.all([
    q.selectAll('dispute').select([caseField('dispute.case_id', 'number').as('case_number'), caseField('dispute.case_id', 'title').as('case_title')]).orderBy('dispute.created_at', 'desc').orderBy('dispute.id', 'desc').limit(f.limit).offset(f.offset).execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function insertDisputeEvent(
  db: Db,
  e: { disputeId: number; actorId: number | null; actorName: string; action: string; from: string | null; to: string | null; note?: string | null; detail?: Record<string, unknown> },
) {
  await db
    .insertInto('dispute_event')
    .values({ dispute_id: e.disputeId, actor_id: e.actorId, actor_name: e.actorName, action: e.action, from_status: e.from, to_status: e.to, note: e.note ?? null, detail: JSON.stringify(e.detail ?? {}) })
    .execute();
}

export const disputeEvents = (db: Db, id: number) => db.selectFrom('dispute_event').selectAll().where('dispute_id', '=', id).orderBy('id').execute();
export const disputeParties = (db: Db, id: number) => db.selectFrom('dispute_party').selectAll().where('dispute_id', '=', id).orderBy('position').execute();
export const disputeDiversions = (db: Db, id: number) =>
  db.selectFrom('dispute_diversion').leftJoin('mediation_org', 'mediation_org.id', 'dispute_diversion.org_id').selectAll('dispute_diversion').select('mediation_org.name as org_name').where('dispute_id', '=', id).orderBy('dispute_diversion.id').execute();
export const disputeSessions = (db: Db, id: number) =>
  db.selectFrom('mediation_session').leftJoin('mediator', 'mediator.id', 'mediation_session.mediator_id').selectAll('mediation_session').select('mediator.display_name as mediator_name').where('dispute_id', '=', id).orderBy('held_at').orderBy('mediation_session.id').execute();
export const disputeFollowUps = (db: Db, id: number) => db.selectFrom('dispute_follow_up').selectAll().where('dispute_id', '=', id).orderBy('due_on').orderBy('id').execute();
export const disputeMeetings = (db: Db, id: number) => db.selectFrom('dispute_joint_meeting').selectAll().where('dispute_id', '=', id).orderBy('held_at').execute();

export const findMediator = (db: Db, id: number) => db.selectFrom('mediator').innerJoin('mediation_org', 'mediation_org.id', 'mediator.org_id').selectAll('mediator').select('mediation_org.name as org_name').where('mediator.id', '=', id).executeTakeFirst();
export const findOrg = (db: Db, id: number) => db.selectFrom('mediation_org').selectAll().where('id', '=', id).executeTakeFirst();
export const mediatorOfUser = (db: Db, userId: number) => db.selectFrom('mediator').selectAll().where('user_id', '=', userId).executeTakeFirst();

/** Mediators with their active caseload and outcomes so far. */
export async function mediatorsWithLoad(db: Db, filter: { underPath?: string | undefined; orgId?: number | undefined; activeOnly?: boolean | undefined } = {}) {
  let q = db
    .selectFrom('mediator')
    .innerJoin('mediation_org', 'mediation_org.id', 'mediator.org_id')
    .selectAll('mediator')
    .select((eb) => [
      'mediation_org.name as org_name',
      eb.selectFrom('dispute').select(eb.fn.countAll<number>().as('n')).whereRef('dispute.mediator_id', '=', 'mediator.id').where('dispute.status', '=', 'mediating').as('active_cases'),
      eb.selectFrom('dispute').select(eb.fn.countAll<number>().as('n')).whereRef('dispute.mediator_id', '=', 'mediator.id').where('dispute.outcome', 'in', ['agreement', 'partial']).as('agreements'),
      eb.selectFrom('dispute').select(eb.fn.countAll<number>().as('n')).whereRef('dispute.mediator_id', '=', 'mediator.id').where('dispute.outcome', 'is not', null).as('concluded'),
    ]);
  if (filter.underPath) q = q.where('mediator.jurisdiction_path', 'like', `${filter.underPath}%`);
  if (filter.orgId) q = q.where('mediator.org_id', '=', filter.orgId);
  if (filter.activeOnly) q = q.where('mediator.active', '=', true);
  const rows = await q.orderBy('mediator.id').execute();
  return rows.map((r) => ({ ...r, active_cases: Number(r.active_cases ?? 0), agreements: Number(r.agreements ?? 0), concluded: Number(r.concluded ?? 0) }));
}

/** Organisations serving a place (at it, above it on its chain, or below it), of a kind. */
export function orgsServing(db: Db, f: { path?: string | undefined; kind?: string | undefined }) {
  let q = db.selectFrom('mediation_org').selectAll();
  const path = f.path;
  if (path) q = q.where((eb) => eb.or([eb('jurisdiction_code', 'in', path.split('/')), eb('jurisdiction_path', 'like', `${path}%`)]));
  if (f.kind) q = q.where('kind', '=', f.kind);
  return q.orderBy('jurisdiction_path').orderBy('id').execute();
}

/** Registers an organisation; undefined when its code is taken. */
export function insertOrg(trx: Db, o: { code: string; name: string; kind: string; level: JurisdictionLevel; jurisdictionCode: string; path: string; specialties: readonly string[] }) {
  return trx
    .insertInto('mediation_org')
    .values({ code: o.code, name: o.name, kind: o.kind, level: o.level, jurisdiction_code: o.jurisdictionCode, jurisdiction_path: o.path, specialties: JSON.stringify(o.specialties) })
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export const findOrgInScope = (db: Db, id: number, scopePath: string) => db.selectFrom('mediation_org').selectAll().where('id', '=', id).where('jurisdiction_path', 'like', `${scopePath}%`).executeTakeFirst();

/** Registers a mediator of an organisation; undefined when the account is a mediator already. */
export function insertMediator(trx: Db, m: { userId: number | null; displayName: string; org: { id: number; jurisdiction_code: string; jurisdiction_path: string }; specialties: readonly string[] }) {
  return trx
    .insertInto('mediator')
    .values({ user_id: m.userId, display_name: m.displayName, org_id: m.org.id, jurisdiction_code: m.org.jurisdiction_code, jurisdiction_path: m.org.jurisdiction_path, specialties: JSON.stringify(m.specialties) })
    .onConflict((oc) => oc.column('user_id').doNothing())
    .returning('id')
    .executeTakeFirst();
}
