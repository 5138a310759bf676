import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../db/schema.js';
import { AppError, badRequest, conflict, notFound } from '../../http/errors.js';
import { recordAudit } from '../audit/repository.js';
import { findInScope } from '../jurisdictions/repository.js';
import { scopePattern } from '../jurisdictions/scope.js';
import type { SecurityLabel } from '../privacy/labels.js';
import { type AccountOperation, decideAccountOperation, DUTY_ROLES, type DutyRefusal } from './duties.js';
import { checkPassword } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { ROLES, type Role } from './permissions.js';

type Db = Kysely<Database>;

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

export { DUTY_ROLES };

/** Roles are known ones; the three separated duties (三员分立) are held alone. No role at all is allowed. */
export function checkRoles(roles: readonly string[]): void {
  for (const r of roles) if (!(ROLES as readonly string[]).includes(r)) throw badRequest('roles', `未知角色 ${r}`, `Unknown role ${r}`);
  const duties = roles.filter((r) => (DUTY_ROLES as readonly string[]).includes(r));
  if (duties.length > 0 && roles.length > 1) {
    throw badRequest('roles', '系统管理员、安全管理员、审计员三员分立，不能与其他角色兼任', 'System admin, security admin and auditor are separated duties and cannot hold other roles');
  }
}

async function checkDepartment(db: Db, departmentId: number | null | undefined): Promise<void> {
  if (departmentId == null) return;
  if (!(await db.selectFrom('department').select('id').where('id', '=', departmentId).executeTakeFirst())) {
    throw badRequest('departmentId', `部门 ${departmentId} 不存在`, `Department ${departmentId} does not exist`, 'unknown_department');
  }
}

const handlerNeedsDepartment = () => badRequest('departmentId', '部门承办人必须属于一个部门', 'A department handler needs a department');

/** Inserts an account as given: for the demo seed and the operator's command line. People go through `createAccount`. */
export async function createUser(db: Db, u: NewUser): Promise<number> {
  checkRoles(u.roles);
  if (u.roles.includes('handler') && !u.departmentId) throw handlerNeedsDepartment();
  const j = await db.selectFrom('jurisdiction').select('code').where('code', '=', u.jurisdictionCode).executeTakeFirst();
  if (!j) throw badRequest('jurisdictionCode', `辖区 ${u.jurisdictionCode} 不存在`, `Jurisdiction ${u.jurisdictionCode} does not exist`, 'unknown_code');
  await checkDepartment(db, u.departmentId);
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

/** Who performs an account operation: the signed-in user (SessionUser fits). */
export interface Actor {
  id: number;
  roles: readonly string[];
  /** the actor's jurisdiction path: accounts outside it are not found */
  jurisdictionPath: string;
}

const REFUSED_ACTION: Record<AccountOperation, string> = {
  create: 'user.create_refused',
  change: 'user.change_refused',
  password_reset: 'user.password_reset_refused',
  roles: 'user.roles_refused',
  clearance: 'user.clearance_refused',
};

/** Records a refused account operation (result `denied`), outside any transaction, then throws the refusal. */
async function refuse(db: Db, actor: Actor, operation: AccountOperation, entityId: string | null, detail: Record<string, unknown>, ip: string | null, error: AppError): Promise<never> {
  await recordAudit(db, { actorId: actor.id, action: REFUSED_ACTION[operation], entity: 'user', entityId, detail: { reason: detail.reason ?? error.code, ...detail }, ip });
  throw error;
}

const dutyError = (r: DutyRefusal) => new AppError(403, 'duty_separation', r.text, r.field);

interface Target {
  id: number;
  username: string;
  roles: string[];
  department_id: number | null;
}

/** The account, if inside the actor's jurisdiction; refusal (audited) otherwise, then the duties' decision. */
async function targetFor(db: Db, actor: Actor, operation: AccountOperation, id: number, detail: Record<string, unknown>, ip: string | null): Promise<Target> {
  const target = await db
    .selectFrom('app_user')
    .innerJoin('jurisdiction as j', 'j.code', 'app_user.jurisdiction_code')
    .select(['app_user.id', 'app_user.username', 'app_user.roles', 'app_user.department_id'])
    .where('app_user.id', '=', id)
    .where('j.path', 'like', scopePattern(actor))
    .executeTakeFirst();
  if (!target) {
    await refuse(db, actor, operation, String(id), { reason: 'out_of_scope', ...detail }, ip, notFound('账号不存在或不在您的管辖范围内', 'Account not found or outside your scope'));
  }
  const refusal = decideAccountOperation(actor, operation, target!);
  if (refusal) await refuse(db, actor, operation, String(id), { reason: refusal.reason, username: target!.username, ...detail }, ip, dutyError(refusal));
  return target!;
}

async function jurisdictionInScope(db: Db, actor: Actor, code: string): Promise<void> {
  if (!(await findInScope(db, code, actor))) {
    throw badRequest('jurisdictionCode', `辖区 ${code} 不存在或不在您的管辖范围内`, `Jurisdiction ${code} does not exist or is outside your scope`, 'unknown_code');
  }
}

/**
 * The system administrator creates an account without any role (the security administrator grants them); the
 * initial password must be changed at the first sign-in. Asking for roles is refused and audited.
 */
export async function createAccount(
  db: Db,
  config: Config,
  actor: Actor,
  input: { username: string; displayName: string; password: string; jurisdictionCode: string; departmentId?: number | null | undefined; roles?: readonly string[] | undefined },
  ip: string | null,
): Promise<number> {
  const roles = input.roles ?? [];
  const refusal = decideAccountOperation(actor, 'create', null, roles);
  if (refusal) await refuse(db, actor, 'create', null, { reason: refusal.reason, username: input.username, roles }, ip, dutyError(refusal));
  const problem = checkPassword(input.password, { username: input.username, profile: config.passwordProfile });
  if (problem) throw badRequest('password', problem.zh, problem.en, problem.code);
  await jurisdictionInScope(db, actor, input.jurisdictionCode);
  return db.transaction().execute(async (trx) => {
    const id = await createUser(trx, { ...input, roles: [], mustChangePassword: true });
    await recordAudit(trx, { actorId: actor.id, action: 'user.create', entity: 'user', entityId: String(id), detail: { username: input.username, roles: [], jurisdictionCode: input.jurisdictionCode }, ip });
    return id;
  });
}

export interface AccountChange {
  active?: boolean | undefined;
  unlock?: true | undefined;
  displayName?: string | undefined;
  jurisdictionCode?: string | undefined;
  departmentId?: number | null | undefined;
}

/** The system administrator enables, disables, unlocks, renames or moves an account (not its own, not a guarded duty's). */
export async function changeAccount(db: Db, actor: Actor, id: number, change: AccountChange, ip: string | null): Promise<void> {
  const target = await targetFor(db, actor, 'change', id, { change }, ip);
  if (change.jurisdictionCode !== undefined) await jurisdictionInScope(db, actor, change.jurisdictionCode);
  await checkDepartment(db, change.departmentId);
  if (change.departmentId === null && target.roles.includes('handler')) throw handlerNeedsDepartment();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({
        ...(change.active !== undefined ? { active: change.active } : {}),
        ...(change.displayName !== undefined ? { display_name: change.displayName } : {}),
        ...(change.jurisdictionCode !== undefined ? { jurisdiction_code: change.jurisdictionCode } : {}),
        ...(change.departmentId !== undefined ? { department_id: change.departmentId } : {}),
        ...(change.unlock ? { failed_logins: 0, locked_until: null } : {}),
        updated_at: new Date(),
      })
      .where('id', '=', target.id)
      .execute();
    if (change.active === false) await trx.deleteFrom('user_session').where('user_id', '=', target.id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'user.change', entity: 'user', entityId: String(target.id), detail: { ...change }, ip });
  });
}

