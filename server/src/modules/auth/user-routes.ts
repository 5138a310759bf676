import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import { badRequest, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { inScope } from '../jurisdictions/scope.js';
import { SECURITY_LABELS } from '../privacy/labels.js';
import { ROLES } from './permissions.js';
import { currentUser } from './plugin.js';
import { changeAccount, createAccount, resetAccountPassword, setAccountClearance, setAccountRoles } from './users.js';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Clearance = Type.Union(SECURITY_LABELS.map((l) => Type.Literal(l)));
const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  jurisdictionCode: Type.String(),
  jurisdictionName: Type.String(),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  clearance: Clearance,
  active: Type.Boolean(),
  lockedUntil: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'set while the account is locked after failed sign-ins' }),
  mustChangePassword: Type.Boolean(),
  totpEnabled: Type.Boolean(),
});

/** What a refusal by policy says on the security administrator's routes. */
const SECURITY_ADMIN_ONLY = {
  zh: '三员分立：角色和许可级别只能由安全管理员授予，系统管理员和审计员不能授予',
  en: 'Separated duties: only the security administrator grants roles and clearances; the system administrator and the auditor cannot',
};

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Reason = Type.String({ minLength: 2, maxLength: 500 });
const JurisdictionCode = Type.String({ pattern: '^\\d{6}(\\d{6})?$' });
const DepartmentId = Type.Union([Type.Integer({ minimum: 1, maximum: 2147483647 }), Type.Null()]);

/**
 * Accounts: the system administrator's (create without roles, enable, disable, unlock, reset a password, name,
 * jurisdiction, department) and the security administrator's (roles, clearance). The duties are decided in
 * `users.ts` / `duties.ts`; refusals there are audited.
 */
