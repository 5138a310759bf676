import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { centreStaff } from '../cases/index.js';
import { notify } from '../notifications/index.js';
import { insertDisputeEvent } from './repository.js';
import { localDateOf } from '../calendar/index.js';

const SYSTEM = '系统 / system';

/**
 * Reminds of follow-up visits past their day and not recorded: the mediator and the organising centre get an
 * inbox item, the dispute's timeline an entry, once per visit. Claimed with FOR UPDATE SKIP LOCKED and marked in the
 * same transaction, so several server processes scanning at once remind once. To run it with the deadline scan:
 * `scanFollowUps(db)` in jobs.ts.
 */
export async function scanFollowUps(db: Kysely<Database>, opts: { now?: Date; batchSize?: number } = {}): Promise<number> {
  const now = opts.now ?? new Date();
  const today = localDateOf(now);
  const batch = opts.batchSize ?? 200;
  let reminded = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const due = await trx
        .selectFrom('dispute_follow_up as f')
        .innerJoin('dispute as d', 'd.id', 'f.dispute_id')
        .select(['f.id', 'f.dispute_id', 'f.due_on', 'd.status', 'd.mediator_id', 'd.organiser_code'])
        .where('f.done_at', 'is', null)
        .where('f.reminded_at', 'is', null)
        .where('f.due_on', '<', today)
        .orderBy('f.due_on')
        .limit(batch)
        .forUpdate('f')
        .skipLocked()
        .execute();
      for (const f of due) {
        await trx.updateTable('dispute_follow_up').set({ reminded_at: now }).where('id', '=', f.id).execute();
        await insertDisputeEvent(trx, { disputeId: f.dispute_id, actorId: null, actorName: SYSTEM, action: 'follow-up-missed', from: f.status, to: f.status, detail: { followUpId: f.id, dueOn: f.due_on } });
        const mediator = f.mediator_id ? await trx.selectFrom('mediator').select('user_id').where('id', '=', f.mediator_id).executeTakeFirst() : undefined;
        const users = [...(mediator?.user_id ? [mediator.user_id] : []), ...(await centreStaff(trx, f.organiser_code)).map((v) => v.id)];
        await notify(trx, { audience: users, about: { kind: 'dispute', id: f.dispute_id }, kind: 'dispute.follow_up_missed', title: `回访逾期：纠纷 #${f.dispute_id}`, body: `应于 ${f.due_on} 回访，尚未记录回访情况` });
      }
      return due.length;
    });
    reminded += n;
    if (n < batch) return reminded;
  }
}
