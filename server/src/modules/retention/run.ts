import { type Kysely, sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../audit/index.js';
import { deleteEndedSessions } from '../auth/index.js';
import { anonymiseClosedCases } from '../cases/index.js';
import { deleteDeliveredSms, deleteReadNotifications } from '../notifications/index.js';
import { type RetentionCutoffs, retentionCutoffs, retentionPolicy, type RetentionPolicy } from '../privacy/index.js';

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
 * Retention (docs/SECURITY.md, "Retention"): erases what `privacy/retention.ts` says has expired, each owner erasing its own rows,, in one transaction with
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
      ({ cases: counts.cases, supporters: counts.supporters } = await anonymiseClosedCases(trx, closedBefore, now));
      // closing notices carry the reporter's sealed phone; pending ones are left to the outbox
      counts.smsMessages = await deleteDeliveredSms(trx, closedBefore);
    }
    const sessionsBefore = cut.sessionEndedBefore;
    if (sessionsBefore) counts.sessions = await deleteEndedSessions(trx, sessionsBefore);
    const readBefore = cut.notificationReadBefore;
    if (readBefore) counts.notifications = await deleteReadNotifications(trx, readBefore);
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
