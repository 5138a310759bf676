import kinks from '@turf/kinks';
import type { GeoJsonPolygon } from '../../db/schema.js';

export interface GeometryProblem {
  /** the path of the offending part, e.g. `geometry.coordinates[0][3]` */
  field: string;
  zh: string;
  en: string;
}

export type Ring = number[][];

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Shoelace area in degrees² (sign tells orientation). */
export function ringArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += (ring[j]![0]! - ring[i]![0]!) * (ring[j]![1]! + ring[i]![1]!);
  return sum / 2;
}

/**
 * Validates a GeoJSON Polygon in WGS84: structure, coordinate ranges, closed rings with at least
 * four positions, non-zero area, no self-intersection. Returns the first problem or null.
 */
export function validatePolygon(value: unknown, field = 'geometry'): GeometryProblem | null {
  const g = value as Partial<GeoJsonPolygon> | null;
  if (!g || typeof g !== 'object') return { field, zh: '几何图形必须是 GeoJSON 对象', en: 'Geometry must be a GeoJSON object' };
  if (g.type !== 'Polygon') return { field: `${field}.type`, zh: '几何类型必须是 Polygon', en: 'Geometry type must be Polygon' };
  if (!Array.isArray(g.coordinates) || g.coordinates.length === 0) {
    return { field: `${field}.coordinates`, zh: '坐标必须是至少包含一个环的数组', en: 'Coordinates must be an array of at least one ring' };
  }
  for (const [r, ring] of g.coordinates.entries()) {
    const rf = `${field}.coordinates[${r}]`;
    if (!Array.isArray(ring) || ring.length < 4) return { field: rf, zh: '每个环至少需要 4 个坐标点（首尾相同）', en: 'Each ring needs at least 4 positions (first equals last)' };
    for (const [p, pos] of ring.entries()) {
      const pf = `${rf}[${p}]`;
      if (!Array.isArray(pos) || pos.length < 2 || !isNum(pos[0]) || !isNum(pos[1])) {
        return { field: pf, zh: '坐标点必须是 [经度, 纬度] 数字对', en: 'A position must be a [longitude, latitude] pair of numbers' };
      }
      if (pos[0] < -180 || pos[0] > 180) return { field: pf, zh: `经度 ${pos[0]} 超出范围 [-180, 180]`, en: `Longitude ${pos[0]} is outside [-180, 180]` };
      if (pos[1] < -90 || pos[1] > 90) return { field: pf, zh: `纬度 ${pos[1]} 超出范围 [-90, 90]`, en: `Latitude ${pos[1]} is outside [-90, 90]` };
    }
    const first = ring[0]!;
    const last = ring[ring.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) return { field: rf, zh: '环未闭合：首尾坐标必须相同', en: 'Ring is not closed: the first and last positions must be equal' };
    if (Math.abs(ringArea(ring)) < 1e-14) return { field: rf, zh: '环的面积为零', en: 'Ring has zero area' };
  }
  const found = kinks({ type: 'Feature', properties: {}, geometry: g as GeoJsonPolygon });
  if (found.features.length > 0) {
    const [lng, lat] = found.features[0]!.geometry.coordinates;
    return {
      field: `${field}.coordinates`,
      zh: `多边形自相交（约在 ${lng!.toFixed(6)}, ${lat!.toFixed(6)}）`,
      en: `Polygon intersects itself (near ${lng!.toFixed(6)}, ${lat!.toFixed(6)})`,
    };
  }
  return null;
}

export function bboxOf(g: GeoJsonPolygon): [number, number, number, number] {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const ring = g.coordinates[0]!;
  for (let i = 0; i < ring.length; i++) {
    const p = ring[i]!;
    const x = p[0]!;
    const y = p[1]!;
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}

export type PointPlacement = 'inside' | 'boundary' | 'outside';

/** Whether (x, y) lies on the segment a–b, within 1e-12: the cheap box test first, then the cross product. */
export function onEdge(x: number, y: number, ax: number, ay: number, bx: number, by: number): boolean {
  if (!(y >= Math.min(ay, by) - 1e-12 && y <= Math.max(ay, by) + 1e-12 && x >= Math.min(ax, bx) - 1e-12 && x <= Math.max(ax, bx) + 1e-12)) return false;
  const cross = (bx - ax) * (y - ay) - (by - ay) * (x - ax);
  return !(Math.abs(cross) > 1e-12 * Math.max(1, Math.abs(bx - ax) + Math.abs(by - ay)));
}

/** Where a point lies relative to a polygon with holes: ray casting, edges counted as boundary. */
export function placePoint(x: number, y: number, rings: Ring[]): PointPlacement {
  let inside = false;
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const a = ring[i]!;
      const b = ring[j]!;
      const ax = a[0]!;
      const ay = a[1]!;
      const bx = b[0]!;
      const by = b[1]!;
      if (onEdge(x, y, ax, ay, bx, by)) return 'boundary';
      if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
    }
  }
  return inside ? 'inside' : 'outside';
}

/**
 * placePoint over a polygon stored flat from `at`: the ring count, then for each ring its position count
 * followed by x, y of each position. 0 outside, 1 boundary, 2 inside.
 */
export function placePointFlat(x: number, y: number, shape: Float64Array, at: number): 0 | 1 | 2 {
  let inside = false;
  const rings = shape[at]!;
  let s = at + 1;
  for (let r = 0; r < rings; r++) {
    const e = s + 1 + 2 * shape[s]!;
    s++;
    if (s === e) continue;
    let bx = shape[e - 2]!;
    let by = shape[e - 1]!;
    for (let p = s; p < e; p += 2) {
      const ax = shape[p]!;
      const ay = shape[p + 1]!;
      // an edge wholly above or below the point (by more than the tolerance) neither holds it nor crosses its ray
      if (!(y < Math.min(ay, by) - 1e-12 || y > Math.max(ay, by) + 1e-12)) {
        if (onEdge(x, y, ax, ay, bx, by)) return 1;
        if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
      }
      bx = ax;
      by = ay;
    }
    s = e;
  }
  return inside ? 2 : 0;
}
