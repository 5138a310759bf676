import type { JurisdictionLevel } from '../../db/schema.js';

export interface MatrixEntry {
  level: JurisdictionLevel;
  departmentKind: string | null;
}

export interface DepartmentRef {
  id: number;
  kind: string;
  jurisdictionCode: string;
  active: boolean;
}

export interface Responsible {
  level: JurisdictionLevel;
  /** the jurisdiction whose centre owns the matter at that level */
  jurisdictionCode: string;
  /** the responsible department, or null when the street office or community committee handles it itself */
  departmentId: number | null;
}

export class NowhereToRouteError extends Error {
  constructor(readonly matterTypeCode: string, readonly level: JurisdictionLevel) {
    super(`matter ${matterTypeCode} has nowhere to go at level ${level}`);
    this.name = 'NowhereToRouteError';
  }
}

/**
 * Who handles a matter (属地管理、谁主管谁负责): the matrix row for the handling level names a department kind,
 * found among the departments of that level's jurisdiction in the case's chain (city or district). Street and
 * community rows without a kind stay with that jurisdiction's own centre. Fails loudly when nothing fits.
 */
export function resolveResponsible(props: {
  matterTypeCode: string;
  level: JurisdictionLevel;
  /** jurisdiction codes of the case's place, by level */
  chain: Partial<Record<JurisdictionLevel, string>>;
  matrix: readonly MatrixEntry[];
  departments: readonly DepartmentRef[];
}): Responsible {
  const jurisdictionCode = props.chain[props.level];
  if (!jurisdictionCode) throw new NowhereToRouteError(props.matterTypeCode, props.level);
  const entry = props.matrix.find((m) => m.level === props.level);
  const kind = entry?.departmentKind ?? null;
  if (kind === null) {
    if (props.level === 'street' || props.level === 'community') return { level: props.level, jurisdictionCode, departmentId: null };
    throw new NowhereToRouteError(props.matterTypeCode, props.level);
  }
  const department = props.departments.find((d) => d.active && d.kind === kind && d.jurisdictionCode === jurisdictionCode);
  if (department) return { level: props.level, jurisdictionCode, departmentId: department.id };
  // a street-level kind (e.g. 城管中队) is served by the district's department of that kind
  if (props.level === 'street' || props.level === 'community') {
    const district = props.chain.district;
    const above = props.departments.find((d) => d.active && d.kind === kind && d.jurisdictionCode === district);
    if (above) return { level: props.level, jurisdictionCode, departmentId: above.id };
  }
  throw new NowhereToRouteError(props.matterTypeCode, props.level);
}
