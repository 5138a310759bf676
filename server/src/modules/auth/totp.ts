import crypto from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/** Roles that must sign in with a second factor (level 3: administrators, auditors and leaders). */
export const SECOND_FACTOR_ROLES = ['system_admin', 'security_admin', 'auditor', 'leader'] as const;
export const needsSecondFactor = (roles: readonly string[]) => roles.some((r) => (SECOND_FACTOR_ROLES as readonly string[]).includes(r));

const PERIOD = 30;

function totp(secret: string, label: string) {
  return new TOTP({ issuer: 'Zhili 治理', label, algorithm: 'SHA1', digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

export const newTotpSecret = () => new Secret({ size: 20 }).base32;

export function otpauthUri(secret: string, username: string): string {
  return totp(secret, username).toString();
}

export const qrDataUrl = (uri: string) => QRCode.toDataURL(uri, { errorCorrectionLevel: 'M', margin: 1, width: 240 });

/** The time step a code is valid for (±1 step of drift), or null. */
export function verifyTotp(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totp(secret, 'x').validate({ token: code, timestamp: now, window: 1 });
  return delta === null ? null : Math.floor(now / 1000 / PERIOD) + delta;
}

/** The current code; for tests and the demo. */
export const currentTotp = (secret: string, now = Date.now()) => totp(secret, 'x').generate({ timestamp: now });

/** What is kept of a recovery code: its sha256, case and separators ignored. */
export const recoveryCodeHash = (code: string) => crypto.createHash('sha256').update(code.replace(/[^a-z0-9]/gi, '').toLowerCase()).digest('hex');

/** Ten single-use recovery codes, shown once; only their hashes are kept. */
export function newRecoveryCodes(): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: 10 }, () => {
    const raw = crypto.randomBytes(5).toString('hex');
    return `${raw.slice(0, 5)}-${raw.slice(5)}`;
  });
  return { codes, hashes: codes.map(recoveryCodeHash) };
}
