import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { GeoJsonPolygon, GridKind } from '../../db/schema.js';
import { bboxOf, placePoint, type PointPlacement } from './geometry.js';
import { GridIndex, type IndexedGrid } from './spatial-index.js';

const COMMUNITY = '150102001001'; // 公主府社区

function rect(x0: number, y0: number, x1: number, y1: number): GeoJsonPolygon {
  return {
    type: 'Polygon',
    coordinates: [
      [
        [x0, y0],
        [x1, y0],
        [x1, y1],
        [x0, y1],
        [x0, y0],
      ],
    ],
  };
}

function grid(id: number, code: string, geometry: GeoJsonPolygon, kind: GridKind = 'base', communityCode = COMMUNITY): IndexedGrid {
  return { id, code, kind, communityCode, geometry };
}

const rank = (p: PointPlacement) => (p === 'inside' ? 2 : p === 'boundary' ? 1 : 0);

/** The grid at a point by the rules, trying every grid. */
function bruteForce(grids: readonly IndexedGrid[], x: number, y: number): IndexedGrid | null {
  let best: IndexedGrid | null = null;
  let bestPlace: PointPlacement = 'outside';
  for (const g of grids) {
    // as in the index, a grid is tried only when its box holds the point (a point within 1e-12 outside
    // the box is on the boundary by placePoint's tolerance, yet not in that grid)
    const [x0, y0, x1, y1] = bboxOf(g.geometry);
    if (x < x0 || y < y0 || x > x1 || y > y1) continue;
    const place = placePoint(x, y, g.geometry.coordinates);
    if (place === 'outside') continue;
    if (best === null || (g.kind !== best.kind ? g.kind === 'dedicated' : place !== bestPlace ? rank(place) > rank(bestPlace) : g.code < best.code)) {
      best = g;
      bestPlace = place;
    }
  }
  return best;
}

// two blocks side by side, sharing the edge lng = 111.67
const west = grid(1, `${COMMUNITY}001`, rect(111.66, 40.82, 111.67, 40.828));
const east = grid(2, `${COMMUNITY}002`, rect(111.67, 40.82, 111.68, 40.828));

