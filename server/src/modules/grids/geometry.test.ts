import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GeoJsonPolygon } from '../../db/schema.js';
import { bboxOf, placePoint, placePointFlat, type PointPlacement, type Ring, ringArea, validatePolygon } from './geometry.js';

// a block of 新城区, 呼和浩特市: about 850 m × 890 m
const square: Ring = [
  [111.66, 40.82],
  [111.67, 40.82],
  [111.67, 40.828],
  [111.66, 40.828],
  [111.66, 40.82],
];
// a school yard inside it
const hole: Ring = [
  [111.663, 40.823],
  [111.663, 40.825],
  [111.667, 40.825],
  [111.667, 40.823],
  [111.663, 40.823],
];
const polygon = (...rings: Ring[]): GeoJsonPolygon => ({ type: 'Polygon', coordinates: rings });
const clone = (r: Ring): Ring => r.map((p) => [...p]);

describe('validatePolygon', () => {
  it('accepts a square', () => {
    expect(validatePolygon(polygon(square))).toBeNull();
  });

  it('accepts either orientation', () => {
    expect(validatePolygon(polygon([...square].reverse()))).toBeNull();
  });

  it('accepts a polygon with a hole', () => {
    expect(validatePolygon(polygon(square, hole))).toBeNull();
  });

  it('accepts positions with an altitude', () => {
    expect(validatePolygon(polygon(square.map(([x, y]) => [x!, y!, 1050])))).toBeNull();
  });

  it('refuses what is not an object', () => {
    expect(validatePolygon(null)?.field).toBe('geometry');
    expect(validatePolygon('POLYGON((111.66 40.82, ...))')?.field).toBe('geometry');
    expect(validatePolygon(undefined, 'body.geometry')?.field).toBe('body.geometry');
  });

  it('refuses a wrong type', () => {
    const p = validatePolygon({ type: 'MultiPolygon', coordinates: [[square]] });
    expect(p).toEqual({ field: 'geometry.type', zh: '几何类型必须是 Polygon', en: 'Geometry type must be Polygon' });
    expect(validatePolygon({ type: 'Point', coordinates: [111.66, 40.82] })?.field).toBe('geometry.type');
    expect(validatePolygon({ coordinates: [square] })?.field).toBe('geometry.type');
  });

  it('refuses empty or missing coordinates', () => {
    expect(validatePolygon({ type: 'Polygon', coordinates: [] })?.field).toBe('geometry.coordinates');
    expect(validatePolygon({ type: 'Polygon' })?.field).toBe('geometry.coordinates');
    expect(validatePolygon({ type: 'Polygon', coordinates: 'none' })?.field).toBe('geometry.coordinates');
  });

  it('refuses a ring with 3 positions', () => {
    const p = validatePolygon(polygon([square[0]!, square[1]!, square[0]!]));
    expect(p?.field).toBe('geometry.coordinates[0]');
    expect(p?.en).toContain('at least 4 positions');
  });

  it('names the ring at fault when a hole is too short', () => {
    expect(validatePolygon(polygon(square, hole.slice(0, 3)))?.field).toBe('geometry.coordinates[1]');
    expect(validatePolygon(polygon(square, 'ring' as unknown as Ring))?.field).toBe('geometry.coordinates[1]');
  });

  it('refuses an unclosed ring', () => {
    const open = square.slice(0, 4).concat([[111.66, 40.8201]]);
    const p = validatePolygon(polygon(open));
    expect(p?.field).toBe('geometry.coordinates[0]');
    expect(p?.en).toBe('Ring is not closed: the first and last positions must be equal');
  });

  it('refuses longitude 181, naming the exact position', () => {
    const r = clone(square);
    r[2] = [181, 40.828];
    const p = validatePolygon(polygon(r));
    expect(p?.field).toBe('geometry.coordinates[0][2]');
    expect(p?.en).toBe('Longitude 181 is outside [-180, 180]');
    expect(p?.zh).toBe('经度 181 超出范围 [-180, 180]');
  });

  it('refuses latitude -91, naming the exact position in a hole', () => {
    const h = clone(hole);
    h[3] = [111.667, -91];
    const p = validatePolygon(polygon(square, h));
    expect(p?.field).toBe('geometry.coordinates[1][3]');
    expect(p?.en).toBe('Latitude -91 is outside [-90, 90]');
  });

  it('accepts the extreme values ±180 and ±90', () => {
    const world: Ring = [[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]];
    expect(validatePolygon(polygon(world))).toBeNull();
  });

  it('refuses non-numeric coordinates', () => {
    for (const bad of [['111.67', 40.82], [111.67, null], [111.67], [NaN, 40.82], [111.67, Infinity], 111.67]) {
      const r: unknown[] = clone(square);
      r[1] = bad;
      const p = validatePolygon(polygon(r as Ring));
      expect(p?.field, JSON.stringify(bad)).toBe('geometry.coordinates[0][1]');
      expect(p?.en).toBe('A position must be a [longitude, latitude] pair of numbers');
    }
  });

  it('uses the field prefix it is given', () => {
    const r = clone(square);
    r[0] = [111.66, 95];
    r[4] = [111.66, 95];
    expect(validatePolygon(polygon(r), 'grids[3].geometry')?.field).toBe('grids[3].geometry.coordinates[0][0]');
  });

  it('refuses a zero-area ring', () => {
    const line: Ring = [
      [111.66, 40.82],
      [111.665, 40.824],
      [111.67, 40.828],
      [111.66, 40.82],
    ];
    const p = validatePolygon(polygon(line));
    expect(p?.field).toBe('geometry.coordinates[0]');
    expect(p?.en).toBe('Ring has zero area');
  });

  it('refuses a bow-tie that crosses itself', () => {
    // edges [0]→[1] and [2]→[3] cross near (111.665556, 40.824444)
    const bowTie: Ring = [
      [111.66, 40.82],
      [111.67, 40.828],
      [111.67, 40.82],
      [111.66, 40.83],
      [111.66, 40.82],
    ];
    expect(Math.abs(ringArea(bowTie))).toBeGreaterThan(1e-14);
    const p = validatePolygon(polygon(bowTie));
    expect(p?.field).toBe('geometry.coordinates');
    expect(p?.zh).toContain('自相交');
    expect(p?.en).toContain('intersects itself');
    expect(p?.en).toMatch(/near 111\.66\d{4}, 40\.82\d{4}/);
  });
});

