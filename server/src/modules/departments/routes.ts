import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { findInScope } from '../jurisdictions/index.js';
import { DEPARTMENT_KINDS } from './kinds.js';
import { departmentClash, findDepartment, insertDepartments, listDepartments, updateDepartment } from './repository.js';

const Level = Type.Union([Type.Literal('city'), Type.Literal('district')]);
const Department = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  level: Level,
  jurisdictionCode: Type.String(),
  jurisdictionName: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
});
const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Phone = Type.Union([Type.String({ pattern: '^[0-9+\\- ]{3,20}$' }), Type.Null()]);

type Row = Awaited<ReturnType<typeof findDepartment>> & {};
const toDepartment = (r: Row) => ({
  id: r.id,
  code: r.code,
  name: r.name,
  kind: r.kind,
  level: r.level,
  jurisdictionCode: r.jurisdiction_code,
  jurisdictionName: r.jurisdiction_name,
  phone: r.phone,
  active: r.active,
});

export async function departmentRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/department-kinds',
    {
      config: { auth: 'department:read' },
      schema: { tags: ['departments'], summary: '部门类别 / Kinds of department', response: { 200: ListOf(Type.Object({ kind: Type.String(), zh: Type.String(), en: Type.String() })), ...errorResponses } },
    },
    async () => ({ items: DEPARTMENT_KINDS.map((k) => ({ kind: k.kind, zh: k.zh, en: k.en })), total: DEPARTMENT_KINDS.length }),
  );

  app.get(
    '/api/departments',
    {
      config: { auth: 'department:read' },
      schema: {
        tags: ['departments'],
        summary: '部门列表 / Departments',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({ jurisdictionCode: Type.Optional(Type.String()), level: Type.Optional(Level), kind: Type.Optional(Type.String()), q: Type.Optional(Type.String({ maxLength: 50 })) }),
        ]),
        response: { 200: ListOf(Department), ...errorResponses },
      },
    },
    async (request) => {
      const { items, total } = await listDepartments(db, currentUser(request), { ...request.query, ...page(request.query) });
      return { items: items.map(toDepartment), total };
    },
  );

  app.get(
    '/api/departments/:id',
    { config: { auth: 'department:read' }, schema: { tags: ['departments'], summary: '部门详情 / A department', params: Id, response: { 200: Department, ...errorResponses } } },
    async (request) => {
      const row = await findDepartment(db, request.params.id, currentUser(request));
      if (!row) throw notFound('部门不存在或不在您的管辖范围内', 'Department not found or outside your scope');
      return toDepartment(row);
    },
  );

  app.post(
    '/api/departments',
    {
      config: { auth: 'department:write' },
      schema: {
        tags: ['departments'],
        summary: '新建部门 / Create a department',
        body: Type.Object({
          code: Type.String({ pattern: '^[A-Za-z0-9_-]{2,40}$' }),
          name: Type.String({ minLength: 2, maxLength: 100 }),
          kind: Type.String({ minLength: 1 }),
          jurisdictionCode: Type.String({ pattern: '^\\d{6}$' }),
          phone: Type.Optional(Phone),
        }),
        response: { 201: Department, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const body = request.body;
      if (!DEPARTMENT_KINDS.some((k) => k.kind === body.kind)) throw badRequest('kind', `未知的部门类别 ${body.kind}`, `Unknown department kind ${body.kind}`, 'unknown_code');
      const j = await findInScope(db, body.jurisdictionCode, user);
      if (!j || (j.level !== 'city' && j.level !== 'district')) {
        throw badRequest('jurisdictionCode', `${body.jurisdictionCode} 不是您管辖范围内的市或区县`, `${body.jurisdictionCode} is not a city or district in your scope`, 'unknown_code');
      }
      const id = await db.transaction().execute(async (trx) => {
        const clash = await departmentClash(trx, { code: body.code, kind: body.kind, jurisdictionCode: body.jurisdictionCode });
        if (clash === 'code') throw conflict('code', `部门编码 ${body.code} 已存在`, `Department code ${body.code} already exists`);
        if (clash === 'kind') throw conflict('kind', `${j.name}已有该类别的部门`, `${j.name} already has a department of this kind`);
        const [newId] = await insertDepartments(trx, [{ code: body.code, name: body.name, kind: body.kind, level: j.level as 'city' | 'district', jurisdictionCode: j.code, phone: body.phone ?? null }]);
        await recordAudit(trx, { actorId: user.id, action: 'department.create', entity: 'department', entityId: String(newId), detail: { code: body.code }, ip: request.ip });
        return newId!;
      });
      reply.status(201);
      return toDepartment((await findDepartment(db, id, user))!);
    },
  );

  app.patch(
    '/api/departments/:id',
    {
      config: { auth: 'department:write' },
      schema: {
        tags: ['departments'],
        summary: '修改部门 / Change a department',
        params: Id,
        body: Type.Object({ name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })), phone: Type.Optional(Phone), active: Type.Optional(Type.Boolean()) }),
        response: { 200: Department, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const row = await findDepartment(db, request.params.id, user);
      if (!row) throw notFound('部门不存在或不在您的管辖范围内', 'Department not found or outside your scope');
      await db.transaction().execute(async (trx) => {
        await updateDepartment(trx, row.id, request.body);
        await recordAudit(trx, { actorId: user.id, action: 'department.change', entity: 'department', entityId: String(row.id), detail: request.body, ip: request.ip });
      });
      return toDepartment((await findDepartment(db, row.id, user))!);
    },
  );
}
