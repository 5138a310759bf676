import type { Kysely } from 'kysely';
import type { Database, JurisdictionLevel } from '../../db/schema.js';
import { findByCodes } from '../jurisdictions/repository.js';
import { NowhereToRouteError, resolveResponsible } from '../matters/routing.js';

export interface Route {
  level: JurisdictionLevel;
  jurisdictionCode: string;
  path: string;
  departmentId: number | null;
  /** why the route is what it is, when it is not the plain matrix answer */
  note: string | null;
}

/**
 * Where a case goes: its matter's handling level on the case's chain of jurisdictions (小事不出村、大事不出乡)
 * and the department the responsibility matrix names there. An unclassified case stays with the centre that
 * took it in, for classification; a matter the matrix cannot place stays with the level's centre, said so.
 */
export async function routeCase(
  db: Kysely<Database>,
  p: { matter: { code: string; handling_level: JurisdictionLevel } | null; chain: Partial<Record<JurisdictionLevel, string>>; fallback: string },
): Promise<Route> {
  const at = async (code: string, level: JurisdictionLevel, departmentId: number | null, note: string | null): Promise<Route> => {
    const [j] = await findByCodes(db, [code]);
    return { level: j?.level ?? level, jurisdictionCode: code, path: j!.path, departmentId, note };
  };
  if (!p.matter) {
    const fallbackOnChain = Object.values(p.chain).includes(p.fallback) ? p.fallback : p.chain.district!;
    const [j] = await findByCodes(db, [fallbackOnChain]);
    return at(fallbackOnChain, j!.level, null, '未分类：由受理中心确认事项类型 / unclassified: the centre confirms the matter type');
  }
  const level = p.matter.handling_level;
  const jurisdictionCode = p.chain[level] ?? p.chain.district!;
  const matrix = await db.selectFrom('responsibility').select(['level', 'department_kind']).where('matter_type_code', '=', p.matter.code).execute();
  const chainCodes = Object.values(p.chain).filter((c): c is string => !!c);
  const departments = await db.selectFrom('department').select(['id', 'kind', 'jurisdiction_code', 'active']).where('jurisdiction_code', 'in', chainCodes).execute();
  try {
    const r = resolveResponsible({
      matterTypeCode: p.matter.code,
      level,
      chain: p.chain,
      matrix: matrix.map((m) => ({ level: m.level, departmentKind: m.department_kind })),
      departments: departments.map((d) => ({ id: d.id, kind: d.kind, jurisdictionCode: d.jurisdiction_code, active: d.active })),
    });
    return at(r.jurisdictionCode, level, r.departmentId, null);
  } catch (err) {
    if (!(err instanceof NowhereToRouteError)) throw err;
    return at(jurisdictionCode, level, null, '权责清单未指定该层级的责任部门，由本级中心交办 / the matrix names no department here; the centre dispatches');
  }
}
