import Flatbush from 'flatbush';
import type { GeoJsonPolygon, GridKind } from '../../db/schema.js';
import { placePointFlat } from './geometry.js';

export interface IndexedGrid {
  id: number;
  code: string;
  kind: GridKind;
  communityCode: string;
  geometry: GeoJsonPolygon;
}

/** What a lookup answers: the grid without its polygon (the index keeps the polygon in its own form). */
export type LocatedGrid = Omit<IndexedGrid, 'geometry'>;

/** How many cells a grid's box may span before it goes to the R-tree kept for large (or odd) boxes. */
const MAX_CELLS_PER_GRID = 64;
/** numbers per cell entry: the box, the grid, where its polygon starts */
const ENTRY = 6;

/** The grids' polygons, one after the other in one array. */
interface Store {
  grids: LocatedGrid[];
  /** grid i from shapeAt[i] to shapeAt[i + 1], as placePointFlat reads it */
  shape: Float64Array;
  shapeAt: Uint32Array;
  /** the box of grid i's outer ring, as bboxOf gives it, at 4i */
  box: Float64Array;
  dedicated: Uint8Array;
}

/**
 * The boxes of the grids in a uniform grid of cells: cell c has the entries cellStart[c] to cellStart[c + 1]
 * of cellEntry, each a grid's box, the grid and where its polygon starts. Boxes spanning too many cells, or
 * not finite, are in an R-tree instead.
 */
interface Cells {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  nx: number;
  ny: number;
  sx: number;
  sy: number;
  cellStart: Uint32Array;
  cellEntry: Float64Array;
  large: Flatbush | null;
  /** the grid of each box in the R-tree */
  largeOnes: Uint32Array;
}

/**
 * Point → grid: the cell of the point lists every box that may hold it (cells are about twice the median
 * box), the few very large boxes are in an R-tree, then placePoint's exact test runs over the coordinates
 * copied into one flat array.
 */
export class GridIndex {
  private readonly store: Store;
  // the store's arrays, read by every lookup
  private readonly grids: LocatedGrid[];
  private readonly shape: Float64Array;
  private readonly dedicated: Uint8Array;
  private readonly minX: number;
  private readonly minY: number;
  private readonly maxX: number;
  private readonly maxY: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly sx: number;
  private readonly sy: number;
  private readonly cellStart: Uint32Array;
  private readonly cellEntry: Float64Array;
  private readonly large: Flatbush | null;
  private readonly largeOnes: Uint32Array;
  // the lookup in progress, read by visit()
  private x = 0;
  private y = 0;
  private best = -1;
  private bestInside = false;

  /**
   * An index of `grids`; with `from`, of the grids of `from.previous` that `from.keep` keeps (copied as
   * they are there, polygons and all) followed by `grids`.
   */
  constructor(grids: readonly IndexedGrid[], from?: { previous: GridIndex; keep: (id: number) => boolean }) {
    this.store = storeOf(grids, from && { store: from.previous.store, keep: from.keep });
    this.grids = this.store.grids;
    this.shape = this.store.shape;
    this.dedicated = this.store.dedicated;
    const c = cellsOf(this.store);
    this.minX = c.minX;
    this.minY = c.minY;
    this.maxX = c.maxX;
    this.maxY = c.maxY;
    this.nx = c.nx;
    this.ny = c.ny;
    this.sx = c.sx;
    this.sy = c.sy;
    this.cellStart = c.cellStart;
    this.cellEntry = c.cellEntry;
    this.large = c.large;
    this.largeOnes = c.largeOnes;
  }

  get size(): number {
    return this.grids.length;
  }

  /**
   * The grid at a point, or null outside every grid. Dedicated grids win over base grids (a school
   * inside a community is handled by its own grid); a point strictly inside wins over one on an edge;
   * on a shared edge the lowest code wins, so the answer is always the same.
   */
  locate(lng: number, lat: number): LocatedGrid | null {
    this.x = lng;
    this.y = lat;
    this.best = -1;
    this.bestInside = false;
    if (lng >= this.minX && lng <= this.maxX && lat >= this.minY && lat <= this.maxY) {
      const c = cellOf(lat, this.minY, this.sy, this.ny) * this.nx + cellOf(lng, this.minX, this.sx, this.nx);
      const e = this.cellEntry;
      for (let k = this.cellStart[c]! * ENTRY, end = this.cellStart[c + 1]! * ENTRY; k < end; k += ENTRY) {
        if (lng < e[k]! || lat < e[k + 1]! || lng > e[k + 2]! || lat > e[k + 3]!) continue;
        this.visit(e[k + 4]!, e[k + 5]!);
      }
    }
    this.large?.search(lng, lat, lng, lat, this.visitLarge);
    return this.best < 0 ? null : this.grids[this.best]!;
  }

