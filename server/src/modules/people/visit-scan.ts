import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { activeAccounts } from '../auth/index.js';
import { notify } from '../notifications/index.js';
import { localDateOf } from '../calendar/index.js';

/**
 * Raises a warning for every active person whose visit is past its due day, once per person and due day, and
 * tells the responsible staff, the grid workers of the person's grid and the community's centre (inbox). Candidates
 * are claimed with FOR UPDATE SKIP LOCKED and the warning insert is conflict-safe, so several processes can scan.
 * The text names no one: the inbox is not the place for a person served's name.
 */
export async function scanMissedVisits(db: Kysely<Database>, gridWorkers: GridWorkers, opts: { now?: Date; scopePath?: string; batchSize?: number } = {}): Promise<{ raised: number }> {
  const now = opts.now ?? new Date();
  const today = localDateOf(now);
  const batch = opts.batchSize ?? 200;
  let raised = 0;
  let afterId = 0;
  for (;;) {
    const done = await db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('person_served')
        .select(['id', 'care_group', 'next_visit_due', 'jurisdiction_path', 'community_code', 'grid_id'])
        .where('status', '=', 'active')
        .where('next_visit_due', '<', today)
        .where('id', '>', afterId)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('care_visit_warning as w').select('w.id').whereRef('w.person_id', '=', 'person_served.id').whereRef('w.due_on', '=', 'person_served.next_visit_due'))));
      if (opts.scopePath) q = q.where('jurisdiction_path', 'like', `${opts.scopePath}%`);
      const due = await q.orderBy('id').limit(batch).forUpdate().skipLocked().execute();
      for (const p of due) {
        afterId = p.id;
        const inserted = await trx
          .insertInto('care_visit_warning')
          .values({ person_id: p.id, due_on: p.next_visit_due, jurisdiction_path: p.jurisdiction_path, raised_at: now })
          .onConflict((oc) => oc.columns(['person_id', 'due_on']).doNothing())
          .returning('id')
          .executeTakeFirst();
        if (!inserted) continue;
        raised++;
        const users = await whoToTell(trx, gridWorkers, p);
        await notify(trx, { audience: users, about: { kind: 'visit-warning', id: inserted.id }, kind: 'people.visit_missed', title: `重点人群走访逾期（应于 ${p.next_visit_due} 前走访）`, body: `编号 ${p.id} 的服务对象未按期走访，请尽快安排。` });
      }
      return due.length < batch;
    });
    if (done) break;
  }
  return { raised };
}

/** The workers currently assigned to each of some grids (grid work keeps the assignments). */
export type GridWorkers = (db: Kysely<Database>, gridIds: readonly number[]) => Promise<Array<{ grid_id: number; user_id: number }>>;

async function whoToTell(db: Kysely<Database>, gridWorkers: GridWorkers, p: { id: number; community_code: string; grid_id: number | null }): Promise<number[]> {
  const responsible = await db.selectFrom('person_responsible').select('user_id').where('person_id', '=', p.id).where('user_id', 'is not', null).$narrowType<{ user_id: number }>().execute();
  const onGrid = p.grid_id ? await gridWorkers(db, [p.grid_id]) : [];
  return activeAccounts(db, { ids: [...responsible.map((r) => r.user_id), ...onGrid.map((a) => a.user_id)], jurisdictionCode: p.community_code, roles: ['dispatcher', 'supervisor'] });
}
