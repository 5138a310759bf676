import type { TrackPoint } from './tables.js';

const R = 6_371_008.8;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance in metres. */
export function haversine(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * Merges points sent (possibly twice, possibly out of order, after the phone was offline) into a track:
 * ordered by time, one point per instant.
 */
export function mergeTrack(existing: readonly TrackPoint[], incoming: readonly TrackPoint[]): TrackPoint[] {
  const byTime = new Map<number, TrackPoint>();
  for (const p of [...existing, ...incoming]) byTime.set(p[2], p);
  return [...byTime.values()].sort((a, b) => a[2] - b[2]);
}

/** Length of a track in metres; jumps faster than 50 m/s (bad fixes) are left out. */
export function trackLength(track: readonly TrackPoint[]): number {
  let total = 0;
  for (let i = 1; i < track.length; i++) {
    const [a, b] = [track[i - 1]!, track[i]!];
    const d = haversine({ lng: a[0], lat: a[1] }, { lng: b[0], lat: b[1] });
    const secs = Math.max(1, (b[2] - a[2]) / 1000);
    if (d / secs <= 50) total += d;
  }
  return Math.round(total);
}
