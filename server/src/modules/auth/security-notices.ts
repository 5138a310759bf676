import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { localDateTime } from '../calendar/index.js';
import { notify } from '../notifications/index.js';

/** Changes to an account's own security that its owner is told about through the inbox (and that are audited as `auth.<change>`). */
export type SecurityChange = 'password_changed' | 'totp_enabled' | 'totp_replaced' | 'totp_removed' | 'recovery_codes_generated' | 'logout_all';

const WHAT: Record<SecurityChange, string> = {
  password_changed: '登录密码已修改 / Your password was changed',
  totp_enabled: '已绑定动态验证码 / An authenticator was enrolled',
  totp_replaced: '动态验证码已更换，原验证器不再可用 / Your authenticator was replaced; the old one no longer works',
  totp_removed: '动态验证码已解除 / Your authenticator was removed',
  recovery_codes_generated: '已重新生成恢复码，原恢复码作废 / New recovery codes; the old ones no longer work',
  logout_all: '已退出所有设备 / You were signed out everywhere',
};

/** Puts the notice into the owner's inbox (pass the change's transaction). */
export async function notifySecurityChange(db: Kysely<Database>, userId: number, change: SecurityChange, ip: string | null): Promise<void> {
  const at = localDateTime(new Date());
  await notify(db, {
    audience: [userId],
    about: null,
    kind: `security.${change}`,
    title: WHAT[change],
    body: `${at}，来自 ${ip ?? '未知地址'}。如非本人操作，请立即联系安全管理员。/ At ${at} from ${ip ?? 'an unknown address'}. If this was not you, tell the security administrator at once.`,
  });
}
