import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import { Type } from '@sinclair/typebox';
import { AppError, badRequest } from '../../http/errors.js';
import { errorResponses, Ok } from '../../http/schemas.js';
import { recordAudit } from '../audit/repository.js';
import { attemptLogin } from './login.js';
import { checkPassword } from './password-policy.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { abilities, ROLES } from './permissions.js';
import { currentUser, SESSION_COOKIE } from './plugin.js';
import { createSession, deleteSession, deleteUserSessions, sessionUser } from './repository.js';
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
  abilities: Type.Array(Type.String(), { description: 'policy actions this user may perform' }),
});

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
  totp: Type.Optional(Type.String({ minLength: 6, maxLength: 20, description: '动态验证码或恢复码 / authenticator or recovery code' })),
});

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
      reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: config.secureCookies, path: '/', expires: session.expiresAt });
      const user = (await sessionUser(db, session.token, config.sessionIdleMinutes))!;
      return { user: { ...user, abilities: abilities(user.roles) }, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
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

  app.post(
    '/api/auth/logout-all',
    { config: { auth: 'signed-in', beforeFullAccess: true }, schema: { tags: ['auth'], summary: '退出所有设备 / Sign out everywhere', response: { 200: Ok, ...errorResponses } } },
    async (request, reply) => {
      const user = currentUser(request);
      await deleteUserSessions(db, user.id);
      await recordAudit(db, { actorId: user.id, action: 'auth.logout_all', entity: 'user', entityId: String(user.id), ip: request.ip });
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
      return { user: { ...user, abilities: abilities(user.roles) }, csrfToken: user.csrfToken };
    },
  );

  app.post(
    '/api/auth/password',
    {
      config: { auth: 'signed-in', beforeFullAccess: true },
      schema: {
        tags: ['auth'],
        summary: '修改密码 / Change my password (other sessions are signed out)',
        body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Type.String({ minLength: 1, maxLength: 256 }) }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const row = await db.selectFrom('app_user').select(['password_hash', 'username']).where('id', '=', user.id).executeTakeFirstOrThrow();
      if (!(await verifyPassword(row.password_hash, request.body.currentPassword))) throw badRequest('currentPassword', '当前密码不正确', 'The current password is wrong', 'invalid_credentials');
      const problem = checkPassword(request.body.newPassword, { username: row.username, profile: config.passwordProfile });
      if (problem) throw badRequest('newPassword', problem.zh, problem.en, problem.code);
      if (await verifyPassword(row.password_hash, request.body.newPassword)) throw badRequest('newPassword', '新密码不能与当前密码相同', 'The new password must differ from the current one', 'reused');
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('app_user').set({ password_hash: await hashPassword(request.body.newPassword), must_change_password: false, password_changed_at: new Date(), updated_at: new Date() }).where('id', '=', user.id).execute();
        await trx.deleteFrom('user_session').where('user_id', '=', user.id).where('id', '!=', user.sessionId).execute();
        await recordAudit(trx, { actorId: user.id, action: 'auth.password_changed', entity: 'user', entityId: String(user.id), ip: request.ip });
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
        summary: '开始绑定动态验证码 / Start enrolling an authenticator',
        response: { 200: Type.Object({ secret: Type.String(), otpauthUri: Type.String(), qrCode: Type.String({ description: 'PNG data URL' }) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const secret = newTotpSecret();
      await db.updateTable('app_user').set({ totp_pending_secret: secret }).where('id', '=', user.id).execute();
      await recordAudit(db, { actorId: user.id, action: 'auth.totp_setup', entity: 'user', entityId: String(user.id), ip: request.ip });
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
        summary: '确认绑定并取得恢复码 / Confirm enrolment with a code; returns the recovery codes once',
        body: Type.Object({ code: Type.String({ pattern: '^\\d{6}$' }) }),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const row = await db.selectFrom('app_user').select('totp_pending_secret').where('id', '=', user.id).executeTakeFirstOrThrow();
      if (!row.totp_pending_secret) throw badRequest('code', '请先开始绑定', 'Start the enrolment first', 'invalid');
      const step = verifyTotp(row.totp_pending_secret, request.body.code);
      if (step === null) throw badRequest('code', '验证码不正确', 'Wrong code', 'invalid_totp');
      const { codes, hashes } = newRecoveryCodes();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('app_user')
          .set({ totp_secret: row.totp_pending_secret, totp_pending_secret: null, totp_enabled: true, totp_last_step: step, recovery_codes: JSON.stringify(hashes) })
          .where('id', '=', user.id)
          .execute();
        await recordAudit(trx, { actorId: user.id, action: 'auth.totp_enabled', entity: 'user', entityId: String(user.id), ip: request.ip });
      });
      return { recoveryCodes: codes };
    },
  );
}

