import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Scope } from '../jurisdictions/index.js';

type Db = Kysely<Database>;

const COLUMNS = ['d.id', 'd.code', 'd.name', 'd.kind', 'd.level', 'd.jurisdiction_code', 'j.name as jurisdiction_name', 'd.phone', 'd.active'] as const;

/**
 * Departments a user works with: those of their own jurisdiction and below, and those of the levels above
 * (a community dispatcher sends matters to the district's departments).
 */
export async function listDepartments(
  db: Db,
  scope: Scope,
  filter: { jurisdictionCode?: string | undefined; level?: 'city' | 'district' | undefined; kind?: string | undefined; q?: string | undefined; limit: number; offset: number },
) {
  const ancestors = scope.jurisdictionPath.split('/');
  let query = db
    .selectFrom('department as d')
    .innerJoin('jurisdiction as j', 'j.code', 'd.jurisdiction_code')
    .where((eb) => eb.or([eb('j.path', 'like', `${scope.jurisdictionPath}%`), eb('d.jurisdiction_code', 'in', ancestors)]));
  if (filter.jurisdictionCode) query = query.where('d.jurisdiction_code', '=', filter.jurisdictionCode);
  if (filter.level) query = query.where('d.level', '=', filter.level);
  if (filter.kind) query = query.where('d.kind', '=', filter.kind);
  if (filter.q) query = query.where((eb) => eb.or([eb('d.name', 'like', `%${filter.q}%`), eb('d.code', 'like', `${filter.q}%`)]));
  const [items, total] = await Promise.all([
    query.select(COLUMNS).orderBy('d.level').orderBy('d.jurisdiction_code').orderBy('d.code').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export function findDepartment(db: Db, id: number, scope: Scope) {
  const ancestors = scope.jurisdictionPath.split('/');
  return db
    .selectFrom('department as d')
    .innerJoin('jurisdiction as j', 'j.code', 'd.jurisdiction_code')
    .select(COLUMNS)
    .where('d.id', '=', id)
    .where((eb) => eb.or([eb('j.path', 'like', `${scope.jurisdictionPath}%`), eb('d.jurisdiction_code', 'in', ancestors)]))
    .executeTakeFirst();
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