  private readonly visitLarge = (k: number): boolean => {
    const i = this.largeOnes[k]!;
    this.visit(i, this.store.shapeAt[i]!);
    return false;
  };

  /** Keeps grid i if it holds the point and beats the best so far. */
  private visit(i: number, shapeAt: number): void {
    const { grids, dedicated } = this;
    const best = this.best;
    if (best >= 0) {
      // skip the polygon test for a grid that cannot win wherever the point lies in it
      if (dedicated[i] !== dedicated[best]) {
        if (dedicated[i] === 0) return;
      } else if (this.bestInside && !(grids[i]!.code < grids[best]!.code)) return;
    }
    const place = placePointFlat(this.x, this.y, this.shape, shapeAt);
    if (place === 0) return;
    if (best < 0 || this.wins(i, place === 2, best)) {
      this.best = i;
      this.bestInside = place === 2;
    }
  }

  private wins(i: number, inside: boolean, best: number): boolean {
    const { grids, dedicated } = this;
    if (dedicated[i] !== dedicated[best]) return dedicated[i] === 1;
    if (inside !== this.bestInside) return inside;
    return grids[i]!.code < grids[best]!.code;
  }
}

/** The cell of a coordinate: monotone, so a point inside a box always falls in one of the box's cells. */
function cellOf(v: number, min: number, scale: number, count: number): number {
  return Math.min(count - 1, Math.max(0, Math.floor((v - min) * scale)));
}

function storeOf(grids: readonly IndexedGrid[], from?: { store: Store; keep: (id: number) => boolean }): Store {
  const kept: number[] = [];
  if (from) for (let j = 0; j < from.store.grids.length; j++) if (from.keep(from.store.grids[j]!.id)) kept.push(j);
  const n = kept.length + grids.length;
  let size = 0;
  for (const j of kept) size += from!.store.shapeAt[j + 1]! - from!.store.shapeAt[j]!;
  for (const g of grids) {
    const coordinates = g.geometry.coordinates;
    size += 1 + coordinates.length;
    for (let r = 0; r < coordinates.length; r++) size += 2 * coordinates[r]!.length;
  }
  const out: Store = { grids: [], shape: new Float64Array(size), shapeAt: new Uint32Array(n + 1), box: new Float64Array(n * 4), dedicated: new Uint8Array(n) };
  const { shape, shapeAt, box } = out;
  let at = 0;
  let i = 0;
  // kept grids in runs of neighbours, each run copied at once
  for (let k = 0; k < kept.length; ) {
    const p = from!.store;
    let e = k;
    while (e + 1 < kept.length && kept[e + 1] === kept[e]! + 1) e++;
    const j0 = kept[k]!;
    const j1 = kept[e]!;
    const a = p.shapeAt[j0]!;
    const b = p.shapeAt[j1 + 1]!;
    shape.set(p.shape.subarray(a, b), at);
    box.set(p.box.subarray(4 * j0, 4 * j1 + 4), 4 * i);
    out.dedicated.set(p.dedicated.subarray(j0, j1 + 1), i);
    for (let j = j0; j <= j1; j++) {
      out.grids.push(p.grids[j]!);
      shapeAt[i++] = p.shapeAt[j]! - a + at;
    }
    at += b - a;
    k = e + 1;
  }
  for (const g of grids) {
    out.grids.push({ id: g.id, code: g.code, kind: g.kind, communityCode: g.communityCode });
    out.dedicated[i] = g.kind === 'dedicated' ? 1 : 0;
    shapeAt[i] = at;
    const coordinates = g.geometry.coordinates;
    shape[at++] = coordinates.length;
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let r = 0; r < coordinates.length; r++) {
      const positions = coordinates[r]!;
      shape[at++] = positions.length;
      for (let p = 0; p < positions.length; p++) {
        const pos = positions[p]!;
        const x = pos[0]!;
        const y = pos[1]!;
        shape[at++] = x;
        shape[at++] = y;
        if (r === 0) {
          if (x < minX) minX = x;
          if (y < minY) minY = y;
          if (x > maxX) maxX = x;
          if (y > maxY) maxY = y;
        }
      }
    }
    box[4 * i] = minX;
    box[4 * i + 1] = minY;
    box[4 * i + 2] = maxX;
    box[4 * i + 3] = maxY;
    i++;
  }
  shapeAt[n] = at;
  return out;
}

