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

/** How many cells a grid's box may span before it goes to the R-tree kept for large (or odd) boxes. */
const MAX_CELLS_PER_GRID = 64;
/** numbers per cell entry: the box, the grid, where its polygon starts */
const ENTRY = 6;

/** What a lookup answers: the grid without its polygon (the index keeps the polygon in its own form). */
export type LocatedGrid = Omit<IndexedGrid, 'geometry'>;

/**
 * Point → grid: the boxes of the grids in a uniform grid of cells about twice the median box (a point's
 * cell lists every box that may hold it, scanned in order), the few very large boxes in an R-tree, then
 * placePoint's exact test over the coordinates copied into one flat array.
 */
export class GridIndex {
  private readonly grids: LocatedGrid[];
  /** the polygons one after the other, as placePointFlat reads them; grid i from shapeAt[i] to shapeAt[i + 1] */
  private readonly shape: Float64Array;
  private readonly shapeAt: Uint32Array;
  /** the box of grid i's outer ring (as bboxOf gives it) at 4i */
  private readonly box: Float64Array;
  private readonly dedicated: Uint8Array;
  // the cells: cell c has the entries cellStart[c] to cellStart[c + 1] of cellEntry, each a grid's
  // box, the grid and where its polygon starts in shape
  private readonly minX: number = Infinity;
  private readonly minY: number = Infinity;
  private readonly maxX: number = -Infinity;
  private readonly maxY: number = -Infinity;
  private readonly nx: number = 1;
  private readonly ny: number = 1;
  private readonly sx: number = 0;
  private readonly sy: number = 0;
  private readonly cellStart: Uint32Array = new Uint32Array(2);
  private readonly cellEntry: Float64Array = new Float64Array(0);
  private readonly large: Flatbush | null = null;
  /** the grid of each box in the R-tree */
  private readonly largeOnes: Uint32Array = new Uint32Array(0);
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
    const kept: number[] = [];
    if (from) for (let j = 0; j < from.previous.grids.length; j++) if (from.keep(from.previous.grids[j]!.id)) kept.push(j);
    const n = kept.length + grids.length;
    let size = 0;
    for (const j of kept) size += from!.previous.shapeAt[j + 1]! - from!.previous.shapeAt[j]!;
    for (const g of grids) {
      const coordinates = g.geometry.coordinates;
      size += 1 + coordinates.length;
      for (let r = 0; r < coordinates.length; r++) size += 2 * coordinates[r]!.length;
    }
    const shape = new Float64Array(size);
    const shapeAt = new Uint32Array(n + 1);
    const box = new Float64Array(n * 4);
    this.grids = [];
    this.shape = shape;
    this.shapeAt = shapeAt;
    this.box = box;
    this.dedicated = new Uint8Array(n);
    let at = 0;
    let i = 0;
    // kept grids in runs of neighbours, each run copied at once
    for (let k = 0; k < kept.length; ) {
      const p = from!.previous;
      let e = k;
      while (e + 1 < kept.length && kept[e + 1] === kept[e]! + 1) e++;
      const j0 = kept[k]!;
      const j1 = kept[e]!;
      const a = p.shapeAt[j0]!;
      const b = p.shapeAt[j1 + 1]!;
      shape.set(p.shape.subarray(a, b), at);
      box.set(p.box.subarray(4 * j0, 4 * j1 + 4), 4 * i);
      this.dedicated.set(p.dedicated.subarray(j0, j1 + 1), i);
      for (let j = j0; j <= j1; j++) {
        this.grids.push(p.grids[j]!);
        shapeAt[i++] = p.shapeAt[j]! - a + at;
      }
      at += b - a;
      k = e + 1;
    }
    for (const g of grids) {
      this.grids.push({ id: g.id, code: g.code, kind: g.kind, communityCode: g.communityCode });
      this.dedicated[i] = g.kind === 'dedicated' ? 1 : 0;
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
    if (n === 0) return;

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
      const tree = new Flatbush(largeOnes.length);
      for (const i of largeOnes) tree.add(box[4 * i]!, box[4 * i + 1]!, box[4 * i + 2]!, box[4 * i + 3]!);
      tree.finish();
      this.large = tree;
      this.largeOnes = Uint32Array.from(largeOnes);
    }
    if (largeOnes.length === n) return;

