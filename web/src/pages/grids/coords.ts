import gcoord from 'gcoord';
import type { LatLngTuple } from 'leaflet';

export type CoordSystem = 'WGS84' | 'GCJ02';

/**
 * Grids are stored in WGS84. Tiles in GCJ-02 (most commercial maps) are offset by a few hundred metres,
 * so the polygons are shifted for display only; 天地图 tiles are WGS84/CGCS2000 and need nothing.
 */
export function toDisplay(system: CoordSystem, lng: number, lat: number): LatLngTuple {
  if (system === 'GCJ02') {
    const [x, y] = gcoord.transform<[number, number]>([lng, lat], gcoord.WGS84, gcoord.GCJ02);
    return [y, x];
  }
  return [lat, lng];
}

/** A point clicked on the map back to WGS84 [lng, lat] for the API. */
export function fromDisplay(system: CoordSystem, lat: number, lng: number): [number, number] {
  if (system === 'GCJ02') return gcoord.transform<[number, number]>([lng, lat], gcoord.GCJ02, gcoord.WGS84);
  return [lng, lat];
}

export function polygonPositions(system: CoordSystem, coordinates: number[][][]): LatLngTuple[][] {
  return coordinates.map((ring) => ring.map((p) => toDisplay(system, p[0]!, p[1]!)));
}
