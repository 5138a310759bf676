import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { badRequest, conflict } from '../../http/errors.js';
import { hashPassword } from './passwords.js';
import { ROLES, type Role } from './permissions.js';

export interface NewUser {
  username: string;
  displayName: string;
  password: string;
  roles: Role[];
  jurisdictionCode: string;
  departmentId?: number | null;
  mustChangePassword?: boolean;
  isDemo?: boolean;
}

/** The three separated duties (三员分立) cannot be combined with each other or with business roles. */
export const DUTY_ROLES: readonly Role[] = ['system_admin', 'security_admin', 'auditor'];

export function checkRoles(roles: readonly string[]): void {
  if (roles.length === 0) throw badRequest('roles', '至少需要一个角色', 'At least one role is needed');
  for (const r of roles) if (!(ROLES as readonly string[]).includes(r)) throw badRequest('roles', `未知角色 ${r}`, `Unknown role ${r}`);
  const duties = roles.filter((r) => r === 'system_admin' || r === 'security_admin' || r === 'auditor');
  if (duties.length > 0 && roles.length > 1) {
    throw badRequest('roles', '系统管理员、安全管理员、审计员三员分立，不能与其他角色兼任', 'System admin, security admin and auditor are separated duties and cannot hold other roles');
  }
}

export async function createUser(db: Kysely<Database>, u: NewUser): Promise<number> {
  checkRoles(u.roles);
  if (u.roles.includes('handler') && !u.departmentId) throw badRequest('departmentId', '部门承办人必须属于一个部门', 'A department handler needs a department');
  const j = await db.selectFrom('jurisdiction').select('code').where('code', '=', u.jurisdictionCode).executeTakeFirst();
  if (!j) throw badRequest('jurisdictionCode', `辖区 ${u.jurisdictionCode} 不存在`, `Jurisdiction ${u.jurisdictionCode} does not exist`, 'unknown_code');
  if (await db.selectFrom('app_user').select('id').where('username', '=', u.username).executeTakeFirst()) {
    throw conflict('username', `用户名 ${u.username} 已存在`, `Username ${u.username} is taken`);
  }
  const { id } = await db
    .insertInto('app_user')
    .values({
      username: u.username,
      display_name: u.displayName,
      password_hash: await hashPassword(u.password),
      roles: u.roles,
      jurisdiction_code: u.jurisdictionCode,
      department_id: u.departmentId ?? null,
      must_change_password: u.mustChangePassword ?? false,
      is_demo: u.isDemo ?? false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}
