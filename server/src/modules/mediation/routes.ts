import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { langOf, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { currentUser } from '../auth/index.js';
import { STAFF_CHANNELS } from '../cases/index.js';
import { findInScope } from '../jurisdictions/index.js';
import { fieldCipherFor } from '../privacy/index.js';
import type { DisputeActionBody } from './actions.js';
import { agreementRoute } from './agreement-route.js';
import { suggestMediators } from './assignment.js';
import { disputeDetail } from './detail.js';
import { DateText, DisputeActionSchema, DisputeDetail, DisputeStatusSchema, DisputeSummary, DisputeTypeSchema, OutcomeSchema, PathSchema, Risk, toSummary } from './dto.js';
import { createDispute, type DisputeInput } from './intake.js';
import { DISPUTE_ACTION_LABELS, DISPUTE_STATUSES, DISPUTE_TYPES, type DisputeAction, OUTCOMES, PATHS } from './lifecycle.js';
import { publicListRoutes } from './public-list.js';
import { registryRoutes } from './registry-routes.js';
import { findDispute, listDisputes, mediatorsWithLoad } from './repository.js';
import { statsRoutes } from './stats.js';
import { disputeWorkflow } from './workflow.js';
import { runAction } from '../workflow/index.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Phone = Type.String({ pattern: '^1[3-9]\\d{9}$|^0\\d{2,3}-?\\d{7,8}$' });
const Code = Type.String({ pattern: '^\\d{6}(\\d{6})?$' });

const PartyBody = Type.Object({
  kind: Type.Union([Type.Literal('person'), Type.Literal('organisation')]),
  role: Type.Union([Type.Literal('applicant'), Type.Literal('respondent'), Type.Literal('third_party')]),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  phone: Type.Optional(Phone),
  idNumber: Type.Optional(Type.String({ minLength: 18, maxLength: 18 })),
});

const CaseBody = Type.Object({
  channel: Type.Union(STAFF_CHANNELS.map((c) => Type.Literal(c))),
  title: Type.String({ minLength: 2, maxLength: 200 }),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  matterTypeCode: Type.Optional(Type.String({ maxLength: 20 })),
  location: Type.Optional(Type.Object({ lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) })),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  communityCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
});

const CreateBody = Type.Object({
  caseId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  case: Type.Optional(CaseBody),
  disputeType: DisputeTypeSchema,
  facts: Type.String({ minLength: 2, maxLength: 4000 }),
  amount: Type.Optional(Type.Number({ minimum: 0, maximum: 999999999999 })),
  peopleCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  riskLevel: Type.Optional(Risk),
  groupDispute: Type.Optional(Type.Boolean()),
  extremeRisk: Type.Optional(Type.Boolean()),
  otherJurisdictionCode: Type.Optional(Code),
  parties: Type.Array(PartyBody, { minItems: 1, maxItems: 50 }),
});

const ActionBody = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  path: Type.Optional(PathSchema),
  reason: Type.Optional(Type.String({ minLength: 2, maxLength: 1000 })),
  receivingBody: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
  orgId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  mediatorId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  heldAt: Type.Optional(Type.String({ format: 'date-time' })),
  place: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  participants: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  minutes: Type.Optional(Type.String({ minLength: 1, maxLength: 8000 })),
  outcome: Type.Optional(OutcomeSchema),
  terms: Type.Optional(Type.String({ minLength: 2, maxLength: 8000 })),
  performanceMethod: Type.Optional(Type.String({ minLength: 2, maxLength: 1000 })),
  performanceDeadline: Type.Optional(DateText),
  court: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
  appliedOn: Type.Optional(DateText),
  decision: Type.Optional(Type.Union([Type.Literal('confirmed'), Type.Literal('rejected')])),
  decidedOn: Type.Optional(DateText),
  dueOn: Type.Optional(DateText),
  followUpId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  result: Type.Optional(Type.String({ minLength: 2, maxLength: 4000 })),
  departmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { minItems: 1, maxItems: 20, uniqueItems: true })),
  leadDepartmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
});

const Suggestion = Type.Object({ id: Type.Integer(), displayName: Type.String(), orgName: Type.String(), score: Type.Number(), reasons: Type.Array(Type.String()), activeCases: Type.Integer() });

