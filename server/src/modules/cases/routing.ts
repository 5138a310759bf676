import type { Kysely, Selectable } from 'kysely';
import { ReferenceCache, type Revisions } from '../../db/reference.js';
import type { Database, JurisdictionLevel, MatterTypeTable } from '../../db/schema.js';
import type { Viewer } from '../access/index.js';
import { activeStaff, type Role } from '../auth/index.js';
import { allDepartments } from '../departments/index.js';
import { allPlaces } from '../jurisdictions/index.js';
import { activeMatterTypes, type DepartmentRef, type MatrixEntry, NowhereToRouteError, resolveResponsible, responsibilityCells } from '../matters/index.js';

export interface Route {
  level: JurisdictionLevel;
  jurisdictionCode: string;
  path: string;
  departmentId: number | null;
  /** why the route is what it is, when it is not the plain matrix answer */
  note: string | null;
}

export interface JurisdictionRef {
  code: string;
  name: string;
  level: JurisdictionLevel;
  path: string;
}

export type MatterRow = Selectable<MatterTypeTable>;

/** What intake and routing read on every case, kept in memory per process (db/reference.ts). */
export interface RoutingReference {
  jurisdictions: ReadonlyMap<string, JurisdictionRef>;
  /** active matter types by code */
  matters: ReadonlyMap<string, MatterRow>;
  /** active matter types for the suggestion from the text */
  catalogue: ReadonlyArray<{ code: string; name: string; keywords: string[] }>;
  matrix: ReadonlyMap<string, MatrixEntry[]>;
  departments: ReadonlyMap<string, DepartmentRef[]>;
  /** active dispatchers and supervisors of each centre, as the access layer sees them */
  centreStaff: ReadonlyMap<string, ReadonlyArray<Viewer>>;
}

function groupBy<T, K>(rows: readonly T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

const cache = new ReferenceCache<RoutingReference>(['jurisdiction', 'matter_type', 'responsibility', 'department', 'staff'], async (db) => {
  const [jurisdictions, matters, matrix, departments, staff] = await Promise.all([
    allPlaces(db),
    activeMatterTypes(db),
    responsibilityCells(db),
    allDepartments(db),
    activeStaff(db),
  ]);
  const places = new Map(jurisdictions.map((j) => [j.code, j]));
  return {
    jurisdictions: places,
    matters: new Map(matters.map((m) => [m.code, m])),
    catalogue: matters.map((m) => ({ code: m.code, name: m.name, keywords: m.keywords })),
    matrix: new Map([...groupBy(matrix, (m) => m.matter_type_code)].map(([k, v]) => [k, v.map((m) => ({ level: m.level, departmentKind: m.department_kind }))])),
    departments: groupBy(
      departments.map((d) => ({ id: d.id, kind: d.kind, jurisdictionCode: d.jurisdiction_code, active: d.active })),
      (d) => d.jurisdictionCode,
    ),
    centreStaff: new Map(
      [...groupBy(
        staff.filter((u) => (u.roles.includes('dispatcher') || u.roles.includes('supervisor')) && places.has(u.jurisdiction_code)),
        (u) => u.jurisdiction_code,
      )].map(([code, users]) => [
        code,
        users.map((u): Viewer => ({ id: u.id, roles: u.roles as Role[], jurisdictionPath: places.get(code)!.path, jurisdictionLevel: places.get(code)!.level, departmentId: u.department_id, clearance: u.clearance })),
      ]),
    ),
  };
});

/** The routing reference as of now (one small query when nothing changed). */
export function routingReference(db: Kysely<Database>, revisions?: Revisions): Promise<RoutingReference> {
  return cache.get(db, revisions);
}

/** The dispatchers and supervisors of a centre: who a change at that centre would tell (the access layer decides who is). */
export function centreAudience(ref: RoutingReference, jurisdictionCode: string): readonly Viewer[] {
  return ref.centreStaff.get(jurisdictionCode) ?? [];
}

export interface RouteRequest {
  matter: { code: string; handling_level: JurisdictionLevel } | null;
  chain: Partial<Record<JurisdictionLevel, string>>;
  fallback: string;
}

/**
 * Where a case goes: its matter's handling level on the case's chain of jurisdictions (小事不出村、大事不出乡)
 * and the department the responsibility matrix names there. An unclassified case stays with the centre that
 * took it in, for classification; a matter the matrix cannot place stays with the level's centre, said so.
 */
export function routeWith(ref: RoutingReference, p: RouteRequest): Route {
  const at = (code: string, level: JurisdictionLevel, departmentId: number | null, note: string | null): Route => {
    const j = ref.jurisdictions.get(code);
    if (!j) throw new Error(`jurisdiction ${code} on a case's chain is unknown`);
    return { level: j.level ?? level, jurisdictionCode: code, path: j.path, departmentId, note };
  };
  if (!p.matter) {
    const fallbackOnChain = Object.values(p.chain).includes(p.fallback) ? p.fallback : p.chain.district!;
    return at(fallbackOnChain, ref.jurisdictions.get(fallbackOnChain)?.level ?? 'district', null, '未分类：由受理中心确认事项类型 / unclassified: the centre confirms the matter type');
  }
  const level = p.matter.handling_level;
  const jurisdictionCode = p.chain[level] ?? p.chain.district!;
  const chainCodes = Object.values(p.chain).filter((c): c is string => !!c);
  try {
    const r = resolveResponsible({
      matterTypeCode: p.matter.code,
      level,
      chain: p.chain,
      matrix: ref.matrix.get(p.matter.code) ?? [],
      departments: chainCodes.flatMap((c) => ref.departments.get(c) ?? []),
    });
    return at(r.jurisdictionCode, level, r.departmentId, null);
  } catch (err) {
    if (!(err instanceof NowhereToRouteError)) throw err;
    return at(jurisdictionCode, level, null, '权责清单未指定该层级的责任部门，由本级中心交办 / the matrix names no department here; the centre dispatches');
  }
}

/** routeWith over the current reference. */
export async function routeCase(db: Kysely<Database>, p: RouteRequest): Promise<Route> {
  return routeWith(await routingReference(db), p);
}