describe('placePoint', () => {
  it('finds a point inside', () => {
    expect(placePoint(111.665, 40.824, [square])).toBe('inside');
    expect(placePoint(111.6601, 40.8201, [square])).toBe('inside');
  });

  it('finds a point outside', () => {
    expect(placePoint(111.68, 40.824, [square])).toBe('outside');
    expect(placePoint(111.665, 40.81, [square])).toBe('outside');
    expect(placePoint(111.659, 40.828, [square])).toBe('outside'); // on the line of the top edge, left of it
  });

  it('puts a point on an edge on the boundary', () => {
    expect(placePoint(111.665, 40.82, [square])).toBe('boundary'); // bottom
    expect(placePoint(111.67, 40.824, [square])).toBe('boundary'); // right
    expect(placePoint(111.665, 40.828, [square])).toBe('boundary'); // top
    expect(placePoint(111.66, 40.825, [square])).toBe('boundary'); // left
  });

  it('puts a point on a sloping edge on the boundary', () => {
    const triangle: Ring = [
      [111.66, 40.82],
      [111.67, 40.82],
      [111.66, 40.83],
      [111.66, 40.82],
    ];
    expect(placePoint(111.665, 40.825, [triangle])).toBe('boundary');
    expect(placePoint(111.664, 40.825, [triangle])).toBe('inside');
    expect(placePoint(111.666, 40.825, [triangle])).toBe('outside');
  });

  it('puts a vertex on the boundary', () => {
    for (const [x, y] of square) expect(placePoint(x!, y!, [square])).toBe('boundary');
  });

  it('puts a point inside a hole outside, and on the hole edge on the boundary', () => {
    expect(placePoint(111.665, 40.824, [square, hole])).toBe('outside');
    expect(placePoint(111.663, 40.824, [square, hole])).toBe('boundary');
    expect(placePoint(111.667, 40.825, [square, hole])).toBe('boundary');
    expect(placePoint(111.661, 40.824, [square, hole])).toBe('inside');
  });
});

// placePoint as first written (cross product first, then the box): the faster versions must answer exactly like it
function referenceOnSegment(x: number, y: number, a: number[], b: number[]): boolean {
  const [ax, ay] = a as [number, number];
  const [bx, by] = b as [number, number];
  const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  if (Math.abs(cross) > 1e-12 * Math.max(1, Math.abs(bx - ax) + Math.abs(by - ay))) return false;
  return x >= Math.min(ax, bx) - 1e-12 && x <= Math.max(ax, bx) + 1e-12 && y >= Math.min(ay, by) - 1e-12 && y <= Math.max(ay, by) + 1e-12;
}

