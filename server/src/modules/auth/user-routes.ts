import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import crypto from 'node:crypto';
import { AppError, badRequest, forbidden, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { recordAudit } from '../audit/repository.js';
import { inScope } from '../jurisdictions/scope.js';
import { findInScope } from '../jurisdictions/repository.js';
import { SECURITY_LABELS } from '../privacy/labels.js';
import { ROLES } from './permissions.js';
import { currentUser } from './plugin.js';
import { checkRoles, createUser, DUTY_ROLES } from './users.js';
import { hashPassword } from './passwords.js';
import { checkPassword } from './password-policy.js';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  jurisdictionCode: Type.String(),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  active: Type.Boolean(),
});

export async function userRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  const select = () =>
    db.selectFrom('app_user').select(['id', 'username', 'display_name', 'roles', 'jurisdiction_code', 'department_id', 'active']);
  const toUser = (r: Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles,
    jurisdictionCode: r.jurisdiction_code,
    departmentId: r.department_id,
    active: r.active,
  });

  app.get(
    '/api/users',
    {
      config: { auth: 'user:read' },
      schema: { tags: ['accounts'], summary: '账号列表 / Accounts in scope', querystring: Type.Intersect([PageQuery, Type.Object({ q: Type.Optional(Type.String({ maxLength: 50 })) })]), response: { 200: ListOf(User), ...errorResponses } },
    },
    async (request) => {
      const user = currentUser(request);
      const { limit, offset } = page(request.query);
      let q = select().where((eb) => inScope(eb, 'app_user.jurisdiction_code', user));
      if (request.query.q) q = q.where((eb) => eb.or([eb('username', 'like', `%${request.query.q}%`), eb('display_name', 'like', `%${request.query.q}%`)]));
      const [items, total] = await Promise.all([
        q.orderBy('username').limit(limit).offset(offset).execute(),
        db.selectFrom('app_user').where((eb) => inScope(eb, 'app_user.jurisdiction_code', user)).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
      ]);
      return { items: items.map(toUser), total: Number(total.n) };
    },
  );

  app.post(
    '/api/users',
    {
      config: { auth: 'user:write' },
      schema: {
        tags: ['accounts'],
        summary: '新建账号 / Create an account (initial password must be changed at first sign-in)',
        body: Type.Object({
          username: Type.String({ pattern: '^[a-zA-Z0-9._-]{3,32}$' }),
          displayName: Type.String({ minLength: 1, maxLength: 50 }),
          password: Type.String({ minLength: 8, maxLength: 128 }),
          roles: Type.Array(Role, { minItems: 1, maxItems: 5, uniqueItems: true }),
          jurisdictionCode: Type.String({ pattern: '^\\d{6}(\\d{6})?$' }),
          departmentId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
        }),
        response: { 201: User, ...errorResponses },
      },
    },
    async (request, reply) => {
      const actor = currentUser(request);
      const b = request.body;
      if (b.roles.some((r) => DUTY_ROLES.includes(r))) {
        throw new AppError(403, 'forbidden', { zh: '系统管理员、安全管理员、审计员角色只能由安全管理员授予', en: 'Only the security administrator grants the admin, security-admin and auditor roles' }, 'roles');
      }
      const problem = checkPassword(b.password, { username: b.username, profile: app.ctx.config.passwordProfile });
      if (problem) throw badRequest('password', problem.zh, problem.en, problem.code);
      if (!(await findInScope(db, b.jurisdictionCode, actor))) {
        throw badRequest('jurisdictionCode', `辖区 ${b.jurisdictionCode} 不存在或不在您的管辖范围内`, `Jurisdiction ${b.jurisdictionCode} does not exist or is outside your scope`, 'unknown_code');
      }
      const id = await db.transaction().execute(async (trx) => {
        const newId = await createUser(trx, { ...b, mustChangePassword: true });
        await recordAudit(trx, { actorId: actor.id, action: 'user.create', entity: 'user', entityId: String(newId), detail: { username: b.username, roles: b.roles }, ip: request.ip });
        return newId;
      });
      reply.status(201);
      const row = await select().where('id', '=', id).executeTakeFirst();
      if (!row) throw notFound('账号不存在', 'Account not found');
      return toUser(row);
    },
  );

  const inScopeUser = async (id: number, actorPath: string) =>
    db
      .selectFrom('app_user')
      .innerJoin('jurisdiction as j', 'j.code', 'app_user.jurisdiction_code')
      .select(['app_user.id', 'app_user.username', 'app_user.roles'])
      .where('app_user.id', '=', id)
      .where('j.path', 'like', `${actorPath}%`)
      .executeTakeFirst();
  const notFoundUser = () => notFound('账号不存在或不在您的管辖范围内', 'Account not found or outside your scope');
  const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

  app.put(
    '/api/users/:id/roles',
    {
      config: { auth: 'user:roles' },
      schema: {
        tags: ['accounts'],
        summary: '授予角色（安全管理员）/ Set an account\'s roles (security admin); its sessions end',
        params: IdParams,
        body: Type.Object({ roles: Type.Array(Role, { minItems: 1, maxItems: 5, uniqueItems: true }), reason: Type.String({ minLength: 2, maxLength: 500 }) }),
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      const target = await inScopeUser(request.params.id, actor.jurisdictionPath);
      if (!target) throw notFoundUser();
      if (target.id === actor.id) throw forbidden();
      checkRoles(request.body.roles);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('app_user').set({ roles: request.body.roles, updated_at: new Date() }).where('id', '=', target.id).execute();
        await trx.deleteFrom('user_session').where('user_id', '=', target.id).execute();
        await recordAudit(trx, { actorId: actor.id, action: 'user.roles_changed', entity: 'user', entityId: String(target.id), detail: { from: target.roles, to: request.body.roles, reason: request.body.reason }, ip: request.ip });
      });
      return toUser((await select().where('id', '=', target.id).executeTakeFirst())!);
    },
  );

  const Clearance = Type.Union(SECURITY_LABELS.map((l) => Type.Literal(l)));
  app.put(
    '/api/users/:id/clearance',
    {
      config: { auth: 'user:clearance' },
      schema: {
        tags: ['accounts'],
        summary: '设置许可级别（安全管理员）/ Set an account\'s clearance (security admin): the highest security label it may read',
        description: 'Takes effect at the account\'s next request. Audited as a permission change (`user.clearance_changed`, with the reason).',
        params: IdParams,
        body: Type.Object({ clearance: Clearance, reason: Type.String({ minLength: 2, maxLength: 500 }) }),
        response: { 200: Type.Object({ id: Type.Integer(), username: Type.String(), clearance: Clearance, previousClearance: Clearance }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      const target = await inScopeUser(request.params.id, actor.jurisdictionPath);
      if (!target) throw notFoundUser();
      if (target.id === actor.id) throw forbidden();
      const reason = request.body.reason.trim();
      if (reason.length < 2) throw badRequest('reason', '请说明调整许可级别的理由', 'State the reason for the change', 'required');
      const { clearance } = request.body;
      const previous = await db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('app_user').select('clearance').where('id', '=', target.id).forUpdate().executeTakeFirstOrThrow();
        await trx.updateTable('app_user').set({ clearance, updated_at: new Date() }).where('id', '=', target.id).execute();
        await recordAudit(trx, { actorId: actor.id, action: 'user.clearance_changed', entity: 'user', entityId: String(target.id), detail: { username: target.username, from: row.clearance, to: clearance, reason }, ip: request.ip });
        return row.clearance;
      });
      return { id: target.id, username: target.username, clearance, previousClearance: previous };
    },
  );

  app.post(
    '/api/users/:id/reset-password',
    {
      config: { auth: 'user:write' },
      schema: {
        tags: ['accounts'],
        summary: '重置密码 / Reset a password: a temporary one, to be changed at the next sign-in',
        params: IdParams,
        response: { 200: Type.Object({ temporaryPassword: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      const target = await inScopeUser(request.params.id, actor.jurisdictionPath);
      if (!target) throw notFoundUser();
      // four character classes, 16 characters: passes either password profile
      const temporaryPassword = `Zh-${crypto.randomBytes(9).toString('base64url')}7a`;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('app_user').set({ password_hash: await hashPassword(temporaryPassword), must_change_password: true, failed_logins: 0, locked_until: null, updated_at: new Date() }).where('id', '=', target.id).execute();
        await trx.deleteFrom('user_session').where('user_id', '=', target.id).execute();
        await recordAudit(trx, { actorId: actor.id, action: 'user.password_reset', entity: 'user', entityId: String(target.id), ip: request.ip });
      });
      return { temporaryPassword };
    },
  );

  app.patch(
    '/api/users/:id',
    {
      config: { auth: 'user:write' },
      schema: {
        tags: ['accounts'],
        summary: '修改账号（启用、停用、解锁、姓名）/ Change an account (enable, disable, unlock, name)',
        params: IdParams,
        body: Type.Object({ active: Type.Optional(Type.Boolean()), unlock: Type.Optional(Type.Literal(true)), displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })) }),
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => {
      const actor = currentUser(request);
      const target = await inScopeUser(request.params.id, actor.jurisdictionPath);
      if (!target) throw notFoundUser();
      const b = request.body;
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('app_user')
          .set({
            ...(b.active !== undefined ? { active: b.active } : {}),
            ...(b.displayName !== undefined ? { display_name: b.displayName } : {}),
            ...(b.unlock ? { failed_logins: 0, locked_until: null } : {}),
            updated_at: new Date(),
          })
          .where('id', '=', target.id)
          .execute();
        if (b.active === false) await trx.deleteFrom('user_session').where('user_id', '=', target.id).execute();
        await recordAudit(trx, { actorId: actor.id, action: 'user.change', entity: 'user', entityId: String(target.id), detail: b, ip: request.ip });
      });
      return toUser((await select().where('id', '=', target.id).executeTakeFirst())!);
    },
  );
}
