// A generated city of grid polygons for the routing benchmark, deterministic for a seed.
// Base grids tile an area the size of a large Chinese city (about 128 km × 133 km) on a warped lattice:
// small blocks in the centre, large rural ones at the edge. Every lattice edge is a shared polyline with
// 1–6 wiggled intermediate points, so a grid has 8–28 distinct vertices and neighbours share edges exactly.
// About 2% of base grids have a hole; half of the holes are filled by a dedicated grid with the same ring.
// The other dedicated grids (schools, parks, compounds) overlap one or more base grids.
import { mulberry32 } from '../../server/src/demo/random.js';

export interface CityJurisdiction {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street' | 'community';
  parentCode: string | null;
}

export interface CityGrid {
  code: string;
  name: string;
  kind: 'base' | 'dedicated';
  category: string | null;
  communityCode: string;
  geometry: { type: 'Polygon'; coordinates: number[][][] };
}

export interface City {
  jurisdictions: CityJurisdiction[];
  grids: CityGrid[];
  /** [minLng, minLat, maxLng, maxLat] of the lattice */
  bbox: [number, number, number, number];
  /** distinct vertices per polygon (outer ring plus holes, closing positions not counted) */
  vertices: { min: number; mean: number; max: number };
  holes: number;
}

export const CITY_CODE = '980100';
const ORIGIN = { lng: 115.8, lat: 39.6 };
const SPAN = { lng: 1.5, lat: 1.2 };
const STREET_COLS = 25; // a street is 25 × 10 cells, a community 5 × 2
const STREET_ROWS = 10;
const DISTRICT_COLS = 100; // a district is 4 × 8 streets
const DISTRICT_ROWS = 80;


const round7 = (v: number) => Math.round(v * 1e7) / 1e7;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Monotone map of [0, 1] onto itself, flat in the middle: cells about 0.4× the mean there, 2.2× at the edge. */
const warp = (t: number) => {
  const u = 2 * t - 1;
  return 0.4 * t + 0.6 * (0.5 + 0.5 * u * u * u);
};

const DEDICATED_CATEGORIES = ['school', 'hospital', 'park', 'compound', 'industrial_park', 'market', 'government', 'transport_hub', 'scenic_area'];

