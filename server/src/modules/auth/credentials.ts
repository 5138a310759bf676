import { type Kysely, sql } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { AppError, badRequest } from '../../http/errors.js';
import { recordAudit } from '../audit/repository.js';
import { verifyPassword } from './passwords.js';
import { recoveryCodeHash, verifyTotp } from './totp.js';

/*
 * The checks a password or a one-time code goes through, each a single conditional statement, so that requests
 * arriving together cannot each read the same state and act on it (sign-in and re-authentication both use them).
 */

type Db = Kysely<Database>;

export const lockedError = (lockedUntil: Date, now: Date, field = 'username') => {
  const minutes = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 60_000));
  return new AppError(423, 'account_locked', { zh: `连续登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`, en: `Too many failed sign-ins; the account is locked for ${minutes} more minute(s)` }, field);
};

export const invalidTotp = () => new AppError(401, 'invalid_totp', { zh: '动态验证码错误或已使用', en: 'Wrong or already used authenticator code' }, 'totp');

/**
 * Counts an attempt before its password is checked, as a failure until it succeeds: one UPDATE that also locks the
 * account when the count reaches the threshold, and only when the account is not locked. However many attempts
 * arrive at once, at most `lockoutThreshold` of them are checked per lockout period. A lock that has run out starts
 * the count again. Answers the attempt's number, or null when the account is locked (`lockoutThreshold` 0: never).
 */
export async function beginAttempt(db: Db, config: Config, userId: number, now: Date): Promise<number | null> {
  const threshold = config.lockoutThreshold;
  const until = new Date(now.getTime() + config.lockoutMinutes * 60_000);
  const previous = sql<number>`(CASE WHEN locked_until IS NULL THEN failed_logins ELSE 0 END)`;
  const { rows } = await sql<{ failed_logins: number }>`
    UPDATE app_user
    SET failed_logins = ${previous} + 1,
        locked_until = CASE WHEN ${threshold}::integer > 0 AND ${previous} + 1 >= ${threshold}::integer THEN ${until}::timestamptz ELSE NULL END
    WHERE id = ${userId} AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)
    RETURNING failed_logins`.execute(db);
  return rows[0]?.failed_logins ?? null;
}

/** The attempt succeeded: the count and any lock it set are cleared. */
export async function clearAttempts(db: Db, userId: number, extra: { must_change_password?: boolean } = {}): Promise<void> {
  await db.updateTable('app_user').set({ failed_logins: 0, locked_until: null, ...extra }).where('id', '=', userId).execute();
}

/**
 * Takes back an attempt that was neither a failure nor a success (the right password, the code still to come),
 * and the lock it set if it was the one reaching the threshold (while locked, no later attempt was counted).
 */
export async function takeBackAttempt(db: Db, config: Config, userId: number, attempt: number): Promise<void> {
  await sql`
    UPDATE app_user
    SET failed_logins = GREATEST(failed_logins - 1, 0),
        locked_until = CASE WHEN failed_logins = ${attempt}::integer AND ${attempt}::integer >= ${config.lockoutThreshold}::integer THEN NULL ELSE locked_until END
    WHERE id = ${userId}`.execute(db);
}

export async function lockedUntil(db: Db, userId: number): Promise<Date> {
  const row = await db.selectFrom('app_user').select('locked_until').where('id', '=', userId).executeTakeFirstOrThrow();
  return row.locked_until ?? new Date();
}

export type SecondFactor = { kind: 'totp' } | { kind: 'recovery'; left: number };

/**
 * Accepts an authenticator code for a time step later than the last accepted one, or an unused recovery code, and
 * marks it used in the same statement: of several requests with one code, one wins. Null when the code is wrong or
 * was already used.
 */
export async function consumeSecondFactor(db: Db, userId: number, secret: string, code: string, now: Date): Promise<SecondFactor | null> {
  const given = code.trim();
  if (/^\d{6}$/.test(given)) {
    const step = verifyTotp(secret, given, now.getTime());
    if (step === null) return null;
    const used = await db
      .updateTable('app_user')
      .set({ totp_last_step: step })
      .where('id', '=', userId)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .returning('id')
      .executeTakeFirst();
    return used ? { kind: 'totp' } : null;
  }
  const hash = recoveryCodeHash(given);
  const { rows } = await sql<{ left: number }>`
    UPDATE app_user SET recovery_codes = recovery_codes - ${hash}::text
    WHERE id = ${userId} AND recovery_codes @> jsonb_build_array(${hash}::text)
    RETURNING jsonb_array_length(recovery_codes) AS left`.execute(db);
  return rows[0] ? { kind: 'recovery', left: Number(rows[0].left) } : null;
}

/** What a security change asks for again: the current password and, where enrolled, a current code. */
export interface Reauthentication {
  currentPassword: string;
  /** an authenticator code, or a recovery code */
  code?: string | undefined;
}

/**
 * Re-authentication for a security change (`purpose`, e.g. `totp_replace`): the current password and, when a second
 * factor is enrolled, a current code (consumed like at sign-in). Counted and locked like sign-in attempts, so a
 * stolen session cannot guess the password; each failure is audited (`auth.reauth_failed`).
 */
export async function reauthenticate(
  db: Db,
  config: Config,
  p: { userId: number; purpose: string; ip: string | null; now?: Date; /** false: the password alone (the code was asked for at an earlier step) */ secondFactor?: boolean } & Reauthentication,
): Promise<void> {
  const now = p.now ?? new Date();
  const user = await db.selectFrom('app_user').select(['password_hash', 'totp_enabled', 'totp_secret']).where('id', '=', p.userId).executeTakeFirstOrThrow();
  const audit = (action: string, detail: Record<string, unknown>) => recordAudit(db, { actorId: p.userId, action, entity: 'user', entityId: String(p.userId), detail: { for: p.purpose, ...detail }, ip: p.ip });
  const attempt = await beginAttempt(db, config, p.userId, now);
  if (attempt === null) {
    await audit('auth.reauth_refused', { reason: 'locked' });
    throw lockedError(await lockedUntil(db, p.userId), now, 'currentPassword');
  }
  const fail = async (reason: string, error: AppError): Promise<never> => {
    const locks = config.lockoutThreshold > 0 && attempt >= config.lockoutThreshold;
    await audit(locks ? 'auth.locked' : 'auth.reauth_failed', { reason, failures: attempt });
    throw error;
  };
  if (!(await verifyPassword(user.password_hash, p.currentPassword))) await fail('password', badRequest('currentPassword', '当前密码不正确', 'The current password is wrong', 'invalid_credentials'));
  if (p.secondFactor !== false && user.totp_enabled && user.totp_secret) {
    if (!p.code) {
      await takeBackAttempt(db, config, p.userId, attempt);
      throw badRequest('code', '请输入当前的动态验证码（或一个恢复码）', 'Enter a current authenticator code (or a recovery code)', 'totp_required');
    }
    const factor = await consumeSecondFactor(db, p.userId, user.totp_secret, p.code, now);
    if (!factor) await fail('totp', badRequest('code', '动态验证码错误或已使用', 'Wrong or already used authenticator code', 'invalid_totp'));
    if (factor?.kind === 'recovery') await audit('auth.recovery_code_used', { left: factor.left });
  }
  await clearAttempts(db, p.userId);
}