/** Gives an account a new temporary password, to be changed at its next sign-in, and ends its sessions (pass the transaction). */
export async function issueTemporaryPassword(db: Db, userId: number): Promise<string> {
  // four character classes, 16 characters: passes either password profile
  const temporaryPassword = `Zh-${crypto.randomBytes(9).toString('base64url')}7a`;
  await db
    .updateTable('app_user')
    .set({ password_hash: await hashPassword(temporaryPassword), must_change_password: true, failed_logins: 0, locked_until: null, updated_at: new Date() })
    .where('id', '=', userId)
    .execute();
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
  return temporaryPassword;
}

/** The system administrator resets an account's password (not its own, not a guarded duty's). */
export async function resetAccountPassword(db: Db, actor: Actor, id: number, ip: string | null): Promise<string> {
  const target = await targetFor(db, actor, 'password_reset', id, {}, ip);
  return db.transaction().execute(async (trx) => {
    const temporaryPassword = await issueTemporaryPassword(trx, target.id);
    await recordAudit(trx, { actorId: actor.id, action: 'user.password_reset', entity: 'user', entityId: String(target.id), detail: { username: target.username }, ip });
    return temporaryPassword;
  });
}

/** The security administrator sets an account's roles (none revokes all); one duty alone; its sessions end. */
export async function setAccountRoles(db: Db, actor: Actor, id: number, roles: readonly Role[], reason: string, ip: string | null): Promise<void> {
  const target = await targetFor(db, actor, 'roles', id, { roles, reason }, ip);
  try {
    checkRoles(roles);
  } catch (err) {
    if (err instanceof AppError) await refuse(db, actor, 'roles', String(id), { reason: 'combined_duties', username: target.username, roles }, ip, err);
    throw err;
  }
  if (roles.includes('handler') && !target.department_id) throw handlerNeedsDepartment();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ roles: [...roles], updated_at: new Date() }).where('id', '=', target.id).execute();
    await trx.deleteFrom('user_session').where('user_id', '=', target.id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'user.roles_changed', entity: 'user', entityId: String(target.id), detail: { username: target.username, from: target.roles, to: roles, reason }, ip });
  });
}

/** The security administrator sets the highest label an account may read; audited as a permission change. */
export async function setAccountClearance(db: Db, actor: Actor, id: number, clearance: SecurityLabel, reason: string, ip: string | null): Promise<SecurityLabel> {
  const target = await targetFor(db, actor, 'clearance', id, { clearance, reason }, ip);
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('app_user').select('clearance').where('id', '=', target.id).forUpdate().executeTakeFirstOrThrow();
    await trx.updateTable('app_user').set({ clearance, updated_at: new Date() }).where('id', '=', target.id).execute();
    await recordAudit(trx, { actorId: actor.id, action: 'user.clearance_changed', entity: 'user', entityId: String(target.id), detail: { username: target.username, from: row.clearance, to: clearance, reason }, ip });
    return row.clearance;
  });
}
