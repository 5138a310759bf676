import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import { viewerOf, visible } from '../access/index.js';
import { caseLabelRule, caseRule } from './access.js';
import type { Database } from '../../db/schema.js';
import { accountsOfDepartment, type SessionUser } from '../auth/index.js';
import { departmentName } from '../departments/index.js';
import { rankOf, type SecurityLabel } from '../privacy/index.js';
import { CASE_STATUSES, type CaseStatus } from './lifecycle.js';
import type { Viewer } from '../access/index.js';
import { centreAudience, routingReference } from './routing.js';
import type { CaseFileTable } from './tables.js';

type Db = Kysely<Database>;
export type CaseRow = Selectable<CaseFileTable>;

/** Which cases a user may see: the access layer's case rule (cases/access.ts). */
export const caseScope = (user: Pick<SessionUser, 'id' | 'roles' | 'departmentId' | 'jurisdictionPath' | 'jurisdictionLevel' | 'clearance'>) =>
  visible(caseRule, viewerOf(user), 'case_file') as (eb: ExpressionBuilder<Database, 'case_file'>) => Expression<SqlBool>;

export function findCase(db: Db, id: number, user: SessionUser, lock = false) {
  let q = db.selectFrom('case_file').selectAll().where('id', '=', id).where(caseScope(user));
  if (lock) q = q.forUpdate();
  return q.executeTakeFirst();
}

/**
 * A case whose label the user may manage, locked: the security admin finds it by jurisdiction alone (it manages
 * labels and reads no content), everyone else within their scope.
 */
export function findCaseForLabel(db: Db, id: number, user: SessionUser) {
  const rule = user.roles.includes('security_admin') ? caseLabelRule : caseRule;
  return db.selectFrom('case_file').selectAll().where('id', '=', id).where(visible(rule, viewerOf(user), 'case_file')).forUpdate().executeTakeFirst();
}

export function setCaseLabel(db: Db, id: number, label: SecurityLabel, now: Date) {
  return db
    .updateTable('case_file')
    .set((eb) => ({ security_label: label, security_rank: rankOf(label), version: eb('version', '+', 1), updated_at: now }))
    .where('id', '=', id)
    .returning(['id', 'number', 'security_label', 'version'])
    .executeTakeFirstOrThrow();
}

export interface CaseFilter {
  status?: string | undefined;
  statusType?: 'open' | 'closed' | undefined;
  matterTypeCode?: string | undefined;
  departmentId?: number | undefined;
  underPath?: string | undefined;
  channel?: string | undefined;
  overdue?: boolean | undefined;
  warningLevel?: 'none' | 'yellow' | 'red' | undefined;
  q?: string | undefined;
  /** keyed hash of a reporter's phone (privacy searchHash): exact match */
  reporterPhoneHash?: string | undefined;
  sort?: 'newest' | 'deadline' | 'supporters' | undefined;
  limit: number;
  offset: number;
}

function filteredCases(db: Db, user: SessionUser, f: Omit<CaseFilter, 'sort' | 'limit' | 'offset'>, now: Date) {
  let query = db.selectFrom('case_file').where(caseScope(user));
  // the status's type too, so the indexes of open cases serve a filter on an open status
  if (f.status) {
    query = query.where('status', '=', f.status);
    const type = CASE_STATUSES[f.status as CaseStatus]?.type;
    if (type) query = query.where('status_type', '=', type);
  }
  if (f.statusType) query = query.where('status_type', '=', f.statusType);
  if (f.matterTypeCode) query = query.where('matter_type_code', '=', f.matterTypeCode);
  if (f.departmentId) query = query.where('department_id', '=', f.departmentId);
  if (f.underPath) query = query.where('jurisdiction_path', 'like', `${f.underPath}%`);
  if (f.channel) query = query.where('channel', '=', f.channel);
  if (f.reporterPhoneHash) query = query.where('reporter_phone_hash', '=', f.reporterPhoneHash);
  if (f.warningLevel) query = query.where('warning_level', '=', f.warningLevel);
  if (f.overdue !== undefined) {
    query = f.overdue
      ? query.where('status_type', '=', 'open').where('deadline', '<', now)
      : query.where((eb) => eb.or([eb('status_type', '=', 'closed'), eb('deadline', 'is', null), eb('deadline', '>=', now)]));
  }
  if (f.q) {
    const like = `%${f.q}%`;
    query = query.where((eb) => eb.or([eb('title', 'like', like), eb('description', 'like', like), eb('number', 'like', `${f.q}%`), eb('address', 'like', like)]));
  }
  return query;
}

/** The board counts the matching cases up to this many; past it, its total is a lower bound (`totalCapped`). */
export const LIST_COUNT_CAP = 1000;

