import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { errorResponses, ListOf } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser, findAccountByUsername } from '../auth/index.js';
import { findByCodes, findInScope } from '../jurisdictions/index.js';
import { DisputeTypeSchema, OrgKind } from './dto.js';
import { findOrgInScope, insertMediator, insertOrg, mediatorOfUser, mediatorsWithLoad, orgsServing } from './repository.js';

const Code = Type.String({ pattern: '^\\d{6}(\\d{6})?$' });
const Org = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String(), kind: Type.String(), level: Type.String(), jurisdictionCode: Type.String(), specialties: Type.Array(Type.String()), active: Type.Boolean() });
const Mediator = Type.Object({
  id: Type.Integer(),
  userId: Type.Union([Type.Integer(), Type.Null()]),
  displayName: Type.String(),
  orgId: Type.Integer(),
  orgName: Type.String(),
  jurisdictionCode: Type.String(),
  specialties: Type.Array(Type.String()),
  active: Type.Boolean(),
  activeCases: Type.Integer(),
  agreements: Type.Integer(),
  concluded: Type.Integer(),
});

type MediatorRow = Awaited<ReturnType<typeof mediatorsWithLoad>>[number];
const toMediator = (m: MediatorRow) => ({ id: m.id, userId: m.user_id, displayName: m.display_name, orgId: m.org_id, orgName: m.org_name, jurisdictionCode: m.jurisdiction_code, specialties: m.specialties, active: m.active, activeCases: m.active_cases, agreements: m.agreements, concluded: m.concluded });

