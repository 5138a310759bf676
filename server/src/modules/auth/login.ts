import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { recordAudit } from '../audit/repository.js';
import { passwordExpired } from './password-policy.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { needsSecondFactor, useRecoveryCode, verifyTotp } from './totp.js';

const wrong = () => new AppError(401, 'invalid_credentials', { zh: '用户名或密码错误', en: 'Wrong username or password' }, 'password');

/**
 * Checks a sign-in: password, lockout after repeated failures (per account, demo accounts too), the second
 * factor for privileged roles (a TOTP code, or a single-use recovery code), and password expiry under the
 * level-3 profile. Returns the user id to open a session for.
 */
export async function attemptLogin(
  db: Kysely<Database>,
  config: Config,
  p: { username: string; password: string; totp?: string | undefined; ip: string; now?: Date },
): Promise<{ userId: number }> {
  const now = p.now ?? new Date();
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'active', 'roles', 'failed_logins', 'locked_until', 'password_changed_at', 'totp_enabled', 'totp_secret', 'totp_last_step', 'recovery_codes', 'is_demo'])
    .where('username', '=', p.username)
    .executeTakeFirst();
  const audit = (action: string, detail: Record<string, unknown> = {}) =>
    recordAudit(db, { actorId: user?.id ?? null, action, entity: 'user', entityId: user ? String(user.id) : p.username, detail, ip: p.ip });

  if (!user) {
    await verifyPassword(await dummyHash(), p.password);
    await audit('auth.login_failed', { reason: 'unknown_user' });
    throw wrong();
  }
  if (user.locked_until && user.locked_until > now) {
    const minutes = Math.ceil((user.locked_until.getTime() - now.getTime()) / 60_000);
    await audit('auth.login_refused', { reason: 'locked' });
    throw new AppError(423, 'account_locked', { zh: `连续登录失败次数过多，账号已锁定，请 ${minutes} 分钟后再试`, en: `Too many failed sign-ins; the account is locked for ${minutes} more minute(s)` }, 'username');
  }
  const fail = async (reason: string, error: AppError) => {
    const failures = user.failed_logins + 1;
    const lock = failures >= config.lockoutThreshold;
    await db
      .updateTable('app_user')
      .set({ failed_logins: lock ? 0 : failures, locked_until: lock ? new Date(now.getTime() + config.lockoutMinutes * 60_000) : user.locked_until })
      .where('id', '=', user.id)
      .execute();
    await audit(lock ? 'auth.locked' : 'auth.login_failed', { reason, failures });
    throw error;
  };
  if (!(await verifyPassword(user.password_hash, p.password)) || !user.active) await fail('password', wrong());

  if (needsSecondFactor(user.roles) && user.totp_enabled && user.totp_secret) {
    if (!p.totp) {
      throw new AppError(401, 'totp_required', { zh: '请输入动态验证码（或恢复码）', en: 'Enter your authenticator code (or a recovery code)' }, 'totp');
    }
    const step = verifyTotp(user.totp_secret, p.totp.trim(), now.getTime());
    if (step !== null && (user.totp_last_step === null || step > user.totp_last_step)) {
      await db.updateTable('app_user').set({ totp_last_step: step }).where('id', '=', user.id).execute();
    } else {
      const remaining = useRecoveryCode(user.recovery_codes, p.totp);
      if (!remaining) await fail('totp', new AppError(401, 'invalid_totp', { zh: '动态验证码错误或已使用', en: 'Wrong or already used authenticator code' }, 'totp'));
      await db.updateTable('app_user').set({ recovery_codes: JSON.stringify(remaining) }).where('id', '=', user.id).execute();
      await audit('auth.recovery_code_used', { left: remaining!.length });
    }
  }
  const expired = !user.is_demo && passwordExpired(user.password_changed_at, config.passwordProfile, now);
  await db
    .updateTable('app_user')
    .set({ failed_logins: 0, locked_until: null, ...(expired ? { must_change_password: true } : {}) })
    .where('id', '=', user.id)
    .execute();
  await audit('auth.login', expired ? { passwordExpired: true } : {});
  return { userId: user.id };
}
