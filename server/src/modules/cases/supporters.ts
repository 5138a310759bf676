import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { conflict } from '../../http/errors.js';
import type { CaseRow } from './repository.js';
import { insertEvent } from './repository.js';

/** "Me too" (附议): one more person affected by an open case, counted on the case; a user adds themselves once. */
export async function addSupporter(
  db: Kysely<Database>,
  c: CaseRow,
  s: { userId: number | null; actorName: string; name: string | null; phone: string | null; channel: string },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('case_supporter')
      .values({ case_id: c.id, user_id: s.userId, name: s.name, phone: s.phone, channel: s.channel })
      .onConflict((oc) => oc.columns(['case_id', 'user_id']).where('user_id', 'is not', null).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) throw conflict(undefined, '您已附议过该案件', 'You have already added yourself to this case');
    const { supporter_count } = await trx
      .updateTable('case_file')
      .set((eb) => ({ supporter_count: eb('supporter_count', '+', 1), updated_at: new Date() }))
      .where('id', '=', c.id)
      .returning('supporter_count')
      .executeTakeFirstOrThrow();
    await insertEvent(trx, { caseId: c.id, actorId: s.userId, actorName: s.actorName, action: 'support', from: c.status, to: c.status, detail: { channel: s.channel } });
    return supporter_count;
  });
}
