import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Viewer } from '../access/index.js';
import { boxAround, distanceMetres } from './classify.js';
import { nearbyOpenCases } from './repository.js';

export interface PossibleDuplicate {
  id: number;
  number: string;
  title: string;
  distanceM: number;
  createdAt: string;
  supporterCount: number;
}

/**
 * Open cases of the same matter within `radiusM` of a point and `windowDays` of now, newest first: those a
 * person at intake may join instead of filing again. Only cases the viewer may see (the access layer's case rule).
 */
export async function possibleDuplicates(
  db: Kysely<Database>,
  p: { matterTypeCode: string; point: { lng: number; lat: number }; radiusM: number; windowDays: number; viewer: Viewer; excludeId?: number; now?: Date },
): Promise<PossibleDuplicate[]> {
  const since = new Date((p.now ?? new Date()).getTime() - p.windowDays * 86_400_000);
  const near = await nearbyOpenCases(db, { matterTypeCode: p.matterTypeCode, box: boxAround(p.point, p.radiusM), since, viewer: p.viewer, ...(p.excludeId ? { excludeId: p.excludeId } : {}) });
  const found: PossibleDuplicate[] = [];
  for (const n of near) {
    const d = distanceMetres(p.point, { lng: n.lng!, lat: n.lat! });
    if (d <= p.radiusM) found.push({ id: n.id, number: n.number, title: n.title, distanceM: Math.round(d), createdAt: n.created_at.toISOString(), supporterCount: n.supporter_count });
  }
  return found;
}
