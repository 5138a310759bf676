import { describe, expect, it } from 'vitest';
import { ROLES } from '../modules/auth/permissions.js';
import { placePoint, ringArea, validatePolygon } from '../modules/grids/geometry.js';
import { checkCode, levelOfCode } from '../modules/jurisdictions/codes.js';
import { DEMO_ACCOUNTS, DEMO_CITY_CODE, DEMO_GRID_WORKER_GRID, demoCity } from './city.js';

const { jurisdictions, grids } = demoCity();
const base = grids.filter((g) => g.kind === 'base');
const dedicated = grids.filter((g) => g.kind === 'dedicated');
const ofLevel = (level: string) => jurisdictions.filter((j) => j.level === level);
const byCode = new Map(jurisdictions.map((j) => [j.code, j]));

function cityBox(): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const g of base) {
    for (const [x, y] of g.geometry.coordinates[0]!) {
      minX = Math.min(minX, x!);
      minY = Math.min(minY, y!);
      maxX = Math.max(maxX, x!);
      maxY = Math.max(maxY, y!);
    }
  }
  return [minX, minY, maxX, maxY];
}

describe('demoCity', () => {
  it('has the expected size', () => {
    expect(ofLevel('city')).toEqual([{ code: DEMO_CITY_CODE, name: '青河市', level: 'city', parentCode: null }]);
    expect(ofLevel('district').length).toBeGreaterThanOrEqual(3);
    expect(ofLevel('street').length).toBeGreaterThanOrEqual(12);
    expect(ofLevel('community').length).toBeGreaterThanOrEqual(60);
    expect(base).toHaveLength(300);
    expect(dedicated).toHaveLength(20);
  });

  it('is the same every time', () => {
    expect(demoCity()).toEqual({ jurisdictions, grids });
  });

  it('has unique jurisdiction codes consistent with their level and parent', () => {
    expect(byCode.size).toBe(jurisdictions.length);
    for (const j of jurisdictions) {
      expect(levelOfCode(j.code), j.code).toBe(j.level);
      expect(checkCode(j.code, j.level, j.parentCode), j.code).toBeNull();
      if (j.parentCode !== null) expect(byCode.has(j.parentCode), `parent of ${j.code}`).toBe(true);
    }
  });

  it('has unique jurisdiction names within each parent', () => {
    const seen = new Set<string>();
    for (const j of jurisdictions) {
      const key = `${j.parentCode}/${j.name}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }
  });

  it('has unique grid codes that extend their community code', () => {
    expect(new Set(grids.map((g) => g.code)).size).toBe(grids.length);
    for (const g of grids) {
      expect(byCode.get(g.communityCode)?.level, g.code).toBe('community');
      expect(g.code.startsWith(g.communityCode), g.code).toBe(true);
      expect(g.code).toMatch(/^\d{15}$/);
    }
    expect(grids.some((g) => g.code === DEMO_GRID_WORKER_GRID && g.kind === 'base')).toBe(true);
  });

  it('gives every community five base grids and dedicated grids a category', () => {
    for (const c of ofLevel('community')) expect(base.filter((g) => g.communityCode === c.code), c.code).toHaveLength(5);
    for (const g of base) expect(g.category).toBeNull();
    for (const g of dedicated) expect(g.category, g.code).toMatch(/^[a-z_]+$/);
  });

  it('has only valid polygons', () => {
    for (const g of grids) expect(validatePolygon(g.geometry), g.code).toBeNull();
  });

  it('tiles its bounding rectangle: the base-grid areas add up to the rectangle', () => {
    const [minX, minY, maxX, maxY] = cityBox();
    const total = base.reduce((sum, g) => sum + Math.abs(ringArea(g.geometry.coordinates[0]!)), 0);
    const rectangle = (maxX - minX) * (maxY - minY);
    expect(Math.abs(total - rectangle) / rectangle).toBeLessThan(1e-9);
  });

  it('puts every point of the bounding rectangle in exactly one base grid, or on a boundary', () => {
    const [minX, minY, maxX, maxY] = cityBox();
    let seed = 990100;
    const rand = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed / 2 ** 32;
    };
    const points: Array<[number, number]> = [];
    for (let k = 0; k < 5000; k++) points.push([minX + rand() * (maxX - minX), minY + rand() * (maxY - minY)]);
    // and every vertex of the lattice, which must be on a boundary and inside none
    for (const g of base) for (const [x, y] of g.geometry.coordinates[0]!) points.push([x!, y!]);
    let strictlyInside = 0;
    for (const [x, y] of points) {
      const places = base.map((g) => placePoint(x, y, g.geometry.coordinates));
      const inside = places.filter((p) => p === 'inside').length;
      const boundary = places.filter((p) => p === 'boundary').length;
      const ok = (inside === 1 && boundary === 0) || (inside === 0 && boundary >= 1);
      expect(ok, `(${x}, ${y}): inside ${inside}, boundary ${boundary}`).toBe(true);
      if (inside === 1) strictlyInside++;
    }
    expect(strictlyInside).toBeGreaterThanOrEqual(4990);
  });

  it('puts every dedicated grid inside a base grid of its own community', () => {
    for (const d of dedicated) {
      const ring = d.geometry.coordinates[0]!;
      const host = base.find((b) => ring.every(([x, y]) => placePoint(x!, y!, b.geometry.coordinates) === 'inside'));
      expect(host, d.name).toBeDefined();
      expect(host!.communityCode, d.name).toBe(d.communityCode);
    }
  });

  it('has the jurisdictions sit inside the city tree: streets under districts, communities under streets', () => {
    for (const s of ofLevel('street')) expect(byCode.get(s.parentCode!)?.level).toBe('district');
    for (const c of ofLevel('community')) expect(byCode.get(c.parentCode!)?.level).toBe('street');
    for (const d of ofLevel('district')) expect(d.parentCode).toBe(DEMO_CITY_CODE);
  });
});

describe('DEMO_ACCOUNTS', () => {
  it('cover every role', () => {
    const held = new Set(DEMO_ACCOUNTS.flatMap((a) => a.roles));
    for (const role of ROLES) expect(held.has(role), role).toBe(true);
    for (const role of held) expect(ROLES).toContain(role);
  });

  it('have unique usernames', () => {
    const names = DEMO_ACCOUNTS.map((a) => a.username);
    expect(new Set(names).size).toBe(names.length);
  });

  it('sit in jurisdictions of the demo city', () => {
    for (const a of DEMO_ACCOUNTS) expect(byCode.has(a.jurisdictionCode), a.username).toBe(true);
  });

  it('give handlers a department kind', () => {
    for (const a of DEMO_ACCOUNTS.filter((x) => x.roles.includes('handler'))) expect(a.departmentKind, a.username).toBeTruthy();
  });
});
