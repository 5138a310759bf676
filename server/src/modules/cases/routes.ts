import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { badRequest, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { currentUser } from '../auth/plugin.js';
import type { SessionUser } from '../auth/session-user.js';
import { findInScope } from '../jurisdictions/repository.js';
import { type ActionBody, actorFacts, caseFacts, performAction } from './actions.js';
import { boxAround, distanceMetres, suggestMatterTypes } from './classify.js';
import { Action, CaseSummary, Channel, CloseReasonSchema, Status, toCase } from './dto.js';
import { intakeCase, STAFF_CHANNELS } from './intake.js';
import { ACTION_LABELS, allowedActions, type CaseAction, CASE_STATUSES, CLOSE_REASONS } from './lifecycle.js';
import { caseAssignments, caseAttachments, caseEvents, type CaseRow, findCase, listCases, nearbyOpenCases } from './repository.js';
import { addSupporter } from './supporters.js';
import { listSupervision } from './deadline-scan.js';
import { attachmentRoutes } from './attachments.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Phone = Type.String({ pattern: '^1[3-9]\\d{9}$|^0\\d{2,3}-?\\d{7,8}$', description: '手机号或固定电话' });
const Point = Type.Object({ lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) });

const IntakeBody = Type.Object({
  channel: Type.Union(STAFF_CHANNELS.map((c) => Type.Literal(c))),
  title: Type.String({ minLength: 2, maxLength: 200 }),
  description: Type.String({ minLength: 1, maxLength: 4000 }),
  matterTypeCode: Type.Optional(Type.String({ maxLength: 20 })),
  location: Type.Optional(Point),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  communityCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })),
  reporter: Type.Optional(Type.Object({ name: Type.Optional(Type.String({ maxLength: 50 })), phone: Type.Optional(Phone) })),
});

const ActionBodySchema = Type.Object({
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  attachmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  matterTypeCode: Type.Optional(Type.String({ maxLength: 20 })),
  departmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  departmentIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 2147483647 }), { minItems: 1, maxItems: 10, uniqueItems: true })),
  jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{6})?$' })),
  reason: Type.Optional(Type.String({ minLength: 2, maxLength: 1000 })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
  result: Type.Optional(Type.String({ minLength: 2, maxLength: 4000 })),
  pass: Type.Optional(Type.Boolean()),
  closeReason: Type.Optional(CloseReasonSchema),
  responsibleBody: Type.Optional(Type.String({ minLength: 2, maxLength: 200 })),
  duplicateOfCaseId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  intoCaseId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  rating: Type.Optional(Type.Union([Type.Literal('satisfied'), Type.Literal('basically_satisfied'), Type.Literal('unsatisfied')])),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
});

const Duplicate = Type.Object({ id: Type.Integer(), number: Type.String(), title: Type.String(), distanceM: Type.Integer(), createdAt: Type.String(), supporterCount: Type.Integer() });

const TimelineEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorName: Type.String(),
  action: Type.String(),
  actionLabel: Type.String(),
  fromStatus: Type.Union([Type.String(), Type.Null()]),
  toStatus: Type.Union([Type.String(), Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  attachmentIds: Type.Array(Type.Integer()),
});

const CaseDetail = Type.Intersect([
  CaseSummary,
  Type.Object({
    timeline: Type.Array(TimelineEntry),
    assignments: Type.Array(Type.Object({ departmentId: Type.Integer(), departmentName: Type.String(), role: Type.String(), feedback: Type.Union([Type.String(), Type.Null()]), fedBackAt: Type.Union([Type.String(), Type.Null()]) })),
    attachments: Type.Array(Type.Object({ id: Type.Integer(), fileName: Type.String(), mimeType: Type.String(), sizeBytes: Type.Integer(), uploadedAt: Type.String() })),
    possibleDuplicates: Type.Array(Duplicate),
  }),
]);

async function detail(app: FastifyInstance, user: SessionUser, c: CaseRow, lang: 'zh' | 'en', duplicates: Static<typeof Duplicate>[] = []) {
  const { db } = app.ctx;
  const [events, assignments, attachments, facts, actor] = await Promise.all([caseEvents(db, c.id), caseAssignments(db, c.id), caseAttachments(db, c.id), caseFacts(db, c), actorFacts(db, c, user)]);
  return {
    ...toCase(c, allowedActions(facts, actor)),
    timeline: events.map((e) => ({
      id: e.id,
      at: e.at.toISOString(),
      actorName: e.actor_name,
      action: e.action,
      actionLabel: ACTION_LABELS[e.action as CaseAction]?.[lang] ?? e.action,
      fromStatus: e.from_status,
      toStatus: e.to_status,
      note: e.note,
      detail: e.detail,
      attachmentIds: e.attachment_ids,
    })),
    assignments: assignments.map((a) => ({ departmentId: a.department_id, departmentName: a.department_name, role: a.role, feedback: a.feedback, fedBackAt: a.fed_back_at?.toISOString() ?? null })),
    attachments: attachments.map((a) => ({ id: a.id, fileName: a.file_name, mimeType: a.mime_type, sizeBytes: a.size_bytes, uploadedAt: a.uploaded_at.toISOString() })),
    possibleDuplicates: duplicates,
  };
}

