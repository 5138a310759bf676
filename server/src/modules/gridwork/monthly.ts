import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { localDateOf, localMonth } from '../calendar/index.js';
import { userName } from '../auth/index.js';
import { missedVisitsDue } from '../people/index.js';
import { getSetting } from '../settings/index.js';
import { type MonthlyFigures, monthlyScore, rank, weightsFrom } from './performance.js';
import { currentWorkersOfGrids, reportsOf } from './repository.js';

const DUPLICATE = new Set(['duplicate']);
const REJECTED = new Set(['not_responsible', 'withdrawn']);
const UNJUDGED = new Set(['received', 'accepted']);

/** Monthly figures, score and rank of every grid worker in a scope (the street's ranking). */
export async function monthlyRanking(db: Kysely<Database>, scopePath: string, month: string) {
  const { from, to, firstDay, nextFirstDay } = localMonth(month);
  const workers = await db
    .selectFrom('grid_worker as w')
    .select(['w.user_id', userName('w.user_id').as('display_name'), 'w.community_code', 'w.employment'])
    .where('w.jurisdiction_path', 'like', `${scopePath}%`)
    .where((eb) => eb.or([eb('w.ended_on', 'is', null), eb('w.ended_on', '>=', firstDay)]))
    .execute();
  const ids = workers.map((w) => w.user_id);
  if (!ids.length) return [];
  const [patrols, visits, reports, warnings, weightSetting] = await Promise.all([
    db.selectFrom('patrol').select(['user_id', 'distance_m']).where('user_id', 'in', ids).where('started_at', '>=', from).where('started_at', '<', to).execute(),
    db.selectFrom('visit').select(['user_id', 'person_id', 'on_time']).where('user_id', 'in', ids).where('visited_at', '>=', from).where('visited_at', '<', to).execute(),
    reportsOf(db, ids, from, to),
    missedVisitsDue(db, firstDay, nextFirstDay),
    getSetting<unknown>(db, 'gridwork.performanceWeights', undefined),
  ]);
  // a missed visit counts against the workers of the person's grid and those responsible for the person
  const gridWorkers = await currentWorkersOfGrids(db, warnings.flatMap((w) => (w.grid_id === null ? [] : [w.grid_id])));
  const missed = warnings.flatMap((w) => {
    const onGrid = gridWorkers.filter((a) => a.grid_id === w.grid_id);
    return (onGrid.length ? onGrid : [null]).map((a) => ({ id: w.id, grid_user: a?.user_id ?? null, resp_user: w.resp_user }));
  });
  const weights = weightsFrom(weightSetting);
  const rows = workers.map((w) => {
    const mine = <T extends { user_id: number }>(xs: T[]) => xs.filter((x) => x.user_id === w.user_id);
    const v = mine(visits);
    const r = mine(reports);
    const m = new Set(missed.filter((x) => x.grid_user === w.user_id || x.resp_user === w.user_id).map((x) => x.id)).size;
    const scheduledDone = v.filter((x) => x.person_id !== null).length;
    const f: MonthlyFigures = {
      patrols: mine(patrols).length,
      patrolKm: Math.round(mine(patrols).reduce((a, p) => a + p.distance_m, 0) / 100) / 10,
      visitsDone: v.length,
      visitsMissed: m,
      visitsOnTime: v.filter((x) => x.on_time === true).length,
      scheduledVisits: scheduledDone + m,
      reports: r.length,
      reportsConfirmed: r.filter((x) => !UNJUDGED.has(x.status) && !DUPLICATE.has(x.close_reason ?? '') && !REJECTED.has(x.close_reason ?? '')).length,
      reportsDuplicate: r.filter((x) => DUPLICATE.has(x.close_reason ?? '')).length,
      reportsRejected: r.filter((x) => REJECTED.has(x.close_reason ?? '')).length,
      reportsSameDay: r.filter((x) => localDateOf(x.found_at) === localDateOf(x.reported_at)).length,
    };
    const s = monthlyScore(f, weights);
    return { userId: w.user_id, name: w.display_name, communityCode: w.community_code, employment: w.employment, figures: f, parts: s.parts, score: s.total };
  });
  return rank(rows);
}