    let nx = Math.max(1, Math.ceil((maxX - minX) / cw));
    let ny = Math.max(1, Math.ceil((maxY - minY) / ch));
    // at most about four cells a grid, for grids spread far apart
    const cap = 4 * n + 64;
    if (nx * ny > cap) {
      const shrink = Math.sqrt((nx * ny) / cap);
      ny = Math.max(1, Math.floor(ny / shrink));
      nx = Math.max(1, Math.min(Math.floor(nx / shrink), Math.floor(cap / ny)));
    }
    this.minX = minX;
    this.minY = minY;
    this.maxX = maxX;
    this.maxY = maxY;
    this.nx = nx;
    this.ny = ny;
    this.sx = maxX > minX ? nx / (maxX - minX) : 0;
    this.sy = maxY > minY ? ny / (maxY - minY) : 0;
    // two passes: count the entries of each cell, then fill them in grid order
    const cellStart = new Uint32Array(nx * ny + 1);
    for (let i = 0; i < n; i++) {
      if (!inCells[i]) continue;
      const cx0 = this.column(box[4 * i]!), cx1 = this.column(box[4 * i + 2]!);
      const cy0 = this.row(box[4 * i + 1]!), cy1 = this.row(box[4 * i + 3]!);
      for (let cy = cy0; cy <= cy1; cy++) for (let cx = cx0; cx <= cx1; cx++) cellStart[cy * nx + cx + 1]!++;
    }
    for (let c = 0; c < nx * ny; c++) cellStart[c + 1]! += cellStart[c]!;
    const fill = cellStart.slice(0, nx * ny);
    const cellEntry = new Float64Array(cellStart[nx * ny]! * ENTRY);
    for (let i = 0; i < n; i++) {
      if (!inCells[i]) continue;
      const cx0 = this.column(box[4 * i]!), cx1 = this.column(box[4 * i + 2]!);
      const cy0 = this.row(box[4 * i + 1]!), cy1 = this.row(box[4 * i + 3]!);
      for (let cy = cy0; cy <= cy1; cy++) {
        for (let cx = cx0; cx <= cx1; cx++) {
          const k = fill[cy * nx + cx]!++ * ENTRY;
          cellEntry[k] = box[4 * i]!;
          cellEntry[k + 1] = box[4 * i + 1]!;
          cellEntry[k + 2] = box[4 * i + 2]!;
          cellEntry[k + 3] = box[4 * i + 3]!;
          cellEntry[k + 4] = i;
          cellEntry[k + 5] = this.shapeAt[i]!;
        }
      }
    }
    this.cellStart = cellStart;
    this.cellEntry = cellEntry;
  }

  // monotone in x and y, so a point inside a box always falls in one of the box's cells
  private column(x: number): number {
    return Math.min(this.nx - 1, Math.max(0, Math.floor((x - this.minX) * this.sx)));
  }

  private row(y: number): number {
    return Math.min(this.ny - 1, Math.max(0, Math.floor((y - this.minY) * this.sy)));
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
      const c = this.row(lat) * this.nx + this.column(lng);
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
    this.visit(i, this.shapeAt[i]!);
    return false;
  };

  /** Keeps grid i if it holds the point and beats the best so far. */
  private visit(i: number, shapeAt: number): void {
    const best = this.best;
    const dedicated = this.dedicated[i]!;
    if (best >= 0) {
      // skip the polygon test for a grid that cannot win wherever the point lies in it
      if (dedicated !== this.dedicated[best]) {
        if (dedicated === 0) return;
      } else if (this.bestInside && !(this.grids[i]!.code < this.grids[best]!.code)) return;
    }
    const place = placePointFlat(this.x, this.y, this.shape, shapeAt);
    if (place === 0) return;
    if (best < 0 || this.wins(i, place === 2, best)) {
      this.best = i;
      this.bestInside = place === 2;
    }
  }

  private wins(i: number, inside: boolean, best: number): boolean {
    if (this.dedicated[i] !== this.dedicated[best]) return this.dedicated[i] === 1;
    if (inside !== this.bestInside) return inside;
    return this.grids[i]!.code < this.grids[best]!.code;
  }
}
