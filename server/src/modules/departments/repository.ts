import { type Expression, type ExpressionBuilder, type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { placeName, type Scope, under } from '../jurisdictions/index.js';

type Db = Kysely<Database>;

const COLUMNS = ['d.id', 'd.code', 'd.name', 'd.kind', 'd.level', 'd.jurisdiction_code', 'd.phone', 'd.active'] as const;

type DeptEb = ExpressionBuilder<Database & { d: Database['department'] }, 'd'>;
const jurisdictionName = placeName('d.jurisdiction_code').as('jurisdiction_name');
// the scope's places and below, and the levels above it
const workedWith = (scope: Scope) => (eb: DeptEb) => eb.or([under(eb, 'd.jurisdiction_code', scope.jurisdictionPath), eb('d.jurisdiction_code', 'in', scope.jurisdictionPath.split('/'))]);

/**
 * Departments a user works with: those of their own jurisdiction and below, and those of the levels above
 * (a community dispatcher sends matters to the district's departments).
 */
export async function listDepartments(
  db: Db,
  scope: Scope,
  filter: { jurisdictionCode?: string | undefined; level?: 'city' | 'district' | undefined; kind?: string | undefined; q?: string | undefined; limit: number; offset: number },
) {
  let query = db.selectFrom('department as d').where(workedWith(scope));
  if (filter.jurisdictionCode) query = query.where('d.jurisdiction_code', '=', filter.jurisdictionCode);
  if (filter.level) query = query.where('d.level', '=', filter.level);
  if (filter.kind) query = query.where('d.kind', '=', filter.kind);
  if (filter.q) query = query.where((eb) => eb.or([eb('d.name', 'like', `%${filter.q}%`), eb('d.code', 'like', `${filter.q}%`)]));
  const [items, total] = await Promise.all([
    query.select(COLUMNS).select(jurisdictionName).orderBy('d.level').orderBy('d.jurisdiction_code').orderBy('d.code').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export function findDepartment(db: Db, id: number, scope: Scope) {
  return db.selectFrom('department as d').select(COLUMNS).select(jurisdictionName).where('d.id', '=', id).where(workedWith(scope)).executeTakeFirst();
}

/** Why a new department cannot be filed: its code is taken, or its place already has one of its kind. */
export async function departmentClash(db: Db, d: { code: string; kind: string; jurisdictionCode: string }): Promise<'code' | 'kind' | null> {
  if (await db.selectFrom('department').select('id').where('code', '=', d.code).executeTakeFirst()) return 'code';
  if (await db.selectFrom('department').select('id').where('kind', '=', d.kind).where('jurisdiction_code', '=', d.jurisdictionCode).executeTakeFirst()) return 'kind';
  return null;
}

/** Every department with kind, place and state (a routing cache's source). */
export function allDepartments(db: Db) {
  return db.selectFrom('department').select(['id', 'kind', 'jurisdiction_code', 'active']).orderBy('id').execute();
}

export interface NewDepartment {
  code: string;
  name: string;
  kind: string;
  level: 'city' | 'district';
  jurisdictionCode: string;
  phone: string | null;
}

export async function insertDepartments(db: Db, rows: readonly NewDepartment[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const ids = await db
    .insertInto('department')
    .values(rows.map((r) => ({ code: r.code, name: r.name, kind: r.kind, level: r.level, jurisdiction_code: r.jurisdictionCode, phone: r.phone })))
    .returning('id')
    .execute();
  return ids.map((r) => r.id);
}

export async function updateDepartment(db: Db, id: number, patch: { name?: string | undefined; phone?: string | null | undefined; active?: boolean | undefined }) {
  await db
    .updateTable('department')
    .set({ ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.phone !== undefined ? { phone: patch.phone } : {}), ...(patch.active !== undefined ? { active: patch.active } : {}), updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The name of the department whose id is in `column` (a reference or an SQL expression), as a sub-query. */
export const departmentName = (column: string | Expression<unknown>) => sql<string | null>`(SELECT name FROM department WHERE id = ${typeof column === 'string' ? sql.ref(column) : column})`;
