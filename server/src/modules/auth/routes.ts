import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError } from '../../http/errors.js';
import { errorResponses, Ok } from '../../http/schemas.js';
import { recordAudit } from '../audit/repository.js';
import { abilities, ROLES } from './permissions.js';
import { dummyHash, verifyPassword } from './passwords.js';
import { currentUser, SESSION_COOKIE } from './plugin.js';
import { createSession, deleteSession, findUserForLogin, sessionUser } from './repository.js';

export const Me = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.Union(ROLES.map((r) => Type.Literal(r)))),
  jurisdictionCode: Type.String(),
  jurisdictionLevel: Type.String(),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  mustChangePassword: Type.Boolean(),
  abilities: Type.Array(Type.String(), { description: 'policy actions this user may perform' }),
});

const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});

export async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;

  app.post(
    '/api/auth/login',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['auth'],
        summary: '登录 / Sign in',
        body: LoginBody,
        response: { 200: Type.Object({ user: Me, csrfToken: Type.String(), expiresAt: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { username, password } = request.body;
      const found = await findUserForLogin(db, username);
      const ok = found ? await verifyPassword(found.password_hash, password) : await verifyPassword(await dummyHash(), password).then(() => false);
      if (!found || !ok || !found.active) {
        await recordAudit(db, { actorId: found?.id ?? null, action: 'auth.login_failed', entity: 'user', entityId: username, ip: request.ip });
        throw new AppError(401, 'invalid_credentials', { zh: '用户名或密码错误', en: 'Wrong username or password' }, 'password');
      }
      const session = await createSession(db, {
        userId: found.id,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        absoluteHours: config.sessionAbsoluteHours,
      });
      await recordAudit(db, { actorId: found.id, action: 'auth.login', entity: 'user', entityId: String(found.id), ip: request.ip });
      reply.setCookie(SESSION_COOKIE, session.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: config.secureCookies,
        path: '/',
        expires: session.expiresAt,
      });
      const user = (await sessionUser(db, session.token, config.sessionIdleMinutes))!;
      return {
        user: { ...user, abilities: abilities(user.roles) },
        csrfToken: session.csrfToken,
        expiresAt: session.expiresAt.toISOString(),
      };
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { auth: 'signed-in' }, schema: { tags: ['auth'], summary: '退出 / Sign out', response: { 200: Ok, ...errorResponses } } },
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
      config: { auth: 'signed-in' },
      schema: { tags: ['auth'], summary: '当前用户 / Current user', response: { 200: Type.Object({ user: Me, csrfToken: Type.String() }), ...errorResponses } },
    },
    async (request) => {
      const user = currentUser(request);
      return { user: { ...user, abilities: abilities(user.roles) }, csrfToken: user.csrfToken };
    },
  );
}