/** How many cases match, exactly; or, with a cap, at most cap + 1 (an exact count of millions takes seconds). */
export async function countCases(db: Db, user: SessionUser, f: Omit<CaseFilter, 'sort' | 'limit' | 'offset'>, now: Date, cap?: number): Promise<number> {
  const filtered = filteredCases(db, user, f, now);
  const { n } =
    cap === undefined
      ? await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
      : await db
          .selectFrom(filtered.select(sql<number>`1`.as('one')).limit(cap + 1).as('m'))
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
  return Number(n);
}

export async function listCases(db: Db, user: SessionUser, f: CaseFilter, now: Date) {
  let ordered = filteredCases(db, user, f, now).selectAll();
  // NULLS LAST, not `deadline IS NULL`: the same order, and the open cases' (deadline, id) index serves it
  if (f.sort === 'deadline') ordered = ordered.orderBy('deadline', (ob) => ob.asc().nullsLast()).orderBy('id');
  else if (f.sort === 'supporters') ordered = ordered.orderBy('supporter_count', 'desc').orderBy('id', 'desc');
  else ordered = ordered.orderBy('id', 'desc');
  const [items, n] = await Promise.all([ordered.limit(f.limit).offset(f.offset).execute(), countCases(db, user, f, now, LIST_COUNT_CAP)]);
  if (n <= LIST_COUNT_CAP) return { items, total: n, totalCapped: false };
  // at least the cap, and one more page while pages come back full
  return { items, total: Math.max(LIST_COUNT_CAP + 1, f.offset + items.length + (items.length === f.limit ? 1 : 0)), totalCapped: true };
}

export function caseEvents(db: Db, caseId: number) {
  return db.selectFrom('case_event').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

export function caseAssignments(db: Db, caseId: number) {
  return db
    .selectFrom('case_assignment as a')
    .select(['a.department_id', departmentName('a.department_id').as('department_name'), 'a.role', 'a.feedback', 'a.fed_back_at', 'a.assigned_at'])
    .where('a.case_id', '=', caseId)
    .orderBy('a.assigned_at')
    .execute();
}

export function caseAttachments(db: Db, caseId: number) {
  return db
    .selectFrom('case_attachment')
    .select(['id', 'file_name', 'label', 'mime_type', 'size_bytes', 'uploaded_at'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}

export async function insertEvent(
  db: Db,
  e: { caseId: number; actorId: number | null; actorName: string; action: string; from: string | null; to: string | null; note?: string | null; detail?: Record<string, unknown>; attachmentIds?: number[] },
): Promise<void> {
  await db
    .insertInto('case_event')
    .values({
      case_id: e.caseId,
      actor_id: e.actorId,
      actor_name: e.actorName,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      note: e.note ?? null,
      detail: JSON.stringify(e.detail ?? {}),
      attachment_ids: JSON.stringify(e.attachmentIds ?? []),
    })
    .execute();
}

/** The dispatchers and supervisors of a centre: who a change there would tell (notify keeps those who may see it). */
export async function centreStaff(db: Db, jurisdictionCode: string): Promise<readonly Viewer[]> {
  return centreAudience(await routingReference(db), jurisdictionCode);
}

export const departmentHandlers = accountsOfDepartment;

/** Open cases of the same matter near a point within a time window: possible duplicates shown at intake. */
export async function nearbyOpenCases(
  db: Db,
  p: { matterTypeCode: string; box: { minLng: number; maxLng: number; minLat: number; maxLat: number }; since: Date; excludeId?: number; viewer: Viewer },
) {
  let q = db
    .selectFrom('case_file')
    .select(['id', 'number', 'title', 'status', 'lng', 'lat', 'created_at', 'supporter_count', 'jurisdiction_path', 'department_id'])
    .where('matter_type_code', '=', p.matterTypeCode)
    .where('status_type', '=', 'open')
    .where('parent_case_id', 'is', null)
    .where('created_at', '>=', p.since)
    .where('lng', '>=', p.box.minLng)
    .where('lng', '<=', p.box.maxLng)
    .where('lat', '>=', p.box.minLat)
    .where('lat', '<=', p.box.maxLat);
  if (p.excludeId) q = q.where('id', '!=', p.excludeId);
  q = q.where(visible(caseRule, p.viewer));
  return q.orderBy('id', 'desc').limit(20).execute();
}

/** Open supervision items (督办) of the cases the viewer may see. */
export function listSupervision(db: Db, viewer: Viewer, limit: number, offset: number) {
  const q = db
    .selectFrom('supervision_item as s')
    .innerJoin('case_file as c', 'c.id', 's.case_id')
    .where(visible(caseRule, viewer, 'c'))
    .where('s.status', '=', 'open');
  return Promise.all([
    q.select(['s.id', 's.kind', 's.note', 's.opened_at', 's.jurisdiction_code', 'c.id as case_id', 'c.number', 'c.title', 'c.deadline', 'c.department_id']).orderBy('s.id', 'desc').limit(limit).offset(offset).execute(),
    q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
}
