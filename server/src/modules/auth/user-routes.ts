import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { recordAudit } from '../audit/repository.js';
import { inScope } from '../jurisdictions/scope.js';
import { findInScope } from '../jurisdictions/repository.js';
import { ROLES } from './permissions.js';
import { currentUser } from './plugin.js';
import { createUser } from './users.js';

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
}
