import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SessionUser } from '../auth/index.js';
import type { FieldCipher } from '../privacy/index.js';
import { viewerOf, visible } from '../access/index.js';
import { visitRule } from './access.js';
import { currentGridIds, currentWorkersOfGrids } from './repository.js';
import { dueForWorker, openWarnings, scanMissedVisits, toPersonSummary } from '../people/index.js';
import { localDateOf, shiftDay, startOfLocalDay } from '../calendar/index.js';

/** What the phone shows first: the open patrol, people to visit in the next three days, warnings, today's counts. */
export async function todayOf(db: Kysely<Database>, pii: FieldCipher, user: SessionUser) {
  const now = new Date();
  const day = localDateOf(now);
  const from = startOfLocalDay(day);
  await scanMissedVisits(db, currentWorkersOfGrids, { scopePath: user.jurisdictionPath, now });
  const worker = { userId: user.id, gridIds: await currentGridIds(db, user.id) };
  const reader = viewerOf(user);
  const count = async (q: Promise<{ n: number | string | bigint }>) => Number((await q).n);
  const [open, due, warnings, patrols, visits, reports, logEntries] = await Promise.all([
    db.selectFrom('patrol').select(['id', 'started_at', 'track']).where('user_id', '=', user.id).where('ended_at', 'is', null).orderBy('started_at', 'desc').executeTakeFirst(),
    dueForWorker(db, reader, worker, shiftDay(day, 3)),
    openWarnings(db, reader, worker),
    count(db.selectFrom('patrol').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', user.id).where('started_at', '>=', from).executeTakeFirstOrThrow()),
    count(db.selectFrom('visit').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', user.id).where('visited_on', '=', day).where(visible(visitRule, reader)).executeTakeFirstOrThrow()),
    count(db.selectFrom('grid_report').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', user.id).where('reported_at', '>=', from).executeTakeFirstOrThrow()),
    count(db.selectFrom('daily_log_entry').select((eb) => eb.fn.countAll().as('n')).where('user_id', '=', user.id).where('log_on', '=', day).executeTakeFirstOrThrow()),
  ]);
  return {
    day,
    openPatrol: open ? { id: open.id, startedAt: open.started_at.toISOString(), points: open.track.length } : null,
    due: due.map((p) => {
      const s = toPersonSummary(p, pii, now);
      return { personId: s.id, name: s.name, careGroup: s.careGroup, careGroupLabel: s.careGroupLabel, riskLevel: s.riskLevel, nextVisitDue: s.nextVisitDue, visitState: s.visitState };
    }),
    warnings: warnings.length,
    counts: { patrols, visits, reports, logEntries },
  };
}
