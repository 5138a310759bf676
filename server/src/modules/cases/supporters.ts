import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { conflict } from '../../http/errors.js';
import { recordAudit } from '../audit/index.js';
import type { FieldCipher } from '../privacy/index.js';
import type { CaseRow } from './repository.js';
import { insertEvent } from './repository.js';

/** "Me too" (附议): one more person affected by an open case, counted on the case; a user adds themselves once. Name and phone are sealed. */
export async function addSupporter(
  db: Kysely<Database>,
  pii: FieldCipher,
  c: CaseRow,
  s: { userId: number | null; actorName: string; name: string | null; phone: string | null; channel: string; ip?: string | null },
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('case_supporter')
      .values({ case_id: c.id, user_id: s.userId, name: pii.encryptField(s.name?.trim() || null), phone: pii.encryptField(s.phone?.trim() || null), channel: s.channel })
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
    // which fields were given, never their values
    await recordAudit(trx, { actorId: s.userId, action: 'case.support', entity: 'case', entityId: String(c.id), detail: { channel: s.channel, withName: Boolean(s.name?.trim()), withPhone: Boolean(s.phone?.trim()) }, ip: s.ip ?? null });
    return supporter_count;
  });
}

/** The supporters of a case with name and phone decrypted: only for a reveal with a stated purpose. */
export async function revealSupporters(db: Kysely<Database>, pii: FieldCipher, caseId: number) {
  const rows = await db.selectFrom('case_supporter').select(['id', 'name', 'phone', 'channel', 'created_at']).where('case_id', '=', caseId).orderBy('id').execute();
  return rows
    .filter((r) => r.name !== null || r.phone !== null)
    .map((r) => ({ id: r.id, name: pii.readStored(r.name), phone: pii.readStored(r.phone), channel: r.channel, createdAt: r.created_at.toISOString() }));
}