function cellsOf({ box, shapeAt }: Store): Cells {
  const n = shapeAt.length - 1;
  const none: Cells = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity, nx: 1, ny: 1, sx: 0, sy: 0, cellStart: new Uint32Array(2), cellEntry: new Float64Array(0), large: null, largeOnes: new Uint32Array(0) };
  if (n === 0) return none;
  // cell size: twice the median box of a sample
  const widths: number[] = [];
  const heights: number[] = [];
  for (let i = 0; i < n; i += Math.ceil(n / 1024)) {
    const w = box[4 * i + 2]! - box[4 * i]!;
    const h = box[4 * i + 3]! - box[4 * i + 1]!;
    if (Number.isFinite(w) && Number.isFinite(h) && w >= 0 && h >= 0) {
      widths.push(w);
      heights.push(h);
    }
  }
  widths.sort((a, b) => a - b);
  heights.sort((a, b) => a - b);
  const cw = 2 * (widths[widths.length >> 1] ?? 0);
  const ch = 2 * (heights[heights.length >> 1] ?? 0);
  // boxes spanning too many cells, or not finite, go to the R-tree; the others set the extent
  const inCells = new Uint8Array(n);
  const largeOnes: number[] = [];
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const x0 = box[4 * i]!, y0 = box[4 * i + 1]!, x1 = box[4 * i + 2]!, y1 = box[4 * i + 3]!;
    const finite = Number.isFinite(x0) && Number.isFinite(y0) && Number.isFinite(x1) && Number.isFinite(y1) && x0 <= x1 && y0 <= y1;
    if (finite && cw > 0 && ch > 0 && ((x1 - x0) / cw + 1) * ((y1 - y0) / ch + 1) <= MAX_CELLS_PER_GRID) {
      inCells[i] = 1;
      if (x0 < minX) minX = x0;
      if (y0 < minY) minY = y0;
      if (x1 > maxX) maxX = x1;
      if (y1 > maxY) maxY = y1;
    } else largeOnes.push(i);
  }
  if (largeOnes.length > 0) {
    none.large = new Flatbush(largeOnes.length);
    for (const i of largeOnes) none.large.add(box[4 * i]!, box[4 * i + 1]!, box[4 * i + 2]!, box[4 * i + 3]!);
    none.large.finish();
    none.largeOnes = Uint32Array.from(largeOnes);
  }
  if (largeOnes.length === n) return none;

  let nx = Math.max(1, Math.ceil((maxX - minX) / cw));
  let ny = Math.max(1, Math.ceil((maxY - minY) / ch));
  // at most about four cells a grid, for grids spread far apart
  const cap = 4 * n + 64;
  if (nx * ny > cap) {
    const shrink = Math.sqrt((nx * ny) / cap);
    ny = Math.max(1, Math.floor(ny / shrink));
    nx = Math.max(1, Math.min(Math.floor(nx / shrink), Math.floor(cap / ny)));
  }
  const sx = maxX > minX ? nx / (maxX - minX) : 0;
  const sy = maxY > minY ? ny / (maxY - minY) : 0;
  // two passes: count the entries of each cell, then fill them in grid order
  const cellStart = new Uint32Array(nx * ny + 1);
  for (let i = 0; i < n; i++) {
    if (!inCells[i]) continue;
    const cx0 = cellOf(box[4 * i]!, minX, sx, nx), cx1 = cellOf(box[4 * i + 2]!, minX, sx, nx);
    const cy0 = cellOf(box[4 * i + 1]!, minY, sy, ny), cy1 = cellOf(box[4 * i + 3]!, minY, sy, ny);
    for (let cy = cy0; cy <= cy1; cy++) for (let cx = cx0; cx <= cx1; cx++) cellStart[cy * nx + cx + 1]!++;
  }
  for (let c = 0; c < nx * ny; c++) cellStart[c + 1]! += cellStart[c]!;
  const fill = cellStart.slice(0, nx * ny);
  const cellEntry = new Float64Array(cellStart[nx * ny]! * ENTRY);
  for (let i = 0; i < n; i++) {
    if (!inCells[i]) continue;
    const cx0 = cellOf(box[4 * i]!, minX, sx, nx), cx1 = cellOf(box[4 * i + 2]!, minX, sx, nx);
    const cy0 = cellOf(box[4 * i + 1]!, minY, sy, ny), cy1 = cellOf(box[4 * i + 3]!, minY, sy, ny);
    for (let cy = cy0; cy <= cy1; cy++) {
      for (let cx = cx0; cx <= cx1; cx++) {
        const k = fill[cy * nx + cx]!++ * ENTRY;
        cellEntry[k] = box[4 * i]!;
        cellEntry[k + 1] = box[4 * i + 1]!;
        cellEntry[k + 2] = box[4 * i + 2]!;
        cellEntry[k + 3] = box[4 * i + 3]!;
        cellEntry[k + 4] = i;
        cellEntry[k + 5] = shapeAt[i]!;
      }
    }
  }
  return { ...none, minX, minY, maxX, maxY, nx, ny, sx, sy, cellStart, cellEntry };
}