/** The registry of mediation organisations and mediators (R3.3). */
export async function registryRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/mediation-orgs',
    {
      config: { auth: 'dispute:read' },
      schema: { tags: ['mediation'], summary: '调解组织 / Mediation organisations', querystring: Type.Object({ jurisdictionCode: Type.Optional(Code), kind: Type.Optional(OrgKind) }), response: { 200: ListOf(Org), ...errorResponses } },
    },
    async (request) => {
      let path: string | undefined;
      if (request.query.jurisdictionCode) {
        const [j] = await findByCodes(db, [request.query.jurisdictionCode]);
        if (!j) throw badRequest('jurisdictionCode', `辖区 ${request.query.jurisdictionCode} 不存在`, `Jurisdiction ${request.query.jurisdictionCode} does not exist`, 'unknown_code');
        path = j.path;
      }
      const rows = await orgsServing(db, { path, kind: request.query.kind });
      return { items: rows.map((o) => ({ id: o.id, code: o.code, name: o.name, kind: o.kind, level: o.level, jurisdictionCode: o.jurisdiction_code, specialties: o.specialties, active: o.active })), total: rows.length };
    },
  );

  app.post(
    '/api/mediation-orgs',
    {
      config: { auth: 'mediator:manage' },
      schema: {
        tags: ['mediation'],
        summary: '登记调解组织 / Register a mediation organisation',
        body: Type.Object({ code: Type.String({ pattern: '^[A-Za-z0-9-]{2,40}$' }), name: Type.String({ minLength: 2, maxLength: 100 }), kind: OrgKind, jurisdictionCode: Code, specialties: Type.Array(DisputeTypeSchema, { maxItems: 10, uniqueItems: true }) }),
        response: { 201: Org, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const b = request.body;
      const j = await findInScope(db, b.jurisdictionCode, user);
      if (!j) throw badRequest('jurisdictionCode', `辖区 ${b.jurisdictionCode} 不存在或不在您的管辖范围内`, `Jurisdiction ${b.jurisdictionCode} does not exist or is outside your scope`, 'unknown_code');
      const row = await db.transaction().execute(async (trx) => {
        const r = await insertOrg(trx, { code: b.code, name: b.name, kind: b.kind, level: j.level, jurisdictionCode: j.code, path: j.path, specialties: b.specialties });
        if (!r) throw conflict('code', `编码 ${b.code} 已被使用`, `Code ${b.code} is taken`);
        await recordAudit(trx, { actorId: user.id, action: 'mediation.org_create', entity: 'mediation_org', entityId: String(r.id), detail: { code: b.code, kind: b.kind }, ip: request.ip });
        return r;
      });
      reply.status(201);
      return { id: row.id, code: row.code, name: row.name, kind: row.kind, level: row.level, jurisdictionCode: row.jurisdiction_code, specialties: row.specialties, active: row.active };
    },
  );

  app.get(
    '/api/mediators',
    {
      config: { auth: 'dispute:read' },
      schema: { tags: ['mediation'], summary: '调解员名册（在办量、调解结果）/ Mediators with caseload and outcomes', querystring: Type.Object({ orgId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), jurisdictionCode: Type.Optional(Code) }), response: { 200: ListOf(Mediator), ...errorResponses } },
    },
    async (request) => {
      let underPath: string | undefined;
      if (request.query.jurisdictionCode) {
        const [j] = await findByCodes(db, [request.query.jurisdictionCode]);
        if (!j) throw badRequest('jurisdictionCode', `辖区 ${request.query.jurisdictionCode} 不存在`, `Jurisdiction ${request.query.jurisdictionCode} does not exist`, 'unknown_code');
        underPath = j.path;
      }
      const rows = await mediatorsWithLoad(db, { underPath, orgId: request.query.orgId });
      return { items: rows.map(toMediator), total: rows.length };
    },
  );

  app.get(
    '/api/mediators/me',
    { config: { auth: 'dispute:read' }, schema: { tags: ['mediation'], summary: '我的调解员档案 / My mediator record', response: { 200: Mediator, ...errorResponses } } },
    async (request) => {
      const me = await mediatorOfUser(db, currentUser(request).id);
      if (!me) throw notFound('您不是登记在册的调解员', 'You are not a registered mediator');
      const [row] = (await mediatorsWithLoad(db, { orgId: me.org_id })).filter((m) => m.id === me.id);
      return toMediator(row!);
    },
  );

  app.post(
    '/api/mediators',
    {
      config: { auth: 'mediator:manage' },
      schema: {
        tags: ['mediation'],
        summary: '登记调解员 / Register a mediator',
        body: Type.Object({ displayName: Type.String({ minLength: 2, maxLength: 50 }), orgId: Type.Integer({ minimum: 1, maximum: 2147483647 }), username: Type.Optional(Type.String({ minLength: 2, maxLength: 50 })), specialties: Type.Array(DisputeTypeSchema, { maxItems: 10, uniqueItems: true }) }),
        response: { 201: Mediator, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const b = request.body;
      const org = await findOrgInScope(db, b.orgId, user.jurisdictionPath);
      if (!org) throw badRequest('orgId', `调解组织 ${b.orgId} 不存在或不在您的管辖范围内`, `Organisation ${b.orgId} does not exist or is outside your scope`, 'unknown_code');
      let userId: number | null = null;
      if (b.username) {
        const u = await findAccountByUsername(db, b.username);
        if (!u || !u.roles.includes('mediator')) throw badRequest('username', `账号 ${b.username} 不存在或不是调解员`, `Account ${b.username} does not exist or is not a mediator`, 'unknown_code');
        userId = u.id;
      }
      const id = await db.transaction().execute(async (trx) => {
        const r = await insertMediator(trx, { userId, displayName: b.displayName, org, specialties: b.specialties });
        if (!r) throw conflict('username', `账号 ${b.username} 已登记为调解员`, `Account ${b.username} is already a mediator`);
        await recordAudit(trx, { actorId: user.id, action: 'mediation.mediator_create', entity: 'mediator', entityId: String(r.id), detail: { orgId: org.id }, ip: request.ip });
        return r.id;
      });
      const [row] = (await mediatorsWithLoad(db, { orgId: org.id })).filter((m) => m.id === id);
      reply.status(201);
      return toMediator(row!);
    },
  );
}
