import { type Kysely, sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../audit/index.js';
import { ENCRYPTED_COLUMNS } from './catalogue.js';
import type { FieldCipher } from './crypto.js';
import { type RetentionCutoffs, retentionCutoffs, retentionPolicy, type RetentionPolicy } from './retention.js';

export interface ResealCount {
  column: string;
  scanned: number;
  resealed: number;
  rehashed: number;
}

/**
 * Key rotation and first encryption (`zhili pii-rotate`, docs/SECURITY.md): every encrypted column of the
 * catalogue is read in id order and each value not sealed with the current key and cipher (plaintext of rows
 * older than migration 0006 included) is sealed again; the keyed hashes kept with them are recomputed, so a new
 * search key or cipher takes effect too. Runs in batches, each its own transaction; an update only lands when the
 * value is still the one read, so it can run while the server serves. Old keys must stay configured until it
 * has run; then they may be removed.
 */
export async function resealPersonalData(db: Kysely<Database>, pii: FieldCipher, options: { batchSize?: number } = {}): Promise<ResealCount[]> {
  const batchSize = options.batchSize ?? 500;
  const counts: ResealCount[] = [];
  for (const entry of ENCRYPTED_COLUMNS) {
    const count: ResealCount = { column: `${entry.table}.${entry.column}`, scanned: 0, resealed: 0, rehashed: 0 };
    const table = sql.table(entry.table);
    const column = sql.ref(entry.column);
    const only = entry.sealedWhere ? sql`AND ${sql.ref(entry.sealedWhere.column)} = ${entry.sealedWhere.equals}` : sql``;
    const hashColumn = entry.hash ? sql.ref(entry.hash.column) : null;
    let after = 0;
    for (;;) {
      const batch = await db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ id: number; value: string; hash: string | null }>`
          SELECT id, ${column} AS value, ${hashColumn ?? sql`NULL::text`} AS hash FROM ${table}
          WHERE ${column} IS NOT NULL ${only} AND id > ${after} ORDER BY id LIMIT ${batchSize}`.execute(trx);
        for (const row of rows) {
          const value = pii.reseal(row.value);
          const hash = entry.hash ? pii.searchHash(pii.readStored(value)!, entry.hash.kind) : null;
          const changedValue = value !== row.value;
          const changedHash = entry.hash !== undefined && hash !== row.hash;
          if (!changedValue && !changedHash) continue;
          const set = hashColumn ? sql`${column} = ${value}, ${hashColumn} = ${hash}` : sql`${column} = ${value}`;
          await sql`UPDATE ${table} SET ${set} WHERE id = ${row.id} AND ${column} = ${row.value}`.execute(trx);
          if (changedValue) count.resealed++;
          if (changedHash) count.rehashed++;
        }
        return rows;
      });
      count.scanned += batch.length;
      if (batch.length < batchSize) break;
      after = batch.at(-1)!.id;
    }
    counts.push(count);
  }
  await recordAudit(db, { actorId: null, action: 'personal.rotate', entity: 'pii_keys', entityId: pii.currentKeyId, detail: { cipher: pii.cipher, counts } });
  return counts;
}

export interface RetentionCounts {
  /** closed cases whose reporter name, phone and phone hash were erased */
  cases: number;
  /** "me too" supporters of such cases whose name and phone were erased */
  supporters: number;
  /** delivered or failed SMS (sealed reporter phones) deleted */
  smsMessages: number;
  sessions: number;
  notifications: number;
}

export interface RetentionRun {
  policy: RetentionPolicy;
  cutoffs: RetentionCutoffs;
  counts: RetentionCounts;
}

/** Key of the advisory lock that lets one process at a time apply retention. */
const RETENTION_LOCK = 7_264_105_109;

/**
 * Retention (docs/SECURITY.md, "Retention"): erases what `retention.ts` says has expired, in one transaction with
 * one audit entry (`retention.run`, the counts). Closed cases past the cutoff keep the case and lose the reporter's
 * name, phone and phone hash and their supporters' names and phones (`pii_anonymised_at` marks them); expired
 * sessions, read notifications past theirs and old delivered SMS are deleted. The audit log is never pruned.
 * Safe with several processes: another run holding the lock makes this one return null, and every update is
 * conditional, so a repeated run finds nothing left.
 */
export async function anonymiseExpired(db: Kysely<Database>, config: Pick<Config, 'retentionCasePiiDays' | 'retentionSessionDays' | 'retentionNotificationDays'>, now = new Date()): Promise<RetentionRun | null> {
  const policy = retentionPolicy(config);
  const cut = retentionCutoffs(policy, now);
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${sql.lit(RETENTION_LOCK)}) AS locked`.execute(trx);
    if (!rows[0]?.locked) return null;
    const counts: RetentionCounts = { cases: 0, supporters: 0, smsMessages: 0, sessions: 0, notifications: 0 };
    const closedBefore = cut.casePiiClosedBefore;
    if (closedBefore) {
      // supporters by the case's closing time alone: a case reopened and closed again may have gained some
      const supporters = await trx
        .updateTable('case_supporter')
        .set({ name: null, phone: null })
        .where((eb) => eb.or([eb('name', 'is not', null), eb('phone', 'is not', null)]))
        .where('case_id', 'in', (eb) => eb.selectFrom('case_file').select('id').where('status_type', '=', 'closed').where('closed_at', '<', closedBefore))
        .returning('id')
        .execute();
      counts.supporters = supporters.length;
      const cases = await trx
        .updateTable('case_file')
        .set({ reporter_name: null, reporter_phone: null, reporter_phone_hash: null, pii_anonymised_at: now })
        .where('status_type', '=', 'closed')
        .where('closed_at', '<', closedBefore)
        .where('pii_anonymised_at', 'is', null)
        .returning('id')
        .execute();
      counts.cases = cases.length;
      // closing notices carry the reporter's sealed phone; pending ones are left to the outbox
      const sms = await trx.deleteFrom('outbox_message').where('channel', '=', 'sms').where('status', 'in', ['sent', 'failed']).where('created_at', '<', closedBefore).returning('id').execute();
      counts.smsMessages = sms.length;
    }
    const sessionsBefore = cut.sessionEndedBefore;
    if (sessionsBefore) {
      const sessions = await trx
        .deleteFrom('user_session')
        .where((eb) => eb.or([eb('expires_at', '<', sessionsBefore), eb('last_seen_at', '<', sessionsBefore)]))
        .returning('id')
        .execute();
      counts.sessions = sessions.length;
    }
    const readBefore = cut.notificationReadBefore;
    if (readBefore) {
      const read = await trx.deleteFrom('notification').where('read_at', 'is not', null).where('read_at', '<', readBefore).returning('id').execute();
      counts.notifications = read.length;
    }
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    await recordAudit(trx, {
      actorId: null,
      action: 'retention.run',
      entity: 'retention',
      detail: { days: policy, cutoffs: { casePiiClosedBefore: iso(cut.casePiiClosedBefore), sessionEndedBefore: iso(cut.sessionEndedBefore), notificationReadBefore: iso(cut.notificationReadBefore) }, counts },
    });
    return { policy, cutoffs: cut, counts };
  });
}
