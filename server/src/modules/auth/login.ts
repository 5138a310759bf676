import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import { recordAudit } from '../audit/repository.js';
import { beginAttempt, clearAttempts, consumeSecondFactor, invalidTotp, lockedError, lockedUntil, takeBackAttempt } from './credentials.js';
import { passwordExpired } from './password-policy.js';
import { dummyHash, verifyPassword } from './passwords.js';

const wrong = () => new AppError(401, 'invalid_credentials', { zh: '用户名或密码错误', en: 'Wrong username or password' }, 'password');

/**
 * Checks a sign-in: lockout after repeated failures (per account, demo accounts too; every attempt is counted
 * before its password is checked, so parallel attempts cannot outrun it), the password, the second factor of an
 * enrolled account (a TOTP code, or a single-use recovery code, each accepted once), and password expiry under the
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
    .select(['id', 'password_hash', 'active', 'password_changed_at', 'totp_enabled', 'totp_secret', 'is_demo'])
    .where('username', '=', p.username)
    .executeTakeFirst();
  const audit = (action: string, detail: Record<string, unknown> = {}) =>
    recordAudit(db, { actorId: user?.id ?? null, action, entity: 'user', entityId: user ? String(user.id) : p.username, detail, ip: p.ip });

  if (!user) {
    await verifyPassword(await dummyHash(), p.password);
    await audit('auth.login_failed', { reason: 'unknown_user' });
    throw wrong();
  }
  const attempt = await beginAttempt(db, config, user.id, now);
  if (attempt === null) {
    await audit('auth.login_refused', { reason: 'locked' });
    throw lockedError(await lockedUntil(db, user.id), now);
  }
  const fail = async (reason: string, error: AppError): Promise<never> => {
    const locks = config.lockoutThreshold > 0 && attempt >= config.lockoutThreshold;
    await audit(locks ? 'auth.locked' : 'auth.login_failed', { reason, failures: attempt });
    throw error;
  };
  if (!(await verifyPassword(user.password_hash, p.password)) || !user.active) await fail('password', wrong());

  if (user.totp_enabled && user.totp_secret) {
    if (!p.totp) {
      // not a failure: the password was right and the form asks for the code next
      await takeBackAttempt(db, config, user.id, attempt);
      throw new AppError(401, 'totp_required', { zh: '请输入动态验证码（或恢复码）', en: 'Enter your authenticator code (or a recovery code)' }, 'totp');
    }
    const factor = await consumeSecondFactor(db, user.id, user.totp_secret, p.totp, now);
    if (!factor) await fail('totp', invalidTotp());
    if (factor?.kind === 'recovery') await audit('auth.recovery_code_used', { left: factor.left });
  }
  const expired = !user.is_demo && passwordExpired(user.password_changed_at, config.passwordProfile, now);
  await clearAttempts(db, user.id, expired ? { must_change_password: true } : {});
  await audit('auth.login', expired ? { passwordExpired: true } : {});
  return { userId: user.id };
}
