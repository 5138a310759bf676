import { type Expression, type Kysely, sql } from 'kysely';
import type { Database, JurisdictionLevel, Priority } from '../../db/schema.js';
import { userName } from '../auth/index.js';
import { CATALOGUE } from './catalogue.js';

type Db = Kysely<Database>;

export interface MatterTypeFields {
  name: string;
  category: string;
  description: string;
  keywords: string[];
  timeLimitDays: number;
  priority: Priority;
  handlingLevel: JurisdictionLevel;
  active: boolean;
}

const COLUMNS = ['code', 'name', 'category', 'description', 'keywords', 'time_limit_days', 'priority', 'handling_level', 'active'] as const;

export async function listMatterTypes(db: Db, filter: { category?: string | undefined; q?: string | undefined; active?: boolean | undefined; limit: number; offset: number }) {
  let query = db.selectFrom('matter_type');
  if (filter.category) query = query.where('category', '=', filter.category);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active);
  if (filter.q) {
    const q = filter.q;
    query = query.where((eb) => eb.or([eb('name', 'like', `%${q}%`), eb('code', 'like', `${q}%`), eb(sql`keywords::text`, 'like', `%${q}%`)]));
  }
  const [items, total] = await Promise.all([
    query.select(COLUMNS).orderBy('code').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export const findMatterType = (db: Db, code: string) => db.selectFrom('matter_type').select(COLUMNS).where('code', '=', code).executeTakeFirst();

export async function insertMatterType(db: Db, code: string, f: MatterTypeFields) {
  await db
    .insertInto('matter_type')
    .values({
      code,
      name: f.name,
      category: f.category,
      description: f.description,
      keywords: JSON.stringify(f.keywords),
      time_limit_days: f.timeLimitDays,
      priority: f.priority,
      handling_level: f.handlingLevel,
      active: f.active,
    })
    .execute();
}

export async function updateMatterType(db: Db, code: string, f: Partial<MatterTypeFields>) {
  await db
    .updateTable('matter_type')
    .set({
      ...(f.name !== undefined ? { name: f.name } : {}),
      ...(f.category !== undefined ? { category: f.category } : {}),
      ...(f.description !== undefined ? { description: f.description } : {}),
      ...(f.keywords !== undefined ? { keywords: JSON.stringify(f.keywords) } : {}),
      ...(f.timeLimitDays !== undefined ? { time_limit_days: f.timeLimitDays } : {}),
      ...(f.priority !== undefined ? { priority: f.priority } : {}),
      ...(f.handlingLevel !== undefined ? { handling_level: f.handlingLevel } : {}),
      ...(f.active !== undefined ? { active: f.active } : {}),
      updated_at: new Date(),
    })
    .where('code', '=', code)
    .execute();
}

/** Active matter types, every column (a routing cache's source). */
export function activeMatterTypes(db: Db) {
  return db.selectFrom('matter_type').selectAll().where('active', '=', true).execute();
}

/** Every cell of the responsibility matrix (a routing cache's source). */
export function responsibilityCells(db: Db) {
  return db.selectFrom('responsibility').select(['matter_type_code', 'level', 'department_kind']).execute();
}

export function matrixRows(db: Db, matterTypeCode?: string) {
  let query = db.selectFrom('responsibility').select(['matter_type_code', 'level', 'department_kind', 'updated_at']);
  if (matterTypeCode) query = query.where('matter_type_code', '=', matterTypeCode);
  return query.orderBy('matter_type_code').orderBy('level').execute();
}

/** Sets one cell of the responsibility matrix, keeping the old value in its history. Run inside a transaction. */
export async function setResponsibility(db: Db, props: { matterTypeCode: string; level: JurisdictionLevel; departmentKind: string | null; reason: string; userId: number | null }) {
  const old = await db
    .selectFrom('responsibility')
    .select('department_kind')
    .where('matter_type_code', '=', props.matterTypeCode)
    .where('level', '=', props.level)
    .forUpdate()
    .executeTakeFirst();
  await db
    .insertInto('responsibility')
    .values({ matter_type_code: props.matterTypeCode, level: props.level, department_kind: props.departmentKind, updated_by: props.userId, updated_at: new Date() })
    .onConflict((oc) => oc.columns(['matter_type_code', 'level']).doUpdateSet({ department_kind: props.departmentKind, updated_by: props.userId, updated_at: new Date() }))
    .execute();
  await db
    .insertInto('responsibility_history')
    .values({
      matter_type_code: props.matterTypeCode,
      level: props.level,
      old_department_kind: old?.department_kind ?? null,
      new_department_kind: props.departmentKind,
      reason: props.reason,
      changed_by: props.userId,
    })
    .execute();
}

export function matrixHistory(db: Db, matterTypeCode: string | undefined, limit: number, offset: number) {
  let query = db.selectFrom('responsibility_history as h');
  if (matterTypeCode) query = query.where('h.matter_type_code', '=', matterTypeCode);
  return Promise.all([
    query
      .select(['h.matter_type_code', 'h.level', 'h.old_department_kind', 'h.new_department_kind', 'h.reason', 'h.changed_at'])
      .select(userName('h.changed_by').as('display_name'))
      .orderBy('h.id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
}

/** Loads Zhili's default catalogue and matrix into an empty database; a city then edits its own. */
export async function seedDefaultCatalogue(db: Db): Promise<number> {
  const any = await db.selectFrom('matter_type').select('code').limit(1).executeTakeFirst();
  if (any) return 0;
  await db.transaction().execute(async (trx) => {
    for (const m of CATALOGUE) {
      await insertMatterType(trx, m.code, {
        name: m.name,
        category: m.category,
        description: m.description,
        keywords: m.keywords,
        timeLimitDays: m.timeLimitDays,
        priority: m.priority,
        handlingLevel: m.handlingLevel,
        active: true,
      });
    }
    const cells = CATALOGUE.flatMap((m) =>
      (Object.entries(m.departments) as Array<[JurisdictionLevel, string | null]>).map(([level, kind]) => ({
        matter_type_code: m.code,
        level,
        department_kind: kind,
        updated_by: null,
      })),
    );
    for (let i = 0; i < cells.length; i += 500) await trx.insertInto('responsibility').values(cells.slice(i, i + 500)).execute();
  });
  return CATALOGUE.length;
}

/** One column of the matter type whose code is in `column` (a reference or an SQL expression), as a sub-query. */
export function matterField<F extends 'name' | 'time_limit_days' | 'priority'>(column: string | Expression<unknown>, field: F) {
  return sql<{ name: string; time_limit_days: number; priority: Priority }[F] | null>`(SELECT ${sql.ref(field)} FROM matter_type WHERE code = ${typeof column === 'string' ? sql.ref(column) : column})`;
}

/** When the catalogue last changed. */
export async function mattersChangedAt(db: Db): Promise<Date | null> {
  const row = await db.selectFrom('matter_type').select((eb) => eb.fn.max('updated_at').as('at')).executeTakeFirst();
  return row?.at ? new Date(row.at) : null;
}
