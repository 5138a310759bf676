import Flatbush from 'flatbush';
import type { GeoJsonPolygon, GridKind } from '../../db/schema.js';
import { bboxOf, placePoint, type PointPlacement, type Ring } from './geometry.js';

export interface IndexedGrid {
  id: number;
  code: string;
  kind: GridKind;
  communityCode: string;
  geometry: GeoJsonPolygon;
}

/** Point → grid over an R-tree of the grids' bounding boxes, then an exact point-in-polygon test. */
export class GridIndex {
  private readonly tree: Flatbush | null;
  private readonly grids: IndexedGrid[];
  private readonly rings: Ring[][];

  constructor(grids: readonly IndexedGrid[]) {
    this.grids = [...grids];
    this.rings = this.grids.map((g) => g.geometry.coordinates);
    if (this.grids.length === 0) {
      this.tree = null;
      return;
    }
    const tree = new Flatbush(this.grids.length);
    for (const g of this.grids) tree.add(...bboxOf(g.geometry));
    tree.finish();
    this.tree = tree;
  }

  get size(): number {
    return this.grids.length;
  }

  /**
   * The grid at a point, or null outside every grid. Dedicated grids win over base grids (a school
   * inside a community is handled by its own grid); a point strictly inside wins over one on an edge;
   * on a shared edge the lowest code wins, so the answer is always the same.
   */
  locate(lng: number, lat: number): IndexedGrid | null {
    if (!this.tree) return null;
    let best: IndexedGrid | null = null;
    let bestPlace: PointPlacement = 'outside';
    for (const i of this.tree.search(lng, lat, lng, lat)) {
      const place = placePoint(lng, lat, this.rings[i]!);
      if (place === 'outside') continue;
      const g = this.grids[i]!;
      if (best === null || better(g, place, best, bestPlace)) {
        best = g;
        bestPlace = place;
      }
    }
    return best;
  }
}

function better(a: IndexedGrid, aPlace: PointPlacement, b: IndexedGrid, bPlace: PointPlacement): boolean {
  if (a.kind !== b.kind) return a.kind === 'dedicated';
  if (aPlace !== bPlace) return aPlace === 'inside';
  return a.code < b.code;
}
