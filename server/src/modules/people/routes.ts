import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { badRequest, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { fieldCipherFor, maskName, maskPhone } from '../privacy/index.js';
import { assertCareLevel } from './access.js';
import { viewerOf } from '../access/index.js';
import { registerPerson, updatePerson } from './commands.js';
import { currentGridIds, currentWorkersOfGrids, visitsOfPerson } from '../gridwork/index.js';
import { findInScope } from '../jurisdictions/index.js';
import { findPerson, listPeople, openWarnings, responsibleOf, toPersonSummary } from './repository.js';
import { localDateOf } from '../calendar/index.js';
import { CARE_GROUP_KEYS, RISK_LEVELS } from './schedule.js';
import { scanMissedVisits } from './visit-scan.js';
import { psychRoutes } from './psych-routes.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const CareGroupSchema = Type.Union(CARE_GROUP_KEYS.map((g) => Type.Literal(g)));
const Risk = Type.Union(RISK_LEVELS.map((r) => Type.Literal(r)));
const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Plan = Type.Object({ government: Type.Optional(Type.String({ maxLength: 2000 })), social: Type.Optional(Type.String({ maxLength: 2000 })), family: Type.Optional(Type.String({ maxLength: 2000 })) });

export const PersonSummary = Type.Object({
  id: Type.Integer(),
  careGroup: Type.String(),
  careGroupLabel: Type.String(),
  riskLevel: Type.String(),
  riskGrade: Nullable(Type.Integer()),
  securityLabel: Type.String(),
  name: Type.String({ description: 'masked' }),
  idNumber: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  address: Nullable(Type.String()),
  communityCode: Type.String(),
  gridId: Nullable(Type.Integer()),
  status: Type.String(),
  registeredOn: Type.String(),
  lastVisitOn: Nullable(Type.String()),
  nextVisitDue: Type.String(),
  visitIntervalDays: Type.Integer(),
  visitState: Type.String(),
  version: Type.Integer(),
});

const PersonDetail = Type.Intersect([
  PersonSummary,
  Type.Object({
    carePlan: Type.Object({ government: Nullable(Type.String()), social: Nullable(Type.String()), family: Nullable(Type.String()) }),
    responsible: Type.Array(Type.Object({ id: Type.Integer(), side: Type.String(), userId: Nullable(Type.Integer()), userName: Nullable(Type.String()), name: Nullable(Type.String()), phone: Nullable(Type.String()) })),
    visits: Type.Array(Type.Object({ id: Type.Integer(), visitedAt: Type.String(), workerName: Type.String(), findings: Type.String(), onTime: Nullable(Type.Boolean()) })),
  }),
]);

const REVEALABLE = ['name', 'idNumber', 'phone', 'address', 'responsible'] as const;
const Revealed = Type.Object({
  personId: Type.Integer(),
  fields: Type.Array(Type.String()),
  name: Type.Optional(Nullable(Type.String())),
  idNumber: Type.Optional(Nullable(Type.String())),
  phone: Type.Optional(Nullable(Type.String())),
  address: Type.Optional(Nullable(Type.String())),
  responsible: Type.Optional(Type.Array(Type.Object({ id: Type.Integer(), name: Nullable(Type.String()), phone: Nullable(Type.String()) }))),
});

export const Warning = Type.Object({ id: Type.Integer(), personId: Type.Integer(), dueOn: Type.String(), raisedAt: Type.String(), careGroup: Type.String(), riskLevel: Type.String(), name: Type.String(), communityCode: Type.String(), gridId: Nullable(Type.Integer()) });

export async function peopleRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const pii = fieldCipherFor(config);
  await app.register(psychRoutes);

  const detail = async (id: number, user: ReturnType<typeof currentUser>) => {
    const p = await findPerson(db, id, viewerOf(user));
    if (!p) throw notFound('服务对象不存在或不在您的管辖范围内', 'Person not found or outside your scope');
    const [resp, visits] = await Promise.all([responsibleOf(db, p.id), visitsOfPerson(db, p.id)]);
    return {
      ...toPersonSummary(p, pii),
      carePlan: { government: pii.readStored(p.government_measures), social: pii.readStored(p.social_measures), family: pii.readStored(p.family_measures) },
      responsible: resp.map((r) => ({ id: r.id, side: r.side, userId: r.user_id, userName: r.user_name, name: maskName(pii.readStored(r.name)), phone: maskPhone(pii.readStored(r.phone)) })),
      visits: visits.map((v) => ({ id: v.id, visitedAt: v.visited_at.toISOString(), workerName: v.worker_name, findings: v.findings, onTime: v.on_time })),
    };
  };

  app.get(
    '/api/people',
    {
      config: { auth: 'people:read' },
      schema: {
        tags: ['people'],
        summary: '重点人群（脱敏）/ People served in scope, masked',
        querystring: Type.Intersect([PageQuery, Type.Object({ careGroup: Type.Optional(CareGroupSchema), riskLevel: Type.Optional(Risk), jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })), gridId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), dueBy: Type.Optional(Day) })]),
        response: { 200: ListOf(PersonSummary), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      assertCareLevel(user);
      const { jurisdictionCode, ...q } = request.query;
      let underPath: string | undefined;
      if (jurisdictionCode) {
        const j = await findInScope(db, jurisdictionCode, user);
        if (!j) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
        underPath = j.path;
      }
      const { items, total } = await listPeople(db, viewerOf(user), { ...q, underPath, ...page(request.query) });
      return { items: items.map((p) => toPersonSummary(p, pii)), total };
    },
  );

  app.get(
    '/api/people/warnings',
    {
      config: { auth: 'people:read' },
      schema: { tags: ['people'], summary: '走访逾期预警 / Missed-visit warnings in scope', querystring: Type.Object({ mine: Type.Optional(Type.Boolean()) }), response: { 200: ListOf(Warning), ...errorResponses } },
    },
    async (request) => {
      const user = currentUser(request);
      assertCareLevel(user);
      // the background job scans the whole city; reading in scope scans it first so a warning is never late
      await scanMissedVisits(db, currentWorkersOfGrids, { scopePath: user.jurisdictionPath });
      const rows = await openWarnings(db, viewerOf(user), request.query.mine ? { userId: user.id, gridIds: await currentGridIds(db, user.id) } : undefined);
      const items = rows.map((w) => ({ id: w.id, personId: w.person_id, dueOn: w.due_on, raisedAt: w.raised_at.toISOString(), careGroup: w.care_group, riskLevel: w.risk_level, name: maskName(pii.readStored(w.name)) ?? '', communityCode: w.community_code, gridId: w.grid_id }));
      return { items, total: items.length };
    },
  );

  app.get('/api/people/:id', { config: { auth: 'people:read' }, schema: { tags: ['people'], summary: '服务对象详情（脱敏）/ A person served, masked', params: Id, response: { 200: PersonDetail, ...errorResponses } } }, async (request) => {
    const user = currentUser(request);
    assertCareLevel(user);
    return detail(request.params.id, user);
  });

  app.post(
    '/api/people',
    {
      config: { auth: 'people:manage' },
      schema: {
        tags: ['people'],
        summary: '登记服务对象 / Register a person served',
        body: Type.Object({
          careGroup: CareGroupSchema,
          riskLevel: Type.Optional(Risk),
          riskGrade: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })),
          name: Type.String({ minLength: 1, maxLength: 50 }),
          idNumber: Type.Optional(Type.String({ minLength: 18, maxLength: 18 })),
          phone: Type.Optional(Type.String({ minLength: 7, maxLength: 20 })),
          address: Type.Optional(Type.String({ maxLength: 200 })),
          communityCode: Type.String({ pattern: '^\\d{12}$' }),
          gridId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
          registeredOn: Type.Optional(Day),
          carePlan: Type.Optional(Plan),
          responsible: Type.Optional(Type.Array(Type.Object({ side: Type.Union([Type.Literal('government'), Type.Literal('social'), Type.Literal('family')]), userId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), name: Type.Optional(Type.String({ maxLength: 50 })), phone: Type.Optional(Type.String({ maxLength: 20 })) }), { maxItems: 10 })),
        }),
        response: { 201: PersonDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      assertCareLevel(user);
      if (request.body.registeredOn && request.body.registeredOn > localDateOf(new Date())) throw badRequest('registeredOn', '登记日期不能晚于今天', 'The registration day cannot be in the future');
      const id = await registerPerson(db, pii, user, request.body, request.ip);
      reply.status(201);
      return detail(id, user);
    },
  );

  app.patch(
    '/api/people/:id',
    {
      config: { auth: 'people:manage' },
      schema: {
        tags: ['people'],
        summary: '调整风险等级、帮扶措施或状态 / Change risk, care plan or status',
        params: Id,
        body: Type.Object({ riskLevel: Type.Optional(Risk), riskGrade: Type.Optional(Type.Integer({ minimum: 0, maximum: 5 })), carePlan: Type.Optional(Plan), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('closed')])), reason: Type.String({ minLength: 2, maxLength: 500 }), expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })) }),
        response: { 200: PersonDetail, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      assertCareLevel(user);
      await updatePerson(db, pii, user, request.params.id, request.body, request.ip);
      return detail(request.params.id, user);
    },
  );

  app.post(
    '/api/people/:id/reveal',
    {
      config: { auth: 'people:reveal' },
      schema: {
        tags: ['people'],
        summary: '查看服务对象个人信息明文（须说明用途，记入审计）/ Reveal a person served for a stated purpose',
        params: Id,
        body: Type.Object({ fields: Type.Array(Type.Union(REVEALABLE.map((f) => Type.Literal(f))), { minItems: 1, maxItems: REVEALABLE.length, uniqueItems: true }), purpose: Type.String({ minLength: 4, maxLength: 200 }) }),
        response: { 200: Revealed, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      assertCareLevel(user);
      const { fields, purpose } = request.body;
      if (purpose.trim().length < 4) throw badRequest('purpose', '请说明查看用途（至少 4 个字）', 'State the purpose (at least 4 characters)', 'required');
      const audit = { actorId: user.id, action: 'personal.reveal', entity: 'person_served', entityId: String(request.params.id), purpose: purpose.trim(), ip: request.ip };
      const out = await db.transaction().execute(async (trx) => {
        const p = await findPerson(trx, request.params.id, viewerOf(user));
        if (!p) return null;
        const r: Static<typeof Revealed> = { personId: p.id, fields: [...fields] };
        if (fields.includes('name')) r.name = pii.readStored(p.name);
        if (fields.includes('idNumber')) r.idNumber = pii.readStored(p.id_number);
        if (fields.includes('phone')) r.phone = pii.readStored(p.phone);
        if (fields.includes('address')) r.address = pii.readStored(p.address);
        if (fields.includes('responsible')) r.responsible = (await responsibleOf(trx, p.id)).map((x) => ({ id: x.id, name: pii.readStored(x.name), phone: pii.readStored(x.phone) }));
        // the entry commits with the read: no value leaves without it
        await recordAudit(trx, { ...audit, detail: { careGroup: p.care_group, fields }, result: 'ok' });
        return r;
      });
      if (!out) {
        await recordAudit(db, { ...audit, detail: { fields }, result: 'denied' });
        throw notFound('服务对象不存在或不在您的管辖范围内', 'Person not found or outside your scope');
      }
      return out;
    },
  );
}
