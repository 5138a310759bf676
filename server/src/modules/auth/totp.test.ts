import { describe, expect, it } from 'vitest';
import { currentTotp, needsSecondFactor, newRecoveryCodes, useRecoveryCode, verifyTotp } from './totp.js';

const SECRET = 'ZHILIDEMO2FA7777';

describe('TOTP', () => {
  it('accepts the current code and one step of drift, refuses others', () => {
    const now = Date.UTC(2026, 10, 21, 8, 0, 15);
    const step = Math.floor(now / 30_000);
    expect(verifyTotp(SECRET, currentTotp(SECRET, now), now)).toBe(step);
    expect(verifyTotp(SECRET, currentTotp(SECRET, now - 30_000), now)).toBe(step - 1);
    expect(verifyTotp(SECRET, currentTotp(SECRET, now - 120_000), now)).toBeNull();
    expect(verifyTotp(SECRET, 'abcdef', now)).toBeNull();
  });

  it('is required for administrators, auditors and leaders only', () => {
    expect(needsSecondFactor(['leader'])).toBe(true);
    expect(needsSecondFactor(['auditor'])).toBe(true);
    expect(needsSecondFactor(['dispatcher', 'supervisor'])).toBe(false);
  });

  it('recovery codes are single use and kept only as hashes', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(hashes.some((h) => codes.includes(h))).toBe(false);
    const left = useRecoveryCode(hashes, codes[3]!.toUpperCase());
    expect(left).toHaveLength(9);
    expect(useRecoveryCode(left!, codes[3]!)).toBeNull();
  });
});
