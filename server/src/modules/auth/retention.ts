import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Sessions that expired, or were last used, before the cutoff. */
export async function deleteEndedSessions(trx: Kysely<Database>, before: Date): Promise<number> {
  const rows = await trx
    .deleteFrom('user_session')
    .where((eb) => eb.or([eb('expires_at', '<', before), eb('last_seen_at', '<', before)]))
    .returning('id')
    .execute();
  return rows.length;
}
