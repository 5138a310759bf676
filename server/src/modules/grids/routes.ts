import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { currentUser } from '../auth/index.js';
import { findByCodes, findInScope } from '../jurisdictions/index.js';
import { changeGrid, createGrid, DEDICATED_CATEGORIES } from './commands.js';
import { findGrid, gridVersions, listGrids } from './repository.js';

const Kind = Type.Union([Type.Literal('base'), Type.Literal('dedicated')]);
const Status = Type.Union([Type.Literal('active'), Type.Literal('retired')]);
const Category = Type.Union(DEDICATED_CATEGORIES.map((c) => Type.Literal(c)));
const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
const Polygon = Type.Object(
  {
    type: Type.Literal('Polygon'),
    coordinates: Type.Array(Type.Array(Position, { minItems: 4, maxItems: 20_000 }), { minItems: 1, maxItems: 100 }),
  },
  { description: 'GeoJSON Polygon, WGS84 [longitude, latitude]' },
);

const Grid = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: Kind,
  category: Type.Union([Type.String(), Type.Null()]),
  communityCode: Type.String(),
  status: Status,
  version: Type.Integer(),
  geometry: Polygon,
});

const GridVersion = Type.Object({
  version: Type.Integer(),
  name: Type.String(),
  kind: Kind,
  category: Type.Union([Type.String(), Type.Null()]),
  communityCode: Type.String(),
  status: Status,
  geometry: Polygon,
  reason: Type.String(),
  filingNumber: Type.Union([Type.String(), Type.Null()]),
  filedBy: Type.Union([Type.Object({ id: Type.Integer(), displayName: Type.String() }), Type.Null()]),
  filedAt: Type.String({ format: 'date-time' }),
});

const Place = Type.Object({ code: Type.String(), name: Type.String() });

const Reason = Type.String({ minLength: 2, maxLength: 500, description: '调整原因 / why the division changes' });
const FilingNumber = Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()]));

const toGrid = (r: { id: number; code: string; name: string; kind: 'base' | 'dedicated'; category: string | null; community_code: string; status: 'active' | 'retired'; version: number; geometry: { type: 'Polygon'; coordinates: number[][][] } }) => ({
  id: r.id,
  code: r.code,
  name: r.name,
  kind: r.kind,
  category: r.category,
  communityCode: r.community_code,
  status: r.status,
  version: r.version,
  geometry: r.geometry,
});

export async function gridRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, grids } = app.ctx;

  app.get(
    '/api/grids',
    {
      config: { auth: 'grid:read' },
      schema: {
        tags: ['grids'],
        summary: '网格列表 / Grids in scope',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{6})?$' })),
            kind: Type.Optional(Kind),
            status: Type.Optional(Type.Union([Status, Type.Literal('all')])),
            q: Type.Optional(Type.String({ maxLength: 50 })),
          }),
        ]),
        response: { 200: ListOf(Grid), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { jurisdictionCode, ...rest } = request.query;
      let underPath: string | undefined;
      if (jurisdictionCode) {
        const j = await findInScope(db, jurisdictionCode, user);
        if (!j) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
        underPath = j.path;
      }
      const { items, total } = await listGrids(db, user, { ...rest, underPath, ...page(request.query) });
      return { items: items.map(toGrid), total };
    },
  );

  app.get(
    '/api/grids/locate',
    {
      config: { auth: 'grid:read' },
      schema: {
        tags: ['grids'],
        summary: '坐标定位网格 / The grid at a point (WGS84)',
        querystring: Type.Object({ lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }),
        response: {
          200: Type.Object({
            grid: Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), kind: Kind }),
            community: Place,
            street: Place,
            district: Place,
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { lng, lat } = request.query;
      const user = currentUser(request);
      const hit = (await grids.current(db)).locate(lng, lat);
      const outside = () => notFound(`坐标 (${lng}, ${lat}) 不在任何网格内`, `The point (${lng}, ${lat}) lies in no grid`);
      if (!hit) throw outside();
      const grid = await findGrid(db, hit.id, user);
      if (!grid) throw notFound(`坐标 (${lng}, ${lat}) 不在您的管辖范围内`, `The point (${lng}, ${lat}) is outside your scope`);
      const community = (await findByCodes(db, [hit.communityCode]))[0];
      if (!community) throw outside();
      const chain = await findByCodes(db, community.path.split('/'));
      const at = (level: string) => {
        const j = chain.find((c) => c.level === level);
        return j ? { code: j.code, name: j.name } : { code: '', name: '' };
      };
      return { grid: { id: grid.id, code: grid.code, name: grid.name, kind: grid.kind }, community: at('community'), street: at('street'), district: at('district') };
    },
  );

  app.get(
    '/api/grids/:id',
    {
      config: { auth: 'grid:read' },
      schema: {
        tags: ['grids'],
        summary: '网格详情及版本 / A grid with its filed versions',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        response: { 200: Type.Intersect([Grid, Type.Object({ versions: Type.Array(GridVersion) })]), ...errorResponses },
      },
    },
    async (request) => {
      const grid = await findGrid(db, request.params.id, currentUser(request));
      if (!grid) throw notFound('网格不存在或不在您的管辖范围内', 'Grid not found or outside your scope');
      const versions = await gridVersions(db, grid.id);
      return {
        ...toGrid(grid),
        versions: versions.map((v) => ({
          version: v.version,
          name: v.name,
          kind: v.kind,
          category: v.category,
          communityCode: v.community_code,
          status: v.status,
          geometry: v.geometry,
          reason: v.reason,
          filingNumber: v.filing_number,
          filedBy: v.filer_id ? { id: v.filer_id, displayName: v.filer_name ?? '' } : null,
          filedAt: v.filed_at.toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/grids',
    {
      config: { auth: 'grid:write' },
      schema: {
        tags: ['grids'],
        summary: '新建网格（报送备案）/ Create a grid (filed)',
        body: Type.Object({
          code: Type.String({ pattern: '^[A-Za-z0-9-]{3,32}$' }),
          name: Type.String({ minLength: 1, maxLength: 100 }),
          kind: Kind,
          category: Type.Optional(Type.Union([Category, Type.Null()])),
          communityCode: Type.String({ pattern: '^\\d{12}$' }),
          geometry: Polygon,
          reason: Reason,
          filingNumber: FilingNumber,
        }),
        response: { 201: Grid, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const id = await createGrid(db, user, request.body, request.ip);
      reply.status(201);
      return toGrid((await findGrid(db, id, user))!);
    },
  );

  app.patch(
    '/api/grids/:id',
    {
      config: { auth: 'grid:write' },
      schema: {
        tags: ['grids'],
        summary: '调整网格（新版本，报送备案）/ Change a grid (new filed version)',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        body: Type.Object({
          name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
          category: Type.Optional(Type.Union([Category, Type.Null()])),
          communityCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
          geometry: Type.Optional(Polygon),
          status: Type.Optional(Status),
          reason: Reason,
          filingNumber: FilingNumber,
          expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
        }),
        response: { 200: Grid, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      await changeGrid(db, user, request.params.id, request.body, request.ip);
      return toGrid((await findGrid(db, request.params.id, user))!);
    },
  );
}
