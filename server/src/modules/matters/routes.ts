import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { DEPARTMENT_KINDS } from '../departments/index.js';
import { LEVELS } from '../jurisdictions/index.js';
import { MATTER_CATEGORIES } from './catalogue.js';
import { findMatterType, insertMatterType, listMatterTypes, matrixHistory, matrixRows, setResponsibility, updateMatterType } from './repository.js';

const Level = Type.Union(LEVELS.map((l) => Type.Literal(l)));
const Priority = Type.Union([Type.Literal('normal'), Type.Literal('urgent'), Type.Literal('critical')]);
const Category = Type.Union(Object.keys(MATTER_CATEGORIES).map((c) => Type.Literal(c)));
const Code = Type.String({ pattern: '^[A-Z]{2,4}-\\d{3,4}$', description: 'e.g. CG-001' });

const MatterType = Type.Object({
  code: Type.String(),
  name: Type.String(),
  category: Type.String(),
  description: Type.String(),
  keywords: Type.Array(Type.String()),
  timeLimitDays: Type.Integer({ description: '默认办理时限（工作日）/ default time limit in working days' }),
  priority: Priority,
  handlingLevel: Level,
  active: Type.Boolean(),
});

const Fields = {
  name: Type.String({ minLength: 2, maxLength: 60 }),
  category: Category,
  description: Type.String({ maxLength: 500 }),
  keywords: Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { maxItems: 30 }),
  timeLimitDays: Type.Integer({ minimum: 1, maximum: 365 }),
  priority: Priority,
  handlingLevel: Level,
  active: Type.Boolean(),
};

const MatrixCell = Type.Object({ matterTypeCode: Type.String(), level: Level, departmentKind: Type.Union([Type.String(), Type.Null()]) });

type Row = NonNullable<Awaited<ReturnType<typeof findMatterType>>>;
const toMatter = (r: Row) => ({
  code: r.code,
  name: r.name,
  category: r.category,
  description: r.description,
  keywords: r.keywords,
  timeLimitDays: r.time_limit_days,
  priority: r.priority,
  handlingLevel: r.handling_level,
  active: r.active,
});

function checkKind(kind: string | null) {
  if (kind !== null && !DEPARTMENT_KINDS.some((k) => k.kind === kind)) throw badRequest('departmentKind', `未知的部门类别 ${kind}`, `Unknown department kind ${kind}`, 'unknown_code');
}