function referencePlacePoint(x: number, y: number, rings: Ring[]): PointPlacement {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i]!;
      const b = ring[j]!;
      if (referenceOnSegment(x, y, a, b)) return 'boundary';
      if (a[1]! > y !== b[1]! > y && x < ((b[0]! - a[0]!) * (y - a[1]!)) / (b[1]! - a[1]!) + a[0]!) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

function flatten(rings: Ring[]): Float64Array {
  const out = [rings.length];
  for (const ring of rings) {
    out.push(ring.length);
    for (const p of ring) out.push(p[0]!, p[1]!);
  }
  return Float64Array.from(out);
}

const PLACES: PointPlacement[] = ['outside', 'boundary', 'inside'];

// coordinates on a coarse lattice (exactly collinear points, horizontal edges through the point) or anywhere
const coordinate = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 })).map(([i, j]) => [111.66 + i * 0.001, 40.82 + j * 0.001]),
  fc.tuple(fc.double({ min: 111.66, max: 111.668, noNaN: true }), fc.double({ min: 40.82, max: 40.828, noNaN: true })).map(([x, y]) => [x, y]),
);
const ring = fc.array(coordinate, { minLength: 3, maxLength: 12 }).map((pts) => [...pts, [...pts[0]!]]);
const rings = fc.array(ring, { minLength: 1, maxLength: 3 });

describe('placePoint and placePointFlat', () => {
  it('answer exactly like the first placePoint, on, near and off the edges and vertices', () => {
    fc.assert(
      fc.property(
        rings,
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1e-13, -1e-13, 1e-12, -1e-12, 3e-12, 1e-9)), { minLength: 1, maxLength: 8 }),
        coordinate,
        (rs, picks, free) => {
          const shape = flatten(rs);
          const points: number[][] = [free];
          for (const [r, k, t, off] of picks) {
            const ring = rs[r % rs.length]!;
            const a = ring[k % ring.length]!;
            const b = ring[(k + 1) % ring.length]!;
            points.push([a[0]! + off, a[1]!], [a[0]! + t * (b[0]! - a[0]!), a[1]! + t * (b[1]! - a[1]!) + off]);
          }
          for (const [x, y] of points) {
            const expected = referencePlacePoint(x!, y!, rs);
            expect(placePoint(x!, y!, rs)).toBe(expected);
            expect(PLACES[placePointFlat(x!, y!, shape, 0)]).toBe(expected);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('answer like the first placePoint for NaN and infinite points', () => {
    const rs = [square, hole];
    for (const [x, y] of [[NaN, 40.824], [111.665, NaN], [Infinity, 40.824], [111.665, -Infinity]]) {
      expect(placePoint(x!, y!, rs)).toBe(referencePlacePoint(x!, y!, rs));
      expect(PLACES[placePointFlat(x!, y!, flatten(rs), 0)]).toBe(referencePlacePoint(x!, y!, rs));
    }
  });
});

describe('bboxOf', () => {
  it('gives [minLng, minLat, maxLng, maxLat] of the outer ring', () => {
    expect(bboxOf(polygon(square, hole))).toEqual([111.66, 40.82, 111.67, 40.828]);
  });

  it('works for a ring in any order', () => {
    const kite: Ring = [
      [111.665, 40.83],
      [111.66, 40.824],
      [111.665, 40.819],
      [111.672, 40.824],
      [111.665, 40.83],
    ];
    expect(bboxOf(polygon(kite))).toEqual([111.66, 40.819, 111.672, 40.83]);
  });
});

describe('ringArea', () => {
  it('is positive counter-clockwise and negative clockwise', () => {
    const ccw: Ring = [[0, 0], [2, 0], [2, 3], [0, 3], [0, 0]];
    expect(ringArea(ccw)).toBe(6);
    expect(ringArea([...ccw].reverse())).toBe(-6);
  });

  it('gives the area of a real block in degrees²', () => {
    expect(ringArea(square)).toBeCloseTo(0.01 * 0.008, 12);
    expect(ringArea(hole)).toBeCloseTo(-(0.004 * 0.002), 12);
  });

  it('does not depend on the ring being closed', () => {
    expect(ringArea([[0, 0], [1, 0], [0, 1]])).toBe(0.5);
  });
});
