import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { casePiiExpired, notificationExpired, retentionCutoffs, retentionPolicy, sessionExpired } from './retention.js';

const NOW = new Date('2026-11-21T04:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);

describe('retention policy', () => {
  it('defaults to three years for case personal data, 30 days for sessions and a year for read notifications', () => {
    expect(retentionPolicy(loadConfig({}))).toEqual({ casePiiDays: 1095, sessionDays: 30, notificationDays: 365 });
    const env = { ZHILI_RETENTION_CASE_PII_DAYS: '730', ZHILI_RETENTION_SESSION_DAYS: '7', ZHILI_RETENTION_NOTIFICATION_DAYS: '90' };
    expect(retentionPolicy(loadConfig(env))).toEqual({ casePiiDays: 730, sessionDays: 7, notificationDays: 90 });
    expect(() => loadConfig({ ZHILI_RETENTION_CASE_PII_DAYS: '-1' })).toThrow(/ZHILI_RETENTION_CASE_PII_DAYS/);
  });

  it('turns a category off with 0 days rather than erasing at once', () => {
    const cut = retentionCutoffs({ casePiiDays: 0, sessionDays: 0, notificationDays: 0 }, NOW);
    expect(cut).toEqual({ casePiiClosedBefore: null, sessionEndedBefore: null, notificationReadBefore: null });
    expect(casePiiExpired({ statusType: 'closed', closedAt: ago(5000), piiAnonymisedAt: null }, cut)).toBe(false);
    expect(sessionExpired({ expiresAt: ago(5000), lastSeenAt: ago(5000) }, cut)).toBe(false);
    expect(notificationExpired({ readAt: ago(5000) }, cut)).toBe(false);
  });
});

describe('what has expired', () => {
  const cut = retentionCutoffs({ casePiiDays: 1095, sessionDays: 30, notificationDays: 365 }, NOW);

  it('computes the cutoffs from now', () => {
    expect(cut.casePiiClosedBefore).toEqual(ago(1095));
    expect(cut.sessionEndedBefore).toEqual(ago(30));
    expect(cut.notificationReadBefore).toEqual(ago(365));
  });

  it('anonymises closed cases closed before the cutoff, once; never an open case, whatever its age', () => {
    expect(casePiiExpired({ statusType: 'closed', closedAt: ago(1096), piiAnonymisedAt: null }, cut)).toBe(true);
    expect(casePiiExpired({ statusType: 'closed', closedAt: ago(1094), piiAnonymisedAt: null }, cut)).toBe(false);
    expect(casePiiExpired({ statusType: 'closed', closedAt: ago(2000), piiAnonymisedAt: ago(10) }, cut)).toBe(false);
    expect(casePiiExpired({ statusType: 'open', closedAt: ago(2000), piiAnonymisedAt: null }, cut)).toBe(false);
    expect(casePiiExpired({ statusType: 'closed', closedAt: null, piiAnonymisedAt: null }, cut)).toBe(false);
  });

  it('deletes sessions that expired or were last used before the cutoff', () => {
    expect(sessionExpired({ expiresAt: ago(31), lastSeenAt: ago(31) }, cut)).toBe(true);
    expect(sessionExpired({ expiresAt: ago(-1), lastSeenAt: ago(40) }, cut)).toBe(true);
    expect(sessionExpired({ expiresAt: ago(29), lastSeenAt: ago(29) }, cut)).toBe(false);
  });

  it('deletes read notifications after the cutoff and keeps unread ones', () => {
    expect(notificationExpired({ readAt: ago(366) }, cut)).toBe(true);
    expect(notificationExpired({ readAt: ago(364) }, cut)).toBe(false);
    expect(notificationExpired({ readAt: null }, cut)).toBe(false);
  });
});