export async function matterRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/matter-categories',
    {
      config: { auth: 'matter:read' },
      schema: { tags: ['matters'], summary: '事项分类 / Matter categories', response: { 200: ListOf(Type.Object({ category: Type.String(), zh: Type.String(), en: Type.String() })), ...errorResponses } },
    },
    async () => {
      const items = Object.entries(MATTER_CATEGORIES).map(([category, c]) => ({ category, zh: c.zh, en: c.en }));
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/matter-types',
    {
      config: { auth: 'matter:read' },
      schema: {
        tags: ['matters'],
        summary: '事项目录 / Matter catalogue',
        querystring: Type.Intersect([PageQuery, Type.Object({ category: Type.Optional(Type.String()), q: Type.Optional(Type.String({ maxLength: 50 })), active: Type.Optional(Type.Boolean()) })]),
        response: { 200: ListOf(MatterType), ...errorResponses },
      },
    },
    async (request) => {
      const { items, total } = await listMatterTypes(db, { ...request.query, ...page(request.query) });
      return { items: items.map(toMatter), total };
    },
  );

  app.get(
    '/api/matter-types/:code',
    {
      config: { auth: 'matter:read' },
      schema: { tags: ['matters'], summary: '事项详情 / A matter type', params: Type.Object({ code: Type.String({ maxLength: 20 }) }), response: { 200: Type.Intersect([MatterType, Type.Object({ responsibility: Type.Array(MatrixCell) })]), ...errorResponses } },
    },
    async (request) => {
      const row = await findMatterType(db, request.params.code);
      if (!row) throw notFound(`事项 ${request.params.code} 不存在`, `Matter type ${request.params.code} not found`);
      const cells = await matrixRows(db, row.code);
      return { ...toMatter(row), responsibility: cells.map((c) => ({ matterTypeCode: c.matter_type_code, level: c.level, departmentKind: c.department_kind })) };
    },
  );

  app.post(
    '/api/matter-types',
    {
      config: { auth: 'matter:write' },
      schema: {
        tags: ['matters'],
        summary: '新建事项 / Create a matter type',
        body: Type.Object({ code: Code, ...Fields, description: Type.Optional(Fields.description), keywords: Type.Optional(Fields.keywords), active: Type.Optional(Fields.active) }),
        response: { 201: MatterType, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const user = currentUser(request);
      await db.transaction().execute(async (trx) => {
        if (await findMatterType(trx, b.code)) throw conflict('code', `事项编码 ${b.code} 已存在`, `Matter type code ${b.code} already exists`);
        await insertMatterType(trx, b.code, { ...b, description: b.description ?? '', keywords: b.keywords ?? [], active: b.active ?? true });
        await recordAudit(trx, { actorId: user.id, action: 'matter_type.create', entity: 'matter_type', entityId: b.code, ip: request.ip });
      });
      reply.status(201);
      return toMatter((await findMatterType(db, b.code))!);
    },
  );

  app.patch(
    '/api/matter-types/:code',
    {
      config: { auth: 'matter:write' },
      schema: {
        tags: ['matters'],
        summary: '修改事项 / Change a matter type',
        params: Type.Object({ code: Type.String({ maxLength: 20 }) }),
        body: Type.Partial(Type.Object(Fields)),
        response: { 200: MatterType, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      await db.transaction().execute(async (trx) => {
        if (!(await findMatterType(trx, request.params.code))) throw notFound(`事项 ${request.params.code} 不存在`, `Matter type ${request.params.code} not found`);
        await updateMatterType(trx, request.params.code, request.body);
        await recordAudit(trx, { actorId: user.id, action: 'matter_type.change', entity: 'matter_type', entityId: request.params.code, detail: request.body, ip: request.ip });
      });
      return toMatter((await findMatterType(db, request.params.code))!);
    },
  );

  app.get(
    '/api/responsibility-matrix',
    {
      config: { auth: 'matter:read' },
      schema: { tags: ['matters'], summary: '权责清单 / Responsibility matrix', querystring: Type.Object({ matterTypeCode: Type.Optional(Type.String()) }), response: { 200: ListOf(MatrixCell), ...errorResponses } },
    },
    async (request) => {
      const rows = await matrixRows(db, request.query.matterTypeCode);
      return { items: rows.map((c) => ({ matterTypeCode: c.matter_type_code, level: c.level, departmentKind: c.department_kind })), total: rows.length };
    },
  );

  app.get(
    '/api/responsibility-matrix/history',
    {
      config: { auth: 'matter:read' },
      schema: {
        tags: ['matters'],
        summary: '权责清单变更记录 / Matrix change history',
        querystring: Type.Intersect([PageQuery, Type.Object({ matterTypeCode: Type.Optional(Type.String()) })]),
        response: {
          200: ListOf(
            Type.Object({
              matterTypeCode: Type.String(),
              level: Level,
              oldDepartmentKind: Type.Union([Type.String(), Type.Null()]),
              newDepartmentKind: Type.Union([Type.String(), Type.Null()]),
              reason: Type.String(),
              changedBy: Type.Union([Type.String(), Type.Null()]),
              changedAt: Type.String({ format: 'date-time' }),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit, offset } = page(request.query);
      const [rows, total] = await matrixHistory(db, request.query.matterTypeCode, limit, offset);
      return {
        items: rows.map((r) => ({
          matterTypeCode: r.matter_type_code,
          level: r.level,
          oldDepartmentKind: r.old_department_kind,
          newDepartmentKind: r.new_department_kind,
          reason: r.reason,
          changedBy: r.display_name,
          changedAt: r.changed_at.toISOString(),
        })),
        total: Number(total.n),
      };
    },
  );

  app.put(
    '/api/responsibility-matrix/:matterTypeCode/:level',
    {
      config: { auth: 'matter:write' },
      schema: {
        tags: ['matters'],
        summary: '设置责任部门 / Set the responsible department kind of one cell',
        params: Type.Object({ matterTypeCode: Type.String({ maxLength: 20 }), level: Level }),
        body: Type.Object({ departmentKind: Type.Union([Type.String(), Type.Null()]), reason: Type.String({ minLength: 2, maxLength: 500 }) }),
        response: { 200: MatrixCell, ...errorResponses },
      },
    },
    async (request) => {
      const { matterTypeCode, level } = request.params;
      const { departmentKind, reason } = request.body;
      checkKind(departmentKind);
      if (departmentKind === null && (level === 'city' || level === 'district')) {
        throw badRequest('departmentKind', '市、区县级必须指定责任部门', 'City and district levels need a responsible department kind');
      }
      const user = currentUser(request);
      await db.transaction().execute(async (trx) => {
        if (!(await findMatterType(trx, matterTypeCode))) throw notFound(`事项 ${matterTypeCode} 不存在`, `Matter type ${matterTypeCode} not found`);
        await setResponsibility(trx, { matterTypeCode, level, departmentKind, reason, userId: user.id });
        await recordAudit(trx, { actorId: user.id, action: 'responsibility.set', entity: 'responsibility', entityId: `${matterTypeCode}/${level}`, detail: { departmentKind, reason }, ip: request.ip });
      });
      return { matterTypeCode, level, departmentKind };
    },
  );
}