export function generateCity(gridCount: number, seed = 20261121): City {
  const rand = mulberry32(seed);
  const dedicatedCount = Math.round(gridCount * 0.03);
  const baseCount = gridCount - dedicatedCount;
  const cols = Math.round(Math.sqrt(baseCount * (SPAN.lng / SPAN.lat) * 0.8));
  const rows = Math.ceil(baseCount / cols);

  const xs = Array.from({ length: cols + 1 }, (_, i) => ORIGIN.lng + SPAN.lng * warp(i / cols));
  const ys = Array.from({ length: rows + 1 }, (_, j) => ORIGIN.lat + SPAN.lat * warp(j / rows));
  const clamp = (k: number, n: number) => Math.min(Math.max(k, 0), n - 1);
  const cellW = (i: number) => xs[clamp(i, cols) + 1]! - xs[clamp(i, cols)]!;
  const cellH = (j: number) => ys[clamp(j, rows) + 1]! - ys[clamp(j, rows)]!;

  // lattice corners, interior ones jittered by up to ±20% of the smaller neighbouring cell
  const corner: number[][][] = [];
  for (let i = 0; i <= cols; i++) {
    const column: number[][] = [];
    for (let j = 0; j <= rows; j++) {
      const w = Math.min(cellW(i - 1), cellW(i));
      const h = Math.min(cellH(j - 1), cellH(j));
      const jx = i > 0 && i < cols ? (rand() - 0.5) * 0.4 * w : 0;
      const jy = j > 0 && j < rows ? (rand() - 0.5) * 0.4 * h : 0;
      column.push([round7(xs[i]! + jx), round7(ys[j]! + jy)]);
    }
    corner.push(column);
  }

  // intermediate points of each lattice edge, from its first corner to its second, moved off the line by up
  // to ±8% of the edge or of the narrower cell beside it (less near the corners, so no ring crosses itself)
  const wiggle = (a: number[], b: number[], across: number): number[][] => {
    const k = 1 + Math.floor(rand() * 6);
    const dx = b[0]! - a[0]!;
    const dy = b[1]! - a[1]!;
    const len = Math.hypot(dx, dy);
    const pts: number[][] = [];
    for (let m = 1; m <= k; m++) {
      const t = m / (k + 1);
      const off = ((rand() - 0.5) * 0.16 * 4 * t * (1 - t) * Math.min(across, len)) / len;
      pts.push([round7(a[0]! + t * dx - off * dy), round7(a[1]! + t * dy + off * dx)]);
    }
    return pts;
  };
  const hEdge: number[][][][] = []; // hEdge[i][j]: corner[i][j] → corner[i+1][j]
  const vEdge: number[][][][] = []; // vEdge[i][j]: corner[i][j] → corner[i][j+1]
  for (let i = 0; i <= cols; i++) {
    hEdge.push([]);
    vEdge.push([]);
    for (let j = 0; j <= rows; j++) {
      // the city's outline stays straight
      if (i < cols) hEdge[i]!.push(wiggle(corner[i]![j]!, corner[i + 1]![j]!, j === 0 || j === rows ? 0 : Math.min(cellH(j - 1), cellH(j))));
      if (j < rows) vEdge[i]!.push(wiggle(corner[i]![j]!, corner[i]![j + 1]!, i === 0 || i === cols ? 0 : Math.min(cellW(i - 1), cellW(i))));
    }
  }

  const jurisdictions: CityJurisdiction[] = [{ code: CITY_CODE, name: '澄江市', level: 'city', parentCode: null }];
  const known = new Set<string>();
  const communityOf = (i: number, j: number): string => {
    const d = Math.floor(i / DISTRICT_COLS) * Math.ceil((rows + 1) / DISTRICT_ROWS) + Math.floor(j / DISTRICT_ROWS) + 1;
    const li = i % DISTRICT_COLS;
    const lj = j % DISTRICT_ROWS;
    const s = Math.floor(li / STREET_COLS) * (DISTRICT_ROWS / STREET_ROWS) + Math.floor(lj / STREET_ROWS) + 1;
    const c = Math.floor((li % STREET_COLS) / 5) * (STREET_ROWS / 2) + Math.floor((lj % STREET_ROWS) / 2) + 1;
    const district = `9801${pad(d, 2)}`;
    const street = `${district}${pad(s, 3)}000`;
    const community = `${district}${pad(s, 3)}${pad(c, 3)}`;
    if (!known.has(community)) {
      if (!known.has(district)) {
        known.add(district);
        jurisdictions.push({ code: district, name: `第${d}区`, level: 'district', parentCode: CITY_CODE });
      }
      if (!known.has(street)) {
        known.add(street);
        jurisdictions.push({ code: street, name: `第${d}区第${s}街道`, level: 'street', parentCode: district });
      }
      known.add(community);
      jurisdictions.push({ code: community, name: `第${d}区第${s}街道第${c}社区`, level: 'community', parentCode: street });
    }
    return community;
  };

  const grids: CityGrid[] = [];
  const nextNumber = new Map<string, number>();
  const codeIn = (community: string, dedicated: boolean) => {
    const key = dedicated ? `${community}d` : community;
    const n = nextNumber.get(key) ?? (dedicated ? 901 : 1);
    nextNumber.set(key, n + 1);
    return `${community}${pad(n, 3)}`;
  };
  const polygonAround = (cx: number, cy: number, rx: number, ry: number, sides: number, clockwise: boolean): number[][] => {
    const phase = rand() * Math.PI;
    const ring: number[][] = [];
    for (let m = 0; m < sides; m++) {
      const a = phase + ((clockwise ? -1 : 1) * 2 * Math.PI * m) / sides;
      const r = 0.8 + 0.2 * rand();
      ring.push([round7(cx + rx * r * Math.cos(a)), round7(cy + ry * r * Math.sin(a))]);
    }
    ring.push([...ring[0]!]);
    return ring;
  };

  let holes = 0;
  let dedicated = 0;
  const vertexCounts: number[] = [];
  for (let n = 0; n < baseCount; n++) {
    const i = n % cols;
    const j = Math.floor(n / cols);
    const c00 = corner[i]![j]!;
    const c10 = corner[i + 1]![j]!;
    const c11 = corner[i + 1]![j + 1]!;
    const c01 = corner[i]![j + 1]!;
    const outer = [c00, ...hEdge[i]![j]!, c10, ...vEdge[i + 1]![j]!, c11, ...[...hEdge[i]![j + 1]!].reverse(), c01, ...[...vEdge[i]![j]!].reverse(), c00];
    const rings = [outer.map((p) => [p[0]!, p[1]!])];
    const community = communityOf(i, j);
    const code = codeIn(community, false);
    let filler: number[][] | null = null;
    if (rand() < 0.02) {
      const cx = (c00[0]! + c10[0]! + c11[0]! + c01[0]!) / 4;
      const cy = (c00[1]! + c10[1]! + c11[1]! + c01[1]!) / 4;
      const hole = polygonAround(cx, cy, cellW(i) * 0.1, cellH(j) * 0.1, 6 + Math.floor(rand() * 5), true);
      rings.push(hole);
      holes++;
      if (holes % 2 === 0 && dedicated < dedicatedCount) filler = [...hole].reverse().map((p) => [p[0]!, p[1]!]);
    }
    vertexCounts.push(rings.reduce((s, r) => s + r.length - 1, 0));
    grids.push({ code, name: `网格${code.slice(-7)}`, kind: 'base', category: null, communityCode: community, geometry: { type: 'Polygon', coordinates: rings } });
    if (filler) {
      const dcode = codeIn(community, true);
      vertexCounts.push(filler.length - 1);
      grids.push({ code: dcode, name: `专属网格${dcode.slice(-7)}`, kind: 'dedicated', category: 'compound', communityCode: community, geometry: { type: 'Polygon', coordinates: [filler] } });
      dedicated++;
    }
  }
  // the rest of the dedicated grids: small ones inside a block or across its corner, a few large parks
  while (dedicated < dedicatedCount) {
    const n = Math.floor(rand() * baseCount);
    const i = n % cols;
    const j = Math.floor(n / cols);
    const atCorner = rand() < 0.3;
    const large = rand() < 0.05;
    const c = corner[i]![j]!;
    const cx = atCorner ? c[0]! : (c[0]! + corner[i + 1]![j + 1]![0]!) / 2;
    const cy = atCorner ? c[1]! : (c[1]! + corner[i + 1]![j + 1]![1]!) / 2;
    const scale = large ? 1.2 : 0.1 + rand() * 0.25;
    const ring = polygonAround(cx, cy, cellW(i) * scale, cellH(j) * scale, 8 + Math.floor(rand() * 13), false);
    const community = communityOf(i, j);
    const dcode = codeIn(community, true);
    vertexCounts.push(ring.length - 1);
    const category = DEDICATED_CATEGORIES[Math.floor(rand() * DEDICATED_CATEGORIES.length)]!;
    grids.push({ code: dcode, name: `专属网格${dcode.slice(-7)}`, kind: 'dedicated', category, communityCode: community, geometry: { type: 'Polygon', coordinates: [ring] } });
    dedicated++;
  }

  const sum = vertexCounts.reduce((s, v) => s + v, 0);
  return {
    jurisdictions,
    grids,
    bbox: [ORIGIN.lng, ORIGIN.lat, ORIGIN.lng + SPAN.lng, ORIGIN.lat + SPAN.lat],
    vertices: { min: Math.min(...vertexCounts), mean: Math.round((sum / vertexCounts.length) * 10) / 10, max: Math.max(...vertexCounts) },
    holes,
  };
}

