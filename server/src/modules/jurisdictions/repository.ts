import { type Kysely, sql } from 'kysely';
import type { Database, JurisdictionLevel } from '../../db/schema.js';
import { type Scope, scopePattern } from './scope.js';

type Db = Kysely<Database>;

export interface JurisdictionInput {
  code: string;
  name: string;
  level: JurisdictionLevel;
  parentCode: string | null;
}

/**
 * Inserts or renames jurisdictions, parents before children (the caller sorts by level).
 * Paths come from the parent's path, so a parent must exist in the database or earlier in `rows`.
 */
export async function upsertJurisdictions(db: Db, rows: readonly JurisdictionInput[]): Promise<{ inserted: number; updated: number }> {
  const paths = new Map<string, string>();
  const parentCodes = [...new Set(rows.map((r) => r.parentCode).filter((c): c is string => c !== null))];
  for (let i = 0; i < parentCodes.length; i += 5000) {
    const found = await db.selectFrom('jurisdiction').select(['code', 'path']).where('code', 'in', parentCodes.slice(i, i + 5000)).execute();
    for (const f of found) paths.set(f.code, f.path);
  }
  const existing = new Set<string>();
  const codes = rows.map((r) => r.code);
  for (let i = 0; i < codes.length; i += 5000) {
    const found = await db.selectFrom('jurisdiction').select('code').where('code', 'in', codes.slice(i, i + 5000)).execute();
    for (const f of found) existing.add(f.code);
  }
  const values = rows.map((r) => {
    const parentPath = r.parentCode ? paths.get(r.parentCode) : '';
    if (parentPath === undefined) throw new Error(`parent ${r.parentCode} of ${r.code} is unknown`);
    const path = parentPath ? `${parentPath}/${r.code}` : r.code;
    paths.set(r.code, path);
    return { code: r.code, name: r.name, level: r.level, parent_code: r.parentCode, path };
  });
  for (let i = 0; i < values.length; i += 1000) {
    await db
      .insertInto('jurisdiction')
      .values(values.slice(i, i + 1000))
      .onConflict((oc) =>
        oc.column('code').doUpdateSet((eb) => ({ name: eb.ref('excluded.name'), updated_at: sql<Date>`now()` })),
      )
      .execute();
  }
  const updated = rows.filter((r) => existing.has(r.code)).length;
  return { inserted: rows.length - updated, updated };
}

export interface JurisdictionNode {
  code: string;
  name: string;
  level: JurisdictionLevel;
  children: JurisdictionNode[];
}

/** The tree below (and including) the scope's root. */
export async function scopeTree(db: Db, scope: Scope): Promise<JurisdictionNode | null> {
  const rows = await db
    .selectFrom('jurisdiction')
    .select(['code', 'name', 'level', 'parent_code', 'path'])
    .where('path', 'like', scopePattern(scope))
    .orderBy('path')
    .execute();
  const byCode = new Map<string, JurisdictionNode>();
  let root: JurisdictionNode | null = null;
  for (const r of rows) {
    const node: JurisdictionNode = { code: r.code, name: r.name, level: r.level, children: [] };
    byCode.set(r.code, node);
    const parent = r.parent_code ? byCode.get(r.parent_code) : undefined;
    if (parent) parent.children.push(node);
    else if (r.path === scope.jurisdictionPath) root = node;
  }
  return root;
}

export async function findInScope(db: Db, code: string, scope: Scope) {
  return db
    .selectFrom('jurisdiction')
    .select(['code', 'name', 'level', 'parent_code', 'path'])
    .where('code', '=', code)
    .where('path', 'like', scopePattern(scope))
    .executeTakeFirst();
}

export async function findByCodes(db: Db, codes: readonly string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('jurisdiction').select(['code', 'name', 'level', 'parent_code', 'path']).where('code', 'in', codes).execute();
}

/** Every place with its level and path (a routing cache's source). */
export function allPlaces(db: Db) {
  return db.selectFrom('jurisdiction').select(['code', 'name', 'level', 'path']).execute();
}

/** The places of a level directly under a parent, by code. */
export function childrenOf(db: Db, parentCode: string, level: JurisdictionLevel) {
  return db.selectFrom('jurisdiction').select(['code', 'name']).where('parent_code', '=', parentCode).where('level', '=', level).orderBy('code').execute();
}

export async function codesAtLevel(db: Db, level: JurisdictionLevel): Promise<string[]> {
  return (await db.selectFrom('jurisdiction').select('code').where('level', '=', level).execute()).map((j) => j.code);
}

export async function countChildren(db: Db, code: string): Promise<number> {
  const r = await db.selectFrom('jurisdiction').select((eb) => eb.fn.countAll<number>().as('n')).where('parent_code', '=', code).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function listInScope(
  db: Db,
  scope: Scope,
  filter: { parentCode?: string | undefined; level?: JurisdictionLevel | undefined; q?: string | undefined; limit: number; offset: number },
) {
  let query = db.selectFrom('jurisdiction').where('path', 'like', scopePattern(scope));
  if (filter.parentCode) query = query.where('parent_code', '=', filter.parentCode);
  if (filter.level) query = query.where('level', '=', filter.level);
  if (filter.q) query = query.where((eb) => eb.or([eb('name', 'like', `%${filter.q}%`), eb('code', 'like', `${filter.q}%`)]));
  const [items, total] = await Promise.all([
    query.select(['code', 'name', 'level', 'parent_code', 'path']).orderBy('path').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}
