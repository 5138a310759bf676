import type { Config } from '../../config.js';

/**
 * How long personal data is kept, per category (docs/SECURITY.md, "Retention"), pure: what has expired at a
 * given time. `anonymiseExpired` (retention/run.ts) applies the same cutoffs in SQL. The audit log is not
 * a category: it is never pruned.
 */
export interface RetentionPolicy {
  /** after a case closes: the reporter's and the supporters' names and phones, and the closing SMS */
  casePiiDays: number;
  /** after a session ended (expired, idle or signed out long ago): its row with address and browser */
  sessionDays: number;
  /** after a notification was read */
  notificationDays: number;
}

export interface RetentionCutoffs {
  /** closed cases closed before this lose their personal fields; null: kept */
  casePiiClosedBefore: Date | null;
  /** sessions that expired, or were last used, before this are deleted; null: kept */
  sessionEndedBefore: Date | null;
  /** notifications read before this are deleted; null: kept */
  notificationReadBefore: Date | null;
}

const DAY_MS = 86_400_000;

export function retentionPolicy(config: Pick<Config, 'retentionCasePiiDays' | 'retentionSessionDays' | 'retentionNotificationDays'>): RetentionPolicy {
  return { casePiiDays: config.retentionCasePiiDays, sessionDays: config.retentionSessionDays, notificationDays: config.retentionNotificationDays };
}

// 0 days turns a category off rather than erasing at once: a misread setting must not wipe the data
const before = (now: Date, days: number) => (days > 0 ? new Date(now.getTime() - days * DAY_MS) : null);

export function retentionCutoffs(policy: RetentionPolicy, now: Date): RetentionCutoffs {
  return {
    casePiiClosedBefore: before(now, policy.casePiiDays),
    sessionEndedBefore: before(now, policy.sessionDays),
    notificationReadBefore: before(now, policy.notificationDays),
  };
}

/** An open case is never anonymised, whatever its age; a closed one once it has been closed long enough. */
export function casePiiExpired(c: { statusType: 'open' | 'closed'; closedAt: Date | null; piiAnonymisedAt: Date | null }, cut: RetentionCutoffs): boolean {
  return cut.casePiiClosedBefore !== null && c.statusType === 'closed' && c.piiAnonymisedAt === null && c.closedAt !== null && c.closedAt < cut.casePiiClosedBefore;
}

/**
 * A session ended at its absolute expiry or, earlier, after its idle timeout. Last use before the cutoff means it
 * ended before it too, as long as the idle timeout (minutes) is shorter than the retention (days).
 */
export function sessionExpired(s: { expiresAt: Date; lastSeenAt: Date }, cut: RetentionCutoffs): boolean {
  return cut.sessionEndedBefore !== null && (s.expiresAt < cut.sessionEndedBefore || s.lastSeenAt < cut.sessionEndedBefore);
}

/** Unread notifications are kept: nobody has seen them yet. */
export function notificationExpired(n: { readAt: Date | null }, cut: RetentionCutoffs): boolean {
  return cut.notificationReadBefore !== null && n.readAt !== null && n.readAt < cut.notificationReadBefore;
}
