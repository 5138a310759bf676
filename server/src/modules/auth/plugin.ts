import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unauthorized, AppError } from '../../http/errors.js';
import { type Action, may } from './permissions.js';
import { recordAudit } from '../audit/repository.js';
import { sessionUser } from './repository.js';
import type { SessionUser } from './session-user.js';

export const SESSION_COOKIE = 'zhili_session';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'public' for routes without sign-in, 'signed-in' for any user, or the policy action the route needs */
    auth?: 'public' | 'signed-in' | Action;
    /** reachable while the session must first change its password or enrol a second factor */
    beforeFullAccess?: boolean;
    /** how a refusal by policy is audited here (default: `auth.access_denied` on entity `route`), and what it says */
    refusal?: { action?: string; entity?: string; text?: { zh: string; en: string } };
  }
  interface FastifyRequest {
    user: SessionUser | null;
  }
  interface FastifyInstance {
    /** every /api and /open311 route with the policy it declared: the route-by-role test reads it */
    routePolicies: Array<{ method: string; url: string; auth: string }>;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in user of a route that required one. */
export function currentUser(request: FastifyRequest): SessionUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

/**
 * Every /api route states its auth; a route without it refuses to register.
 * Then: session cookie → user, CSRF header on writes, policy check by action.
 */
export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('user', null);

  const policies: Array<{ method: string; url: string; auth: string }> = [];
  app.decorate('routePolicies', policies);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/') || route.url.startsWith('/api/docs')) return;
    if (!route.config?.auth) throw new Error(`route ${route.method} ${route.url} declares no auth policy`);
    for (const method of [route.method].flat()) if (method !== 'HEAD') policies.push({ method, url: route.url, auth: route.config.auth });
  });

  app.addHook('preValidation', async (request) => {
    const auth = request.routeOptions.config?.auth;
    if (!auth || auth === 'public') return;
    const token = request.cookies[SESSION_COOKIE];
    const user = token ? await sessionUser(app.ctx.db, token, app.ctx.config.sessionIdleMinutes) : null;
    if (!user) {
      throw token
        ? new AppError(401, 'session_expired', { zh: '登录已过期，请重新登录', en: 'Your session has ended; please sign in again' })
        : unauthorized();
    }
    if (!SAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== user.csrfToken) {
      throw new AppError(403, 'csrf', { zh: '缺少或无效的 CSRF 令牌 (X-CSRF-Token)', en: 'Missing or invalid CSRF token (X-CSRF-Token)' }, 'X-CSRF-Token');
    }
    request.user = user;
    if (!request.routeOptions.config?.beforeFullAccess) {
      if (user.mustChangePassword) {
        throw new AppError(403, 'password_change_required', { zh: '请先修改初始或已过期的密码', en: 'Change your initial or expired password first' }, 'password');
      }
      if (user.needsTotpEnrolment) {
        throw new AppError(403, 'totp_enrolment_required', { zh: '该角色须先绑定动态验证码（双因素认证）', en: 'This role must enrol an authenticator (two-factor) first' }, 'totp');
      }
    }
    if (auth !== 'signed-in' && !may(user.roles, auth)) {
      // a refusal by policy is an audit entry: the duties are kept apart, and trying to cross them shows
      const refusal = request.routeOptions.config?.refusal;
      await recordAudit(app.ctx.db, {
        actorId: user.id,
        action: refusal?.action ?? 'auth.access_denied',
        entity: refusal?.entity ?? 'route',
        entityId: `${request.method} ${request.routeOptions.url ?? ''}`,
        detail: { method: request.method, path: request.url.split('?')[0], policy: auth, roles: user.roles },
        ip: request.ip,
        result: 'denied',
      });
      throw new AppError(403, 'role_not_permitted', refusal?.text ?? { zh: '您的角色无权执行此操作', en: 'Your role may not do this' });
    }
  });
});