/** Uniform random points over the city's box and a 2% margin around it. */
export function randomPoints(city: City, count: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const [x0, y0, x1, y1] = city.bbox;
  const mx = (x1 - x0) * 0.02;
  const my = (y1 - y0) * 0.02;
  const out = new Float64Array(count * 2);
  for (let k = 0; k < count; k++) {
    out[2 * k] = x0 - mx + rand() * (x1 - x0 + 2 * mx);
    out[2 * k + 1] = y0 - my + rand() * (y1 - y0 + 2 * my);
  }
  return out;
}

/** Points where the tie rules matter: vertices of random grids and midpoints of their edges. */
export function boundaryPoints(city: City, count: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const out = new Float64Array(count * 2);
  for (let k = 0; k < count; k++) {
    const rings = city.grids[Math.floor(rand() * city.grids.length)]!.geometry.coordinates;
    const ring = rings[Math.floor(rand() * rings.length)]!;
    const m = Math.floor(rand() * (ring.length - 1));
    const a = ring[m]!;
    const b = ring[m + 1]!;
    const t = k % 2 === 0 ? 0 : 0.5;
    out[2 * k] = a[0]! + t * (b[0]! - a[0]!);
    out[2 * k + 1] = a[1]! + t * (b[1]! - a[1]!);
  }
  return out;
}
