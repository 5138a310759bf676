import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * Retention of cases' personal data (docs/SECURITY.md, "Retention"): closed cases closed before the cutoff lose
 * the reporter's name, phone and phone hash (`pii_anonymised_at` marks them), their supporters their names and
 * phones. Conditional, so a repeated run finds nothing left. Run it in the caller's transaction.
 */
export async function anonymiseClosedCases(trx: Kysely<Database>, closedBefore: Date, now: Date): Promise<{ cases: number; supporters: number }> {
  // supporters by the case's closing time alone: a case reopened and closed again may have gained some
  const supporters = await trx
    .updateTable('case_supporter')
    .set({ name: null, phone: null })
    .where((eb) => eb.or([eb('name', 'is not', null), eb('phone', 'is not', null)]))
    .where('case_id', 'in', (eb) => eb.selectFrom('case_file').select('id').where('status_type', '=', 'closed').where('closed_at', '<', closedBefore))
    .returning('id')
    .execute();
  const cases = await trx
    .updateTable('case_file')
    .set({ reporter_name: null, reporter_phone: null, reporter_phone_hash: null, pii_anonymised_at: now })
    .where('status_type', '=', 'closed')
    .where('closed_at', '<', closedBefore)
    .where('pii_anonymised_at', 'is', null)
    .returning('id')
    .execute();
  return { cases: cases.length, supporters: supporters.length };
}
