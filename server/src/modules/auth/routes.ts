import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import { AppError, badRequest } from '../../http/errors.js';
import { errorResponses, Ok } from '../../http/schemas.js';
import { recordAudit } from '../audit/repository.js';
import { reauthenticate, type Reauthentication } from './credentials.js';
import { attemptLogin } from './login.js';
import { checkPassword } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { abilities, ROLES } from './permissions.js';
import { currentUser, SESSION_COOKIE } from './plugin.js';
import { createSession, deleteSession, sessionUser } from './repository.js';
import { notifySecurityChange, type SecurityChange } from './security-notices.js';
import type { SessionUser } from './session-user.js';
import { needsSecondFactor, newRecoveryCodes, newTotpSecret, otpauthUri, qrDataUrl, verifyTotp } from './totp.js';

export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r)))),
  jurisdictionCode: Type.String(),
  jurisdictionLevel: Type.String(),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
  needsTotpEnrolment: Type.Boolean(),
  totpEnabled: Type.Boolean({ description: 'a second factor is enrolled: security changes ask for a current code' }),
  secondFactorRequired: Type.Boolean({ description: 'the role must keep a second factor (it may replace it, not remove it)' }),
  abilities: Type.Array(Type.String(), { description: 'policy actions this user may perform' }),
});

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  totp: Type.Optional(Type.String({ minLength: 6, maxLength: 20, description: '动态验证码或恢复码 / authenticator or recovery code' })),
});

const meOf = (user: SessionUser) => ({ ...user, abilities: abilities(user.roles), secondFactorRequired: needsSecondFactor(user.roles) });