export async function mediationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config, grids } = app.ctx;
  const pii = fieldCipherFor(config);
  await app.register(registryRoutes);
  await app.register(publicListRoutes);
  await app.register(statsRoutes);
  await app.register(agreementRoute);

  app.get(
    '/api/dispute-vocabulary',
    {
      config: { auth: 'dispute:read' },
      schema: {
        tags: ['mediation'],
        summary: '纠纷类型、分流途径、状态、结果与动作的名称 / Labels of the mediation vocabulary',
        response: { 200: Type.Object({ types: Type.Record(Type.String(), Type.Unknown()), paths: Type.Record(Type.String(), Type.Unknown()), statuses: Type.Record(Type.String(), Type.Unknown()), outcomes: Type.Record(Type.String(), Type.Unknown()), actions: Type.Record(Type.String(), Type.Unknown()) }) },
      },
    },
    async () => ({ types: DISPUTE_TYPES, paths: PATHS, statuses: DISPUTE_STATUSES, outcomes: OUTCOMES, actions: DISPUTE_ACTION_LABELS }),
  );

  app.post(
    '/api/disputes',
    {
      config: { auth: 'dispute:manage' },
      schema: {
        tags: ['mediation'],
        summary: '登记矛盾纠纷（由已有案件或同时登记案件）/ Record a dispute from a case, or with a new case',
        description: 'Give `caseId` of a case in scope, or `case` (the case intake body) to take the case in with the dispute in one transaction (needs case:create).',
        body: CreateBody,
        response: { 201: DisputeDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const id = await createDispute({ db, config, grids, ip: request.ip }, pii, user, request.body as DisputeInput);
      const d = await findDispute(db, id, user);
      if (!d) throw notFound('纠纷不存在', 'Dispute not found');
      reply.status(201);
      return disputeDetail(db, pii, user, d, langOf(request));
    },
  );

  app.get(
    '/api/disputes',
    {
      config: { auth: 'dispute:read' },
      schema: {
        tags: ['mediation'],
        summary: '纠纷列表 / Disputes in scope',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            status: Type.Optional(DisputeStatusSchema),
            statusType: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('closed')])),
            disputeType: Type.Optional(DisputeTypeSchema),
            path: Type.Optional(PathSchema),
            mine: Type.Optional(Type.Boolean({ description: 'only disputes assigned to me as mediator' })),
            jurisdictionCode: Type.Optional(Code),
          }),
        ]),
        response: { 200: ListOf(DisputeSummary), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { jurisdictionCode, ...f } = request.query;
      let underPath: string | undefined;
      if (jurisdictionCode) {
        const j = await findInScope(db, jurisdictionCode, user);
        if (!j) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
        underPath = j.path;
      }
      const { items, total } = await listDisputes(db, user, { ...f, underPath, ...page(request.query) });
      return { items: items.map(toSummary), total };
    },
  );

  app.get(
    '/api/disputes/:id',
    { config: { auth: 'dispute:read' }, schema: { tags: ['mediation'], summary: '纠纷详情与时间线 / A dispute with its history', params: Id, response: { 200: DisputeDetail, ...errorResponses } } },
    async (request) => {
      const user = currentUser(request);
      const d = await findDispute(db, request.params.id, user);
      if (!d) throw notFound('纠纷不存在或不在您的管辖范围内', 'Dispute not found or outside your scope');
      return disputeDetail(db, pii, user, d, langOf(request));
    },
  );

  app.post(
    '/api/disputes/:id/actions/:action',
    {
      config: { auth: 'dispute:manage' },
      schema: {
        tags: ['mediation'],
        summary: '纠纷流转动作 / Take a step on a dispute',
        description: 'Actions: ' + Object.entries(DISPUTE_ACTION_LABELS).map(([k, v]) => `${k} (${v.zh})`).join(', '),
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), action: DisputeActionSchema }),
        body: Type.Optional(ActionBody),
        response: { 200: DisputeDetail, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const body = (request.body ?? {}) as DisputeActionBody;
      const { record, allowedActions } = await runAction(db, disputeWorkflow, { id: request.params.id, action: request.params.action as DisputeAction, actor: user, body, expectedVersion: body.expectedVersion, ip: request.ip });
      if (!record) throw notFound('纠纷已移出您的管辖范围', 'The dispute has left your scope');
      return disputeDetail(db, pii, user, record, langOf(request), allowedActions);
    },
  );

  app.get(
    '/api/disputes/:id/mediator-suggestions',
    {
      config: { auth: 'dispute:manage' },
      schema: { tags: ['mediation'], summary: '推荐调解员（专长、区域、工作量）/ Suggested mediators', params: Id, response: { 200: ListOf(Suggestion), ...errorResponses } },
    },
    async (request) => {
      const user = currentUser(request);
      const d = await findDispute(db, request.params.id, user);
      if (!d) throw notFound('纠纷不存在或不在您的管辖范围内', 'Dispute not found or outside your scope');
      const all = await mediatorsWithLoad(db, { activeOnly: true });
      const byId = new Map(all.map((m) => [m.id, m]));
      const ranked = suggestMediators(
        all.map((m) => ({ id: m.id, displayName: m.display_name, orgId: m.org_id, jurisdictionPath: m.jurisdiction_path, specialties: m.specialties, activeCases: m.active_cases })),
        { disputeType: d.dispute_type, jurisdictionPath: d.jurisdiction_path, orgId: d.org_id },
      );
      const items = ranked.map((s) => ({ ...s, orgName: byId.get(s.id)!.org_name, activeCases: byId.get(s.id)!.active_cases }));
      return { items, total: items.length };
    },
  );

}
