import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Sent or failed SMS created before the cutoff (they carry a reporter's sealed phone); pending ones stay. */
export async function deleteDeliveredSms(trx: Kysely<Database>, before: Date): Promise<number> {
  const rows = await trx.deleteFrom('outbox_message').where('channel', '=', 'sms').where('status', 'in', ['sent', 'failed']).where('created_at', '<', before).returning('id').execute();
  return rows.length;
}

/** Notifications read before the cutoff; unread ones stay. */
export async function deleteReadNotifications(trx: Kysely<Database>, before: Date): Promise<number> {
  const rows = await trx.deleteFrom('notification').where('read_at', 'is not', null).where('read_at', '<', before).returning('id').execute();
  return rows.length;
}
