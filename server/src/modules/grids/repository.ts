import { type Expression, type Kysely, sql } from 'kysely';
import type { Database, GeoJsonPolygon, GridKind } from '../../db/schema.js';
import { userName } from '../auth/index.js';
import { inScope, type Scope, under } from '../jurisdictions/index.js';
import { bboxOf } from './geometry.js';

type Db = Kysely<Database>;

export interface GridFields {
  name: string;
  kind: GridKind;
  category: string | null;
  communityCode: string;
  geometry: GeoJsonPolygon;
  status: 'active' | 'retired';
}

export interface Filing {
  reason: string;
  filingNumber: string | null;
  filedBy: number | null;
}

const GRID_COLUMNS = ['grid.id', 'grid.code', 'grid.name', 'grid.kind', 'grid.category', 'grid.community_code', 'grid.status', 'grid.version', 'grid.geometry', 'grid.updated_at'] as const;

export async function listGrids(
  db: Db,
  scope: Scope,
  filter: { underPath?: string | undefined; kind?: GridKind | undefined; status?: 'active' | 'retired' | 'all' | undefined; q?: string | undefined; limit: number; offset: number },
) {
  let query = db.selectFrom('grid').where((eb) => inScope(eb, 'grid.community_code', scope));
  const underPath = filter.underPath;
  if (underPath) query = query.where((eb) => under(eb, 'grid.community_code', underPath));
  if (filter.kind) query = query.where('grid.kind', '=', filter.kind);
  if (filter.status !== 'all') query = query.where('grid.status', '=', filter.status ?? 'active');
  if (filter.q) query = query.where((eb) => eb.or([eb('grid.name', 'like', `%${filter.q}%`), eb('grid.code', 'like', `${filter.q}%`)]));
  const [items, total] = await Promise.all([
    query.select(GRID_COLUMNS).orderBy('grid.code').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export function findGrid(db: Db, id: number, scope: Scope) {
  return db
    .selectFrom('grid')
    .select(GRID_COLUMNS)
    .where('grid.id', '=', id)
    .where((eb) => inScope(eb, 'grid.community_code', scope))
    .executeTakeFirst();
}

export function gridVersions(db: Db, gridId: number) {
  return db
    .selectFrom('grid_version as v')
    .select(['v.version', 'v.name', 'v.kind', 'v.category', 'v.community_code', 'v.status', 'v.geometry', 'v.reason', 'v.filing_number', 'v.filed_at', 'v.filed_by as filer_id'])
    .select(userName('v.filed_by').as('filer_name'))
    .where('v.grid_id', '=', gridId)
    .orderBy('v.version', 'desc')
    .execute();
}

/** Active grids in the places under a path. */
export async function countActiveGrids(db: Db, path: string): Promise<number> {
  const row = await db
    .selectFrom('grid')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((eb) => under(eb, 'grid.community_code', path))
    .where('grid.status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A grid's place and status, whatever the viewer's scope (the caller checks the place). */
export function gridPlace(db: Db, id: number) {
  return db.selectFrom('grid').select(['id', 'community_code', 'status']).where('id', '=', id).executeTakeFirst();
}

/** The code or name of the grid whose id is in `column` (a reference or an SQL expression), as a sub-query. */
export function gridField<F extends 'code' | 'name'>(column: string | Expression<unknown>, field: F) {
  return sql<string>`(SELECT ${sql.ref(field)} FROM grid WHERE id = ${typeof column === 'string' ? sql.ref(column) : column})`;
}

export async function codeExists(db: Db, code: string): Promise<boolean> {
  return (await db.selectFrom('grid').select('id').where('code', '=', code).executeTakeFirst()) !== undefined;
}

function gridRow(f: GridFields) {
  const [min_lng, min_lat, max_lng, max_lat] = bboxOf(f.geometry);
  return {
    name: f.name,
    kind: f.kind,
    category: f.category,
    community_code: f.communityCode,
    geometry: JSON.stringify(f.geometry),
    status: f.status,
    min_lng,
    min_lat,
    max_lng,
    max_lat,
  };
}

function versionRow(gridId: number, version: number, f: GridFields, filing: Filing) {
  return {
    grid_id: gridId,
    version,
    name: f.name,
    kind: f.kind,
    category: f.category,
    community_code: f.communityCode,
    geometry: JSON.stringify(f.geometry),
    status: f.status,
    reason: filing.reason,
    filing_number: filing.filingNumber,
    filed_by: filing.filedBy,
  };
}

/** Creates a grid and its first filed version; run inside a transaction. */
export async function insertGrid(db: Db, code: string, fields: GridFields, filing: Filing): Promise<number> {
  const { id } = await db.insertInto('grid').values({ code, ...gridRow(fields), version: 1 }).returning('id').executeTakeFirstOrThrow();
  await db.insertInto('grid_version').values(versionRow(id, 1, fields, filing)).execute();
  return id;
}

/** Locks the grid row for an update in the caller's transaction. */
export function lockGrid(db: Db, id: number) {
  return db.selectFrom('grid').select(GRID_COLUMNS).where('grid.id', '=', id).forUpdate().executeTakeFirst();
}

/** Applies a change as a new version: the current row is replaced, the old state stays in grid_version. */
export async function updateGrid(db: Db, id: number, version: number, fields: GridFields, filing: Filing): Promise<void> {
  await db.updateTable('grid').set({ ...gridRow(fields), version, updated_at: new Date() }).where('id', '=', id).execute();
  await db.insertInto('grid_version').values(versionRow(id, version, fields, filing)).execute();
}

/** Inserts many grids with their first versions in one go (imports, the demo city). */
export async function insertGrids(db: Db, grids: Array<{ code: string } & GridFields>, filing: Filing): Promise<void> {
  for (let i = 0; i < grids.length; i += 200) {
    const chunk = grids.slice(i, i + 200);
    const ids = await db
      .insertInto('grid')
      .values(chunk.map((g) => ({ code: g.code, ...gridRow(g), version: 1 })))
      .returning(['id', 'code'])
      .execute();
    const idOf = new Map(ids.map((r) => [r.code, r.id]));
    await db
      .insertInto('grid_version')
      .values(chunk.map((g) => versionRow(idOf.get(g.code)!, 1, g, filing)))
      .execute();
  }
}
