import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Role } from './permissions.js';
import { needsSecondFactor } from './totp.js';
import type { SessionUser } from './session-user.js';

type Db = Kysely<Database>;

export const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');

export function findUserForLogin(db: Db, username: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'username', 'password_hash', 'active'])
    .where('username', '=', username)
    .executeTakeFirst();
}

export async function createSession(
  db: Db,
  props: { userId: number; ip: string | null; userAgent: string | null; absoluteHours: number },
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const token = crypto.randomBytes(32).toString('base64url');
  const csrfToken = crypto.randomBytes(24).toString('base64url');
  const expiresAt = new Date(Date.now() + props.absoluteHours * 3600_000);
  await db
    .insertInto('user_session')
    .values({
      id: sha256(token),
      user_id: props.userId,
      csrf_token: csrfToken,
      expires_at: expiresAt,
      ip: props.ip,
      user_agent: props.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/** The session's user, or null when the session is unknown, expired, idle too long or the account is disabled. */
export async function sessionUser(db: Db, token: string, idleMinutes: number): Promise<SessionUser | null> {
  const id = sha256(token);
  const row = await db
    .selectFrom('user_session as s')
    .innerJoin('app_user as u', 'u.id', 's.user_id')
    .innerJoin('jurisdiction as j', 'j.code', 'u.jurisdiction_code')
    .select([
      's.id as sessionId',
      's.csrf_token',
      's.expires_at',
      's.last_seen_at',
      'u.id',
      'u.username',
      'u.display_name',
      'u.roles',
      'u.jurisdiction_code',
      'u.department_id',
      'u.active',
      'u.must_change_password',
      'u.totp_enabled',
      'u.clearance',
      'j.path',
      'j.level',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!row || !row.active) return null;
  const now = Date.now();
  if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + idleMinutes * 60_000 <= now) {
    await db.deleteFrom('user_session').where('id', '=', id).execute();
    return null;
  }
  if (now - row.last_seen_at.getTime() > 60_000) {
    await db.updateTable('user_session').set({ last_seen_at: new Date() }).where('id', '=', id).execute();
  }
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    roles: row.roles as Role[],
    jurisdictionCode: row.jurisdiction_code,
    jurisdictionPath: row.path,
    jurisdictionLevel: row.level,
    departmentId: row.department_id,
    clearance: row.clearance,
    sessionId: row.sessionId,
    csrfToken: row.csrf_token,
    mustChangePassword: row.must_change_password,
    needsTotpEnrolment: needsSecondFactor(row.roles) && !row.totp_enabled,
    totpEnabled: row.totp_enabled,
  };
}

export async function deleteSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

export async function deleteUserSessions(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}