export async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError(429, 'rate_limited', { zh: `登录尝试过于频繁，请 ${Math.ceil(context.ttl / 1000)} 秒后再试`, en: `Too many sign-in attempts; retry in ${Math.ceil(context.ttl / 1000)} s` }),
  });

  app.post(
    '/api/auth/login',
    {
      config: { auth: 'public', rateLimit: { max: config.loginRateLimit, timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: '登录 / Sign in',
        description: 'Privileged roles (admins, auditor, leader) also send `totp`; without it the answer is 401 `totp_required`. Five failures lock the account for 15 minutes.',
        body: LoginBody,
        response: { 200: Type.Object({ user: Me, csrfToken: Type.String(), expiresAt: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { userId } = await attemptLogin(db, config, { ...request.body, ip: request.ip });
      const session = await createSession(db, { userId, ip: request.ip, userAgent: request.headers['user-agent'] ?? null, absoluteHours: config.sessionAbsoluteHours });
      // a session cookie ends with the browser unless the deployment asks otherwise; the server ends it anyway at expiresAt
      reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/', ...(config.sessionPersist ? { expires: session.expiresAt } : {}) });
      const user = (await sessionUser(db, session.token, config.sessionIdleMinutes))!;
      return { user: meOf(user), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { auth: 'signed-in', beforeFullAccess: true }, schema: { tags: ['auth'], summary: '退出 / Sign out', response: { 200: Ok, ...errorResponses } } },
    async (request, reply) => {
      const user = currentUser(request);
      await deleteSession(db, user.sessionId);
      await recordAudit(db, { actorId: user.id, action: 'auth.logout', entity: 'user', entityId: String(user.id), ip: request.ip });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me',
    {
      config: { auth: 'signed-in', beforeFullAccess: true },
      schema: { tags: ['auth'], summary: '当前用户 / Current user', response: { 200: Type.Object({ user: Me, csrfToken: Type.String() }), ...errorResponses } },
    },
    async (request) => {
      const user = currentUser(request);
      return { user: meOf(user), csrfToken: user.csrfToken };
    },
  );

  const ReauthBody = {
    currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
    code: Type.Optional(Type.String({ minLength: 6, maxLength: 20, description: '当前动态验证码或恢复码（已绑定时必填）/ a current authenticator or recovery code (required once enrolled)' })),
  };
  const reauth = (request: FastifyRequest, purpose: string, body: Reauthentication) =>
    reauthenticate(db, config, { userId: currentUser(request).id, purpose, ip: request.ip, ...body });
  /** The change's audit entry and the owner's inbox notice, in the change's transaction. */
  const record = async (trx: Parameters<typeof recordAudit>[0], request: FastifyRequest, change: SecurityChange) => {
    const user = currentUser(request);
    await recordAudit(trx, { actorId: user.id, action: `auth.${change}`, entity: 'user', entityId: String(user.id), ip: request.ip });
    await notifySecurityChange(trx, user.id, change, request.ip);
  };

  app.post(
    '/api/auth/logout-all',
    {
      config: { auth: 'signed-in', beforeFullAccess: true },
      schema: {
        tags: ['auth'],
        summary: '退出所有设备 / Sign out everywhere (current password and, once enrolled, a code)',
        body: Type.Object(ReauthBody),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      await reauth(request, 'logout_all', request.body);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('user_session').where('user_id', '=', user.id).execute();
        await record(trx, request, 'logout_all');
      });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { auth: 'signed-in', beforeFullAccess: true },
      schema: {
        tags: ['auth'],
        summary: '修改密码 / Change my password (current password and, once enrolled, a code); other sessions are signed out',
        body: Type.Object({ ...ReauthBody, newPassword: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { newPassword } = request.body;
      const row = await db.selectFrom('app_user').select(['password_hash', 'username']).where('id', '=', user.id).executeTakeFirstOrThrow();
      const problem = checkPassword(newPassword, { username: row.username, profile: config.passwordProfile });
      if (problem) throw badRequest('newPassword', problem.zh, problem.en, problem.code);
      // after re-authentication: before it, "same as the current one" would answer password guesses uncounted
      await reauth(request, 'password_change', request.body);
      if (newPassword === request.body.currentPassword || (await verifyPassword(row.password_hash, newPassword))) {
        throw badRequest('newPassword', '新密码不能与当前密码相同', 'The new password must differ from the current one', 'reused');
      }
      const hash = await hashPassword(newPassword);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('app_user').set({ password_hash: hash, must_change_password: false, password_changed_at: new Date(), updated_at: new Date() }).where('id', '=', user.id).execute();
        await trx.deleteFrom('user_session').where('user_id', '=', user.id).where('id', '!=', user.sessionId).execute();
        await record(trx, request, 'password_changed');
      });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/totp/setup',
    {
      config: { auth: 'signed-in', beforeFullAccess: true },
      schema: {
        tags: ['auth'],
        summary: '开始绑定或更换动态验证码 / Start enrolling (or replacing) an authenticator',
        description: 'Needs the current password and, to replace an enrolled authenticator, a current code from it. Confirm with `/api/auth/totp/enable`.',
        body: Type.Object(ReauthBody),
        response: { 200: Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrCode: Type.String({ description: 'PNG data URL' }) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      await reauth(request, user.totpEnabled ? 'totp_replace' : 'totp_enrol', request.body);
      const secret = newTotpSecret();
      await db.updateTable('app_user').set({ totp_pending_secret: secret }).where('id', '=', user.id).execute();
      await recordAudit(db, { actorId: user.id, action: 'auth.totp_setup', entity: 'user', entityId: String(user.id), detail: { replacing: user.totpEnabled }, ip: request.ip });
      const uri = otpauthUri(secret, user.username);
      return { secret, otpauthUri: uri, qrCode: await qrDataUrl(uri) };
    },
  );

  app.post(
    '/api/auth/totp/enable',
    {
      config: { auth: 'signed-in', beforeFullAccess: true },
      schema: {
        tags: ['auth'],
        summary: '确认绑定并取得恢复码 / Confirm the new authenticator with its code; returns new recovery codes once',
        description: 'Needs the current password again; the old authenticator (if any) stops working.',
        body: Type.Object({ code: Type.String({ pattern: '^\\d{6}$', description: 'a code from the new authenticator' }), currentPassword: ReauthBody.currentPassword }),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const row = await db.selectFrom('app_user').select(['totp_pending_secret', 'totp_enabled']).where('id', '=', user.id).executeTakeFirstOrThrow();
      if (!row.totp_pending_secret) throw badRequest('code', '请先开始绑定', 'Start the enrolment first', 'invalid');
      const step = verifyTotp(row.totp_pending_secret, request.body.code);
      if (step === null) throw badRequest('code', '验证码不正确', 'Wrong code', 'invalid_totp');
      // the old code was given when the enrolment started, the only way to learn the pending secret
      await reauthenticate(db, config, { userId: user.id, purpose: row.totp_enabled ? 'totp_replace' : 'totp_enrol', ip: request.ip, currentPassword: request.body.currentPassword, secondFactor: false });
      const { codes, hashes } = newRecoveryCodes();
      await db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable('app_user')
          .set({ totp_secret: row.totp_pending_secret, totp_pending_secret: null, totp_enabled: true, totp_last_step: step, recovery_codes: JSON.stringify(hashes) })
          .where('id', '=', user.id)
          .where('totp_pending_secret', '=', row.totp_pending_secret)
          .returning('id')
          .executeTakeFirst();
        if (!done) throw badRequest('code', '绑定已在别处完成或重新开始，请重试', 'The enrolment was completed or restarted elsewhere; start again', 'invalid');
        await record(trx, request, row.totp_enabled ? 'totp_replaced' : 'totp_enabled');
      });
      return { recoveryCodes: codes };
    },
  );

  app.post(
    '/api/auth/totp/remove',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: '解除动态验证码 / Remove the authenticator (current password and a code); not for roles that must keep one',
        body: Type.Object(ReauthBody),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      if (needsSecondFactor(user.roles)) {
        throw new AppError(403, 'totp_required_for_role', { zh: '您的角色必须使用动态验证码，可以更换但不能解除', en: 'Your role must keep an authenticator: replace it instead' }, 'code');
      }
      if (!user.totpEnabled) throw badRequest('code', '尚未绑定动态验证码', 'No authenticator is enrolled', 'invalid');
      await reauth(request, 'totp_remove', request.body);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('app_user').set({ totp_secret: null, totp_pending_secret: null, totp_enabled: false, totp_last_step: null, recovery_codes: '[]' }).where('id', '=', user.id).execute();
        await record(trx, request, 'totp_removed');
      });
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/recovery-codes',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['auth'],
        summary: '重新生成恢复码 / New recovery codes (current password and a code); the old ones stop working',
        body: Type.Object(ReauthBody),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      if (!user.totpEnabled) throw badRequest('code', '尚未绑定动态验证码', 'No authenticator is enrolled', 'invalid');
      await reauth(request, 'recovery_codes', request.body);
      const { codes, hashes } = newRecoveryCodes();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('app_user').set({ recovery_codes: JSON.stringify(hashes) }).where('id', '=', user.id).execute();
        await record(trx, request, 'recovery_codes_generated');
      });
      return { recoveryCodes: codes };
    },
  );
}