/** A cheap approximation for lists: co-handling counts are not looked up per row. */
function listActions(c: CaseRow, user: SessionUser): CaseAction[] {
  const handler = user.roles.includes('handler') && user.departmentId !== null && c.dispatched_at !== null;
  return allowedActions(
    { status: c.status as never, designated: c.designated, pendingExtension: c.pending_extension_days !== null, rated: c.rating !== null, coPending: 0, hasDepartment: c.department_id !== null, handlingLevel: c.handling_level },
    { roles: user.roles, atHandlingCentre: c.handling_path.startsWith(user.jurisdictionPath), leadHandler: handler && c.department_id === user.departmentId, pendingCoHandler: false },
  );
}

export async function caseRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config, grids } = app.ctx;
  await app.register(attachmentRoutes);
  const langOf = (h: string | string[] | undefined) => ((Array.isArray(h) ? h[0] : h)?.toLowerCase().startsWith('en') ? 'en' : 'zh') as 'zh' | 'en';

  app.get(
    '/api/case-vocabulary',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['cases'],
        summary: '案件状态、动作与结案方式的名称 / Labels of statuses, actions and close reasons',
        response: { 200: Type.Object({ statuses: Type.Record(Type.String(), Type.Object({ type: Type.String(), zh: Type.String(), en: Type.String() })), actions: Type.Record(Type.String(), Type.Object({ zh: Type.String(), en: Type.String() })), closeReasons: Type.Record(Type.String(), Type.Object({ zh: Type.String(), en: Type.String() })) }) },
      },
    },
    async () => ({ statuses: CASE_STATUSES, actions: ACTION_LABELS, closeReasons: CLOSE_REASONS }),
  );

  app.post(
    '/api/cases',
    {
      config: { auth: 'case:create' },
      schema: {
        tags: ['cases'],
        summary: '登记案件（一窗受理）/ Take in a case',
        description: 'Send `Idempotency-Key` to make retries safe: the same key and body answer the first case; another body with the same key is 409.',
        headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }),
        body: IntakeBody,
        response: { 201: CaseDetail, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const result = await intakeCase(
        { db, config, grids, ip: request.ip },
        { kind: 'user', id: user.id, name: user.displayName, jurisdictionPath: user.jurisdictionPath, jurisdictionCode: user.jurisdictionCode },
        request.body,
        request.headers['idempotency-key'],
      );
      const c = await findCase(db, result.caseId, user);
      if (!c) throw notFound('案件不存在', 'Case not found');
      reply.status(201);
      return detail(app, user, c, langOf(request.headers['accept-language']), result.duplicates);
    },
  );

  app.get(
    '/api/cases/suggest-matter',
    {
      config: { auth: 'case:create' },
      schema: {
        tags: ['cases'],
        summary: '按描述推荐事项类型 / Suggest matter types from the text',
        querystring: Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }),
        response: { 200: ListOf(Type.Object({ code: Type.String(), name: Type.String(), score: Type.Number(), matched: Type.Array(Type.String()) })), ...errorResponses },
      },
    },
    async (request) => {
      const catalogue = await db.selectFrom('matter_type').select(['code', 'name', 'keywords']).where('active', '=', true).execute();
      const items = suggestMatterTypes(request.query.text, catalogue);
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/cases/duplicates',
    {
      config: { auth: 'case:create' },
      schema: {
        tags: ['cases'],
        summary: '疑似重复案件 / Possible duplicates near a point',
        querystring: Type.Object({ matterTypeCode: Type.String({ maxLength: 20 }), lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }),
        response: { 200: ListOf(Duplicate), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { matterTypeCode, lng, lat } = request.query;
      const since = new Date(Date.now() - config.duplicateWindowDays * 86_400_000);
      const near = await nearbyOpenCases(db, { matterTypeCode, box: boxAround({ lng, lat }, config.duplicateRadiusM), since });
      const items = near
        .filter((n) => n.jurisdiction_path.startsWith(user.jurisdictionPath))
        .map((n) => ({ id: n.id, number: n.number, title: n.title, distanceM: Math.round(distanceMetres({ lng, lat }, { lng: n.lng!, lat: n.lat! })), createdAt: n.created_at.toISOString(), supporterCount: n.supporter_count }))
        .filter((n) => n.distanceM <= config.duplicateRadiusM);
      return { items, total: items.length };
    },
  );

  app.get(
    '/api/cases',
    {
      config: { auth: 'case:read' },
      schema: {
        tags: ['cases'],
        summary: '案件列表 / Cases in scope',
        querystring: Type.Intersect([
          PageQuery,
          Type.Object({
            status: Type.Optional(Status),
            statusType: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])),
            matterTypeCode: Type.Optional(Type.String({ maxLength: 20 })),
            departmentId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
            jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{6})?$' })),
            channel: Type.Optional(Channel),
            overdue: Type.Optional(Type.Boolean()),
            warningLevel: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('yellow'), Type.Literal('red')])),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('deadline'), Type.Literal('supporters')])),
          }),
        ]),
        response: { 200: ListOf(CaseSummary), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { jurisdictionCode, ...filters } = request.query;
      let underPath: string | undefined;
      if (jurisdictionCode) {
        const j = await findInScope(db, jurisdictionCode, user);
        if (!j) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
        underPath = j.path;
      }
      const now = new Date();
      const { items, total } = await listCases(db, user, { ...filters, underPath, ...page(request.query) }, now);
      return { items: items.map((c) => toCase(c, listActions(c, user), now)), total };
    },
  );

  app.get(
    '/api/cases/:id',
    { config: { auth: 'case:read' }, schema: { tags: ['cases'], summary: '案件详情与时间线 / A case with its timeline', params: Id, response: { 200: CaseDetail, ...errorResponses } } },
    async (request) => {
      const user = currentUser(request);
      const c = await findCase(db, request.params.id, user);
      if (!c) throw notFound('案件不存在或不在您的管辖范围内', 'Case not found or outside your scope');
      return detail(app, user, c, langOf(request.headers['accept-language']));
    },
  );

  app.post(
    '/api/cases/:id/actions/:action',
    {
      config: { auth: 'case:act' },
      schema: {
        tags: ['cases'],
        summary: '案件流转动作 / Take a lifecycle action',
        description: 'Actions: ' + Object.entries(ACTION_LABELS).map(([k, v]) => `${k} (${v.zh})`).join(', '),
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), action: Action }),
        body: Type.Optional(ActionBodySchema),
        response: { 200: CaseDetail, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const body = (request.body ?? {}) as ActionBody;
      const updated = await performAction(db, user, request.params.id, request.params.action as CaseAction, body, request.ip);
      const visible = await findCase(db, updated.id, user);
      if (!visible) throw notFound('案件已移出您的管辖范围', 'The case has left your scope');
      return detail(app, user, visible, langOf(request.headers['accept-language']));
    },
  );

  app.get(
    '/api/supervision',
    {
      config: { auth: 'supervision:read' },
      schema: {
        tags: ['cases'],
        summary: '督办事项 / Open supervision items (overdue cases) in scope',
        querystring: PageQuery,
        response: {
          200: ListOf(
            Type.Object({
              id: Type.Integer(),
              kind: Type.String(),
              note: Type.String(),
              openedAt: Type.String({ format: 'date-time' }),
              jurisdictionCode: Type.String(),
              caseId: Type.Integer(),
              caseNumber: Type.String(),
              caseTitle: Type.String(),
              deadline: Type.Union([Type.String(), Type.Null()]),
              departmentId: Type.Union([Type.Integer(), Type.Null()]),
            }),
          ),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { limit, offset } = page(request.query);
      const [rows, total] = await listSupervision(db, currentUser(request).jurisdictionPath, limit, offset);
      return {
        items: rows.map((r) => ({ id: r.id, kind: r.kind, note: r.note, openedAt: r.opened_at.toISOString(), jurisdictionCode: r.jurisdiction_code, caseId: r.case_id, caseNumber: r.number, caseTitle: r.title, deadline: r.deadline?.toISOString() ?? null, departmentId: r.department_id })),
        total: Number(total.n),
      };
    },
  );

  app.post(
    '/api/cases/:id/supporters',
    {
      config: { auth: 'case:support' },
      schema: {
        tags: ['cases'],
        summary: '附议（我也反映过）/ Me too',
        params: Id,
        body: Type.Optional(Type.Object({ name: Type.Optional(Type.String({ maxLength: 50 })), phone: Type.Optional(Phone), channel: Type.Optional(Channel) })),
        response: { 200: Type.Object({ supporterCount: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const c = await findCase(db, request.params.id, user);
      if (!c) throw notFound('案件不存在或不在您的管辖范围内', 'Case not found or outside your scope');
      if (c.status_type !== 'open') throw badRequest('id', '案件已办结，不能附议', 'The case is closed; it takes no more supporters', 'closed');
      return { supporterCount: await addSupporter(db, c, { userId: user.id, actorName: user.displayName, name: request.body?.name ?? null, phone: request.body?.phone ?? null, channel: request.body?.channel ?? 'grid' }) };
    },
  );
}