export async function userRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;

  const select = () =>
    db
      .selectFrom('app_user')
      .innerJoin('jurisdiction as j', 'j.code', 'app_user.jurisdiction_code')
      .select([
        'app_user.id',
        'app_user.username',
        'app_user.display_name',
        'app_user.roles',
        'app_user.jurisdiction_code',
        'j.name as jurisdiction_name',
        'app_user.department_id',
        'app_user.clearance',
        'app_user.active',
        'app_user.locked_until',
        'app_user.must_change_password',
        'app_user.totp_enabled',
      ]);
  type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;
  const toUser = (r: Row) => ({
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    roles: r.roles,
    jurisdictionCode: r.jurisdiction_code,
    jurisdictionName: r.jurisdiction_name,
    departmentId: r.department_id,
    clearance: r.clearance,
    active: r.active,
    lockedUntil: r.locked_until && r.locked_until > new Date() ? r.locked_until.toISOString() : null,
    mustChangePassword: r.must_change_password,
    totpEnabled: r.totp_enabled,
  });
  const read = async (id: number) => {
    const row = await select().where('app_user.id', '=', id).executeTakeFirst();
    if (!row) throw notFound('账号不存在', 'Account not found');
    return toUser(row);
  };

  app.get(
    '/api/users',
    {
      config: { auth: 'user:read' },
      schema: {
        tags: ['accounts'],
        summary: '账号列表 / Accounts in scope',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            q: Type.Optional(Type.String({ maxLength: 50, description: 'part of the username or name' })),
            role: Type.Optional(Type.Union([Role, Type.Literal('none')], { description: 'accounts holding this role; none: accounts without any role' })),
          }),
        ]),
        response: { 200: ListOf(User), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { limit, offset } = page(request.query);
      const { q, role } = request.query;
      let query = select().where((eb) => inScope(eb, 'app_user.jurisdiction_code', user));
      if (q) query = query.where((eb) => eb.or([eb('app_user.username', 'like', `%${q}%`), eb('app_user.display_name', 'like', `%${q}%`)]));
      if (role === 'none') query = query.where(sql<boolean>`cardinality(app_user.roles) = 0`);
      else if (role) query = query.where(sql<boolean>`${role}::text = ANY(app_user.roles)`);
      const [items, total] = await Promise.all([
        query.orderBy('app_user.username').limit(limit).offset(offset).execute(),
        query.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
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
        summary: '新建账号（不带角色）/ Create an account, without roles (the security administrator grants them)',
        description: 'The initial password must be changed at the first sign-in. Sending `roles` is refused with 403 `duty_separation` and audited.',
        body: Type.Object({
          username: Type.String({ pattern: '^[a-zA-Z0-9._-]{3,32}$' }),
          displayName: Type.String({ minLength: 1, maxLength: 50 }),
          password: Type.String({ minLength: 8, maxLength: 128 }),
          jurisdictionCode: JurisdictionCode,
          departmentId: Type.Optional(DepartmentId),
          roles: Type.Optional(Type.Array(Role, { maxItems: 5, uniqueItems: true, description: 'refused when not empty: roles are the security administrator\'s to grant' })),
        }),
        response: { 201: User, ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = await createAccount(db, config, currentUser(request), request.body, request.ip);
      reply.status(201);
      return read(id);
    },
  );

  app.put(
    '/api/users/:id/roles',
    {
      config: { auth: 'user:roles', refusal: { text: SECURITY_ADMIN_ONLY } },
      schema: {
        tags: ['accounts'],
        summary: '授予角色（安全管理员）/ Set an account\'s roles (security admin); its sessions end',
        description: 'Not one\'s own; the system admin, security admin and auditor roles are held alone. An empty list revokes every role.',
        params: IdParams,
        body: Type.Object({ roles: Type.Array(Role, { maxItems: 5, uniqueItems: true }), reason: Reason }),
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => {
      await setAccountRoles(db, currentUser(request), request.params.id, request.body.roles, request.body.reason.trim(), request.ip);
      return read(request.params.id);
    },
  );

  app.put(
    '/api/users/:id/clearance',
    {
      config: { auth: 'user:clearance', refusal: { text: SECURITY_ADMIN_ONLY } },
      schema: {
        tags: ['accounts'],
        summary: '设置许可级别（安全管理员）/ Set an account\'s clearance (security admin): the highest security label it may read',
        description: 'Takes effect at the account\'s next request. Audited as a permission change (`user.clearance_changed`, with the reason).',
        params: IdParams,
        body: Type.Object({ clearance: Clearance, reason: Reason }),
        response: { 200: Type.Object({ id: Type.Integer(), username: Type.String(), clearance: Clearance, previousClearance: Clearance }), ...errorResponses },
      },
    },
    async (request) => {
      const reason = request.body.reason.trim();
      if (reason.length < 2) throw badRequest('reason', '请说明调整许可级别的理由', 'State the reason for the change', 'required');
      const previous = await setAccountClearance(db, currentUser(request), request.params.id, request.body.clearance, reason, request.ip);
      const user = await read(request.params.id);
      return { id: user.id, username: user.username, clearance: user.clearance, previousClearance: previous };
    },
  );

  app.post(
    '/api/users/:id/reset-password',
    {
      config: { auth: 'user:write' },
      schema: {
        tags: ['accounts'],
        summary: '重置密码 / Reset a password: a temporary one, to be changed at the next sign-in',
        description: 'Not one\'s own, nor the security administrator\'s or the auditor\'s (403 `duty_separation`, audited).',
        params: IdParams,
        response: { 200: Type.Object({ temporaryPassword: Type.String() }), ...errorResponses },
      },
    },
    async (request) => ({ temporaryPassword: await resetAccountPassword(db, currentUser(request), request.params.id, request.ip) }),
  );

  app.patch(
    '/api/users/:id',
    {
      config: { auth: 'user:write' },
      schema: {
        tags: ['accounts'],
        summary: '修改账号（启用、停用、解锁、姓名、辖区、部门）/ Change an account (enable, disable, unlock, name, jurisdiction, department)',
        description: 'Not one\'s own, nor the security administrator\'s or the auditor\'s (403 `duty_separation`, audited).',
        params: IdParams,
        body: Type.Object({
          active: Type.Optional(Type.Boolean()),
          unlock: Type.Optional(Type.Literal(true)),
          displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
          jurisdictionCode: Type.Optional(JurisdictionCode),
          departmentId: Type.Optional(DepartmentId),
        }),
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => {
      await changeAccount(db, currentUser(request), request.params.id, request.body, request.ip);
      return read(request.params.id);
    },
  );
}
