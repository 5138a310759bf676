import { describe, expect, it } from 'vitest';
import { currentTotp, needsSecondFactor, newRecoveryCodes, recoveryCodeHash, verifyTotp } from './totp.js';

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

  // single use is the database's part (credentials.ts consumeSecondFactor; test/attacks.test.ts)
  it('recovery codes are kept only as hashes, ignoring case and separators', () => {
    const { codes, hashes } = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect(hashes.some((h) => codes.includes(h))).toBe(false);
    expect(recoveryCodeHash(codes[3]!.toUpperCase())).toBe(hashes[3]);
    expect(recoveryCodeHash(codes[3]!.replace('-', ''))).toBe(hashes[3]);
    expect(hashes[3]).toMatch(/^[0-9a-f]{64}$/);
  });
});