describe('GridIndex', () => {
  it('finds the grid containing a point', () => {
    const index = new GridIndex([west, east]);
    expect(index.size).toBe(2);
    expect(index.locate(111.665, 40.824)?.code).toBe(west.code);
    expect(index.locate(111.675, 40.824)?.code).toBe(east.code);
  });

  it('gives the lower code on a shared edge, every time and whatever the insertion order', () => {
    const a = new GridIndex([west, east]);
    const b = new GridIndex([east, west]);
    for (let k = 0; k < 5; k++) {
      expect(a.locate(111.67, 40.824)?.code).toBe(west.code);
      expect(b.locate(111.67, 40.824)?.code).toBe(west.code);
    }
    // the same with the codes swapped: the lower code wins, not the western grid
    const westHigh = { ...west, code: `${COMMUNITY}009` };
    expect(new GridIndex([westHigh, east]).locate(111.67, 40.824)?.code).toBe(east.code);
    expect(new GridIndex([east, westHigh]).locate(111.67, 40.824)?.code).toBe(east.code);
  });

  it('prefers a grid that contains the point strictly over one whose edge it lies on', () => {
    // a taller block over the eastern one: (111.675, 40.828) is on east's top edge and strictly inside tall
    const tall = grid(3, `${COMMUNITY}003`, rect(111.67, 40.82, 111.68, 40.836));
    const index = new GridIndex([west, tall, east]);
    // on east's top edge, strictly inside tall, although east has the lower code
    expect(index.locate(111.675, 40.828)?.code).toBe(tall.code);
  });

  it('lets a dedicated grid inside a base grid win', () => {
    const school = grid(10, `${COMMUNITY}901`, rect(111.663, 40.823, 111.667, 40.825), 'dedicated');
    for (const order of [[west, east, school], [school, east, west]]) {
      const index = new GridIndex(order);
      expect(index.locate(111.665, 40.824)?.code).toBe(school.code);
      expect(index.locate(111.663, 40.824)?.code).toBe(school.code); // on the school's edge
      expect(index.locate(111.661, 40.824)?.code).toBe(west.code); // beside the school
    }
  });

  it('gives null for a point outside all grids', () => {
    const index = new GridIndex([west, east]);
    expect(index.locate(111.69, 40.824)).toBeNull();
    expect(index.locate(111.665, 40.83)).toBeNull();
    expect(index.locate(-111.665, -40.824)).toBeNull();
  });

  it('gives null in an empty index', () => {
    const index = new GridIndex([]);
    expect(index.size).toBe(0);
    expect(index.locate(111.665, 40.824)).toBeNull();
  });

  it('gives the lowest code at a corner shared by four grids', () => {
    const sw = grid(1, `${COMMUNITY}003`, rect(111.66, 40.82, 111.67, 40.828));
    const se = grid(2, `${COMMUNITY}004`, rect(111.67, 40.82, 111.68, 40.828));
    const nw = grid(3, `${COMMUNITY}002`, rect(111.66, 40.828, 111.67, 40.836));
    const ne = grid(4, `${COMMUNITY}005`, rect(111.67, 40.828, 111.68, 40.836));
    for (const order of [[sw, se, nw, ne], [ne, nw, se, sw], [se, ne, sw, nw]]) {
      expect(new GridIndex(order).locate(111.67, 40.828)?.code).toBe(nw.code);
    }
  });

  it('agrees with a brute-force scan on a 20 × 20 lattice of jittered blocks', () => {
    let seed = 150102;
    const rand = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const N = 20;
    const x0 = 111.6;
    const y0 = 40.78;
    const dx = 0.005;
    const dy = 0.004;
    // shared lattice points, interior ones jittered, so neighbouring blocks share edges exactly
    const pts: number[][][] = [];
    for (let i = 0; i <= N; i++) {
      pts.push([]);
      for (let j = 0; j <= N; j++) {
        const jx = i > 0 && i < N ? (rand() - 0.5) * 0.4 * dx : 0;
        const jy = j > 0 && j < N ? (rand() - 0.5) * 0.4 * dy : 0;
        pts[i]!.push([x0 + i * dx + jx, y0 + j * dy + jy]);
      }
    }
    const grids: IndexedGrid[] = [];
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        const ring = [pts[i]![j]!, pts[i + 1]![j]!, pts[i + 1]![j + 1]!, pts[i]![j + 1]!, pts[i]![j]!];
        // codes a permutation of 001…400, deliberately not in insertion order (37 is prime to 400)
        const code = `${COMMUNITY}${String((((i * N + j) * 37) % 400) + 1).padStart(3, '0')}`;
        grids.push(grid(i * N + j + 1, code, { type: 'Polygon', coordinates: [ring] }));
      }
    }
    // a few dedicated grids inside some blocks
    for (let k = 0; k < 10; k++) {
      const i = (k * 3 + 1) % N;
      const j = (k * 7 + 2) % N;
      const c = pts[i]![j]!;
      const cx = c[0]! + dx / 2;
      const cy = c[1]! + dy / 2;
      grids.push(grid(1000 + k, `${COMMUNITY}90${k}`, rect(cx - dx / 10, cy - dy / 10, cx + dx / 10, cy + dy / 10), 'dedicated'));
    }
    const index = new GridIndex(grids);

    const points: Array<[number, number]> = [];
    // random points over the lattice and a margin around it
    for (let k = 0; k < 1700; k++) points.push([x0 - 0.01 + rand() * (N * dx + 0.02), y0 - 0.01 + rand() * (N * dy + 0.02)]);
    // lattice vertices and edge midpoints, where the tie rules matter
    for (let k = 0; k < 150; k++) {
      const p = pts[Math.floor(rand() * (N + 1))]![Math.floor(rand() * (N + 1))]!;
      points.push([p[0]!, p[1]!]);
    }
    for (let k = 0; k < 150; k++) {
      const i = Math.floor(rand() * N);
      const j = Math.floor(rand() * (N + 1));
      const a = pts[i]![j]!;
      const b = pts[i + 1]![j]!;
      points.push([(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2]);
    }
    expect(points).toHaveLength(2000);

    let found = 0;
    let onBoundary = 0;
    for (const [x, y] of points) {
      const expected = bruteForce(grids, x, y);
      expect(index.locate(x, y)?.code ?? null, `(${x}, ${y})`).toBe(expected?.code ?? null);
      if (expected) found++;
      if (grids.some((g) => placePoint(x, y, g.geometry.coordinates) === 'boundary')) onBoundary++;
    }
    // the sample exercised all three outcomes
    // (the lattice covers two thirds of the sampled area: about 1,130 of the random points plus the 300 on edges)
    expect(found).toBeGreaterThan(1300);
    expect(points.length - found).toBeGreaterThan(400);
    expect(onBoundary).toBeGreaterThanOrEqual(300);
  });

  it('agrees with a brute-force scan on random cities, with holes, overlaps, huge and far-away grids', () => {
    const city = fc.record({
      seed: fc.integer(),
      cols: fc.integer({ min: 1, max: 9 }),
      rows: fc.integer({ min: 1, max: 9 }),
      holes: fc.boolean(),
      dedicated: fc.integer({ min: 0, max: 6 }),
      huge: fc.boolean(),
      farAway: fc.boolean(),
    });
    const pointPicks = fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(0, 0.5, 0.25), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true })), {
      minLength: 20,
      maxLength: 60,
    });
    fc.assert(
      fc.property(city, pointPicks, (c, picks) => {
        let seed = c.seed;
        const rand = () => {
          seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
          return seed / 2 ** 32;
        };
        const dx = 0.002 + rand() * 0.01;
        const dy = 0.002 + rand() * 0.01;
        const pts: number[][][] = [];
        for (let i = 0; i <= c.cols; i++) {
          pts.push([]);
          for (let j = 0; j <= c.rows; j++) {
            const jx = i > 0 && i < c.cols ? (rand() - 0.5) * 0.4 * dx : 0;
            const jy = j > 0 && j < c.rows ? (rand() - 0.5) * 0.4 * dy : 0;
            pts[i]!.push([111.6 + i * dx + jx, 40.78 + j * dy + jy]);
          }
        }
        const geometries: Array<{ g: GeoJsonPolygon; kind: GridKind }> = [];
        for (let i = 0; i < c.cols; i++) {
          for (let j = 0; j < c.rows; j++) {
            const outer = [pts[i]![j]!, pts[i + 1]![j]!, pts[i + 1]![j + 1]!, pts[i]![j + 1]!, pts[i]![j]!];
            const cx = (outer[0]![0]! + outer[2]![0]!) / 2;
            const cy = (outer[0]![1]! + outer[2]![1]!) / 2;
            const hole = [[cx - dx / 10, cy - dy / 10], [cx - dx / 10, cy + dy / 10], [cx + dx / 10, cy + dy / 10], [cx + dx / 10, cy - dy / 10], [cx - dx / 10, cy - dy / 10]];
            const withHole = c.holes && rand() < 0.5;
            geometries.push({ g: { type: 'Polygon', coordinates: withHole ? [outer, hole] : [outer] }, kind: 'base' });
            // a dedicated grid filling the hole exactly, sharing its edges
            if (withHole && rand() < 0.5) geometries.push({ g: { type: 'Polygon', coordinates: [[...hole].reverse()] }, kind: 'dedicated' });
          }
        }
        for (let k = 0; k < c.dedicated; k++) {
          // on a lattice corner or anywhere, some as large as a few blocks
          const corner = pts[Math.floor(rand() * (c.cols + 1))]![Math.floor(rand() * (c.rows + 1))]!;
          const [x, y] = rand() < 0.5 ? corner : [111.6 + rand() * c.cols * dx, 40.78 + rand() * c.rows * dy];
          const s = rand() < 0.3 ? 1.5 : 0.2;
          geometries.push({ g: rect(x! - s * dx, y! - s * dy, x! + s * dx, y! + s * dy), kind: 'dedicated' });
        }
        // a base grid far larger than the others (the R-tree keeps it), one far away
        if (c.huge) geometries.push({ g: rect(111.59, 40.77, 112.6, 41.8), kind: 'base' });
        if (c.farAway) geometries.push({ g: rect(130.1, 20.2, 130.1 + dx, 20.2 + dy), kind: 'base' });
        // codes a shuffled sequence, so code order is not insertion order
        const codes = geometries.map((_, k) => `${COMMUNITY}${String(k + 1).padStart(3, '0')}`).sort(() => rand() - 0.5);
        const grids = geometries.map((x, k) => grid(k + 1, codes[k]!, x.g, x.kind));
        const index = new GridIndex(grids);
        // the same grids patched into an index of a different city: every other grid kept from it, the rest given anew
        const stale = grids.map((g) => (g.id % 2 === 0 ? g : { ...g, geometry: rect(100, 30, 100.01, 30.01) }));
        const patched = new GridIndex(
          grids.filter((g) => g.id % 2 === 1),
          { previous: new GridIndex(stale), keep: (id) => id % 2 === 0 },
        );
        expect(patched.size).toBe(grids.length);
        for (const [a, b, t, u, v] of picks) {
          const rings = grids[a % grids.length]!.geometry.coordinates;
          const ring = rings[b % rings.length]!;
          const p = ring[b % (ring.length - 1)]!;
          const q = ring[(b % (ring.length - 1)) + 1]!;
          // a vertex, an edge's midpoint or quarter point, a random point over the lattice and around it
          const points = [
            [p[0]! + t * (q[0]! - p[0]!), p[1]! + t * (q[1]! - p[1]!)],
            [111.59 + u * (c.cols * dx + 0.02), 40.77 + v * (c.rows * dy + 0.02)],
          ];
          for (const [x, y] of points) {
            const expected = bruteForce(grids, x!, y!)?.code ?? null;
            expect(index.locate(x!, y!)?.code ?? null, `(${x}, ${y})`).toBe(expected);
            expect(patched.locate(x!, y!)?.code ?? null, `patched (${x}, ${y})`).toBe(expected);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
