import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Role } from './permissions.js';

/** An account's roles and place, for modules that keep a record per account (a grid worker's profile). */
export async function findAccount(db: Kysely<Database>, id: number): Promise<{ id: number; roles: Role[]; jurisdictionCode: string } | undefined> {
  const row = await db.selectFrom('app_user').select(['id', 'roles', 'jurisdiction_code']).where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, roles: row.roles as Role[], jurisdictionCode: row.jurisdiction_code };
}

/** Active accounts among `ids`, and the active accounts of a place holding one of `roles` (who a notice tells). */
export async function activeAccounts(db: Kysely<Database>, who: { ids: readonly number[]; jurisdictionCode: string; roles: readonly Role[] }): Promise<number[]> {
  const rows = await db
    .selectFrom('app_user')
    .select('id')
    .where('active', '=', true)
    .where((eb) =>
      eb.or([
        ...(who.ids.length ? [eb('id', 'in', [...who.ids])] : []),
        eb.and([eb('jurisdiction_code', '=', who.jurisdictionCode), eb.or(who.roles.map((r) => sql<boolean>`${r} = ANY(roles)`))]),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** The active accounts of a department (its handlers). */
export async function accountsOfDepartment(db: Kysely<Database>, departmentId: number): Promise<number[]> {
  const rows = await db.selectFrom('app_user').select('id').where('department_id', '=', departmentId).where('active', '=', true).execute();
  return rows.map((r) => r.id);
}

/** Every active account with what decides what it may see: place, roles, department, clearance (a routing cache's source). */
export function activeStaff(db: Kysely<Database>) {
  return db.selectFrom('app_user').select(['id', 'jurisdiction_code', 'clearance', 'roles', 'department_id']).where('active', '=', true).orderBy('id').execute();
}

/** An account by sign-in name, with its roles (a mediator's record names the account it belongs to). */
export function findAccountByUsername(db: Kysely<Database>, username: string) {
  return db.selectFrom('app_user').select(['id', 'roles']).where('username', '=', username).executeTakeFirst();
}
