import type { Text } from '../../http/errors.js';

/*
 * The three separated duties (三员分立), decided in one place for every account operation, whoever calls it:
 * - the system administrator manages accounts (create, enable or disable, unlock, reset a password, name,
 *   jurisdiction, department) but gives no role: an account it creates has none until the security administrator
 *   grants one, and it cannot touch the security administrator's or the auditor's account, nor its own;
 * - the security administrator grants roles and clearances (never to itself) and manages nothing else;
 * - the auditor reads the audit log and nothing else (permissions.ts gives it `audit:read` only).
 * No account holds two of the three (users.ts `checkRoles`).
 */

export const DUTY_ROLES = ['system_admin', 'security_admin', 'auditor'] as const;
/** Accounts the system administrator may not manage: the duties that watch it. */
const GUARDED_ROLES: readonly string[] = ['security_admin', 'auditor'];

export type AccountOperation = 'create' | 'change' | 'password_reset' | 'roles' | 'clearance';

export interface DutyRefusal {
  /** why, for the audit entry */
  reason: 'not_system_admin' | 'not_security_admin' | 'roles_by_security_admin' | 'own_account' | 'guarded_account';
  field: string;
  text: Text;
}

const MANAGER: Record<AccountOperation, 'system_admin' | 'security_admin'> = {
  create: 'system_admin',
  change: 'system_admin',
  password_reset: 'system_admin',
  roles: 'security_admin',
  clearance: 'security_admin',
};

/**
 * Whether `actor` may perform `operation` on `target` (null when creating). `roles` is what a creation asks to
 * give. Null when allowed, else the refusal to report and audit.
 */
export function decideAccountOperation(
  actor: { id: number; roles: readonly string[] },
  operation: AccountOperation,
  target: { id: number; roles: readonly string[] } | null,
  roles: readonly string[] = [],
): DutyRefusal | null {
  const manager = MANAGER[operation];
  if (!actor.roles.includes(manager)) {
    return manager === 'system_admin'
      ? { reason: 'not_system_admin', field: 'roles', text: { zh: '只有系统管理员管理账号', en: 'Only the system administrator manages accounts' } }
      : { reason: 'not_security_admin', field: 'roles', text: { zh: '只有安全管理员授予角色和许可级别', en: 'Only the security administrator grants roles and clearances' } };
  }
  if (operation === 'create' && roles.length > 0) {
    return {
      reason: 'roles_by_security_admin',
      field: 'roles',
      text: { zh: '三员分立：系统管理员新建的账号不带角色，角色由安全管理员授予', en: 'Separated duties: an account the system administrator creates has no role; the security administrator grants roles' },
    };
  }
  if (target && target.id === actor.id) {
    return manager === 'system_admin'
      ? { reason: 'own_account', field: 'id', text: { zh: '不能在账号管理中修改自己的账号，请在“我的账号”中修改密码', en: 'You cannot manage your own account here; change your password on your account page' } }
      : { reason: 'own_account', field: 'id', text: { zh: '不能给自己授予角色或许可级别', en: 'You cannot grant roles or clearances to yourself' } };
  }
  if (target && manager === 'system_admin' && target.roles.some((r) => GUARDED_ROLES.includes(r))) {
    return {
      reason: 'guarded_account',
      field: 'id',
      text: { zh: '三员分立：系统管理员不能停用、重置或修改安全管理员和审计员的账号', en: 'Separated duties: the system administrator cannot disable, reset or change the security administrator or the auditor' },
    };
  }
  return null;
}
