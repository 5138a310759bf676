import { describe, expect, it } from 'vitest';
import { type DepartmentRef, type MatrixEntry, NowhereToRouteError, resolveResponsible } from './routing.js';

// a case at 公主府社区, 海拉尔东路街道, 新城区, 呼和浩特市
const chain = { city: '150100', district: '150102', street: '150102001000', community: '150102001001' } as const;

const departments: DepartmentRef[] = [
  { id: 11, kind: 'urban_management', jurisdictionCode: '150100', active: true }, // 呼和浩特市城市管理综合执法局
  { id: 12, kind: 'public_security', jurisdictionCode: '150100', active: true }, // 呼和浩特市公安局
  { id: 21, kind: 'urban_management', jurisdictionCode: '150103', active: true }, // 回民区城管局
  { id: 22, kind: 'urban_management', jurisdictionCode: '150102', active: true }, // 新城区城管局
  { id: 23, kind: 'market_supervision', jurisdictionCode: '150102', active: true }, // 新城区市场监管局
  { id: 24, kind: 'housing', jurisdictionCode: '150102', active: false }, // 新城区住建局, switched off
  { id: 25, kind: 'housing', jurisdictionCode: '150102', active: true }, // 新城区住建局, the current record
];

// CG-001 占道经营 with the street level naming the urban-management squad (城管中队), which the district provides
const vending: MatrixEntry[] = [
  { level: 'community', departmentKind: null },
  { level: 'street', departmentKind: 'urban_management' },
  { level: 'district', departmentKind: 'urban_management' },
  { level: 'city', departmentKind: 'urban_management' },
];

describe('resolveResponsible', () => {
  it('routes a district-level matter to the district department of the kind', () => {
    expect(resolveResponsible({ matterTypeCode: 'CG-001', level: 'district', chain, matrix: vending, departments })).toEqual({
      level: 'district',
      jurisdictionCode: '150102',
      departmentId: 22,
    });
  });

  it('routes a city-level matter to the city department of the kind', () => {
    expect(resolveResponsible({ matterTypeCode: 'CG-001', level: 'city', chain, matrix: vending, departments })).toEqual({
      level: 'city',
      jurisdictionCode: '150100',
      departmentId: 11,
    });
    const security: MatrixEntry[] = [{ level: 'city', departmentKind: 'public_security' }];
    expect(resolveResponsible({ matterTypeCode: 'ZA-002', level: 'city', chain, matrix: security, departments }).departmentId).toBe(12);
  });

  it('leaves a street-level matter without a kind with the street itself', () => {
    const dispute: MatrixEntry[] = [
      { level: 'street', departmentKind: null },
      { level: 'district', departmentKind: 'justice' },
    ];
    expect(resolveResponsible({ matterTypeCode: 'JF-001', level: 'street', chain, matrix: dispute, departments })).toEqual({
      level: 'street',
      jurisdictionCode: '150102001000',
      departmentId: null,
    });
  });

  it('leaves a community-level matter without a matrix row with the community', () => {
    expect(resolveResponsible({ matterTypeCode: 'MS-098', level: 'community', chain, matrix: [], departments })).toEqual({
      level: 'community',
      jurisdictionCode: '150102001001',
      departmentId: null,
    });
  });

  it('serves a street-level kind by the district department of that kind', () => {
    expect(resolveResponsible({ matterTypeCode: 'CG-001', level: 'street', chain, matrix: vending, departments })).toEqual({
      level: 'street',
      jurisdictionCode: '150102001000',
      departmentId: 22, // 新城区, not 回民区 (21) nor the city (11)
    });
  });

  it('prefers a department of the street itself when there is one', () => {
    const withSquad: DepartmentRef[] = [...departments, { id: 31, kind: 'urban_management', jurisdictionCode: '150102001000', active: true }];
    expect(resolveResponsible({ matterTypeCode: 'CG-001', level: 'street', chain, matrix: vending, departments: withSquad }).departmentId).toBe(31);
  });

  it('ignores inactive departments', () => {
    const housing: MatrixEntry[] = [{ level: 'district', departmentKind: 'housing' }];
    expect(resolveResponsible({ matterTypeCode: 'FW-003', level: 'district', chain, matrix: housing, departments }).departmentId).toBe(25);
    const onlyInactive = departments.filter((d) => d.id !== 25);
    expect(() => resolveResponsible({ matterTypeCode: 'FW-003', level: 'district', chain, matrix: housing, departments: onlyInactive })).toThrow(
      NowhereToRouteError,
    );
    // nor does an inactive district department serve a street
    const streetHousing: MatrixEntry[] = [{ level: 'street', departmentKind: 'housing' }];
    expect(() =>
      resolveResponsible({ matterTypeCode: 'FW-003', level: 'street', chain, matrix: streetHousing, departments: onlyInactive }),
    ).toThrow(NowhereToRouteError);
  });

  it('fails when no department of the kind exists in the jurisdiction', () => {
    const food: MatrixEntry[] = [{ level: 'district', departmentKind: 'market_supervision' }];
    const elsewhere = { ...chain, district: '150103' }; // 回民区 has no market-supervision record here
    let error: unknown;
    try {
      resolveResponsible({ matterTypeCode: 'SC-001', level: 'district', chain: elsewhere, matrix: food, departments });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NowhereToRouteError);
    const e = error as NowhereToRouteError;
    expect(e.matterTypeCode).toBe('SC-001');
    expect(e.level).toBe('district');
    expect(e.name).toBe('NowhereToRouteError');
    expect(e.message).toBe('matter SC-001 has nowhere to go at level district');
  });

  it('does not fall back from the city to a district department', () => {
    const food: MatrixEntry[] = [{ level: 'city', departmentKind: 'market_supervision' }];
    expect(() => resolveResponsible({ matterTypeCode: 'SC-001', level: 'city', chain, matrix: food, departments })).toThrow(NowhereToRouteError);
  });

  it('fails for a city or district row without a kind', () => {
    const noKind: MatrixEntry[] = [{ level: 'district', departmentKind: null }];
    expect(() => resolveResponsible({ matterTypeCode: 'MS-099', level: 'district', chain, matrix: noKind, departments })).toThrow(NowhereToRouteError);
    expect(() => resolveResponsible({ matterTypeCode: 'MS-099', level: 'city', chain, matrix: [], departments })).toThrow(NowhereToRouteError);
  });

  it('fails when the chain lacks the handling level', () => {
    const cityOnly = { city: '150100' };
    expect(() => resolveResponsible({ matterTypeCode: 'CG-001', level: 'district', chain: cityOnly, matrix: vending, departments })).toThrow(
      NowhereToRouteError,
    );
    expect(() => resolveResponsible({ matterTypeCode: 'CG-001', level: 'street', chain: cityOnly, matrix: vending, departments })).toThrow(
      NowhereToRouteError,
    );
    // even a row without a kind needs the jurisdiction
    expect(() => resolveResponsible({ matterTypeCode: 'MS-098', level: 'community', chain: cityOnly, matrix: [], departments })).toThrow(
      NowhereToRouteError,
    );
  });

  it('fails for a street-level kind when the chain has no district to fall back on', () => {
    const noDistrict = { city: '150100', street: '150102001000' };
    expect(() => resolveResponsible({ matterTypeCode: 'CG-001', level: 'street', chain: noDistrict, matrix: vending, departments })).toThrow(
      NowhereToRouteError,
    );
  });
});
