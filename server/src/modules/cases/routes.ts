import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { badRequest, forbidden, langOf, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser, may, type SessionUser } from '../auth/index.js';
import { findInScope } from '../jurisdictions/index.js';
import { checkPhone, type FieldCipher, fieldCipherFor } from '../privacy/index.js';
import { labelAndExportRoutes } from './label-routes.js';
import type { ActionBody } from './actions.js';
import { suggestMatterTypes } from './classify.js';
import { Action, ActionBodySchema, CaseSummary, Channel, Status, toCase } from './dto.js';
import { type CreatedCase, intakeCase, STAFF_CHANNELS } from './intake.js';
import { ACTION_LABELS, type CaseAction, caseLifecycle, CASE_STATUSES, CLOSE_REASONS } from './lifecycle.js';
import { caseAssignments, caseAttachments, caseEvents, type CaseRow, findCase, LIST_COUNT_CAP, listCases, listSupervision } from './repository.js';
import { viewerOf } from '../access/index.js';
import { possibleDuplicates } from './duplicates.js';
import { routingReference } from './routing.js';
import { addSupporter, revealSupporters } from './supporters.js';
import { attachmentRoutes } from './attachments.js';
import { bulkRoutes } from './bulk-routes.js';
import { actorFactsOf, caseFactsOf, caseWorkflow } from './workflow.js';
import { nextActions, runAction } from '../workflow/index.js';

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
    attachments: Type.Array(Type.Object({ id: Type.Integer(), fileName: Type.String(), label: Type.String(), mimeType: Type.String(), sizeBytes: Type.Integer(), uploadedAt: Type.String() })),
    possibleDuplicates: Type.Array(Duplicate),
  }),
]);

const REVEALABLE = ['reporterName', 'reporterPhone', 'supporters'] as const;

const RevealBody = Type.Object({
  fields: Type.Array(Type.Union(REVEALABLE.map((f) => Type.Literal(f))), { minItems: 1, maxItems: REVEALABLE.length, uniqueItems: true }),
  purpose: Type.String({ minLength: 4, maxLength: 200, description: '用途，如“回访核实诉求” / why, e.g. calling the reporter back' }),
});

const Revealed = Type.Object({
  caseId: Type.Integer(),
  fields: Type.Array(Type.String()),
  reporterName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  reporterPhone: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  supporters: Type.Optional(Type.Array(Type.Object({ id: Type.Integer(), name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), channel: Type.String(), createdAt: Type.String() }))),
});

async function detail(app: FastifyInstance, pii: FieldCipher, user: SessionUser, c: CaseRow, lang: 'zh' | 'en', duplicates: Static<typeof Duplicate>[] = [], created?: CreatedCase, known?: CaseAction[]) {
  const { db } = app.ctx;
  // a case just taken in has its one timeline entry, no assignments, no attachments: nothing to read back
  const [events, assignments, attachments, actions] = created
    ? [[created.event], [], [], listActions(c, user)]
    : await Promise.all([caseEvents(db, c.id), caseAssignments(db, c.id), caseAttachments(db, c.id), known ?? nextActions(db, caseWorkflow, c, user)]);
  return {
    ...toCase(c, actions, pii),
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
    attachments: attachments.map((a) => ({ id: a.id, fileName: a.file_name, label: a.label, mimeType: a.mime_type, sizeBytes: a.size_bytes, uploadedAt: a.uploaded_at.toISOString() })),
    possibleDuplicates: duplicates,
  };
}

/** A cheap approximation for lists: co-handling counts are not looked up per row. */
const listActions = (c: CaseRow, user: SessionUser): CaseAction[] => caseLifecycle.allowed(caseFactsOf(c, 0), actorFactsOf(c, user, false));

export async function caseRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config, grids } = app.ctx;
  // at registration: without keys (PostgreSQL and no ZHILI_PII_KEYS) the server refuses to start
  const pii = fieldCipherFor(config);
  await app.register(attachmentRoutes);
  await app.register(bulkRoutes);
  await app.register(labelAndExportRoutes);

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
        { kind: 'user', id: user.id, name: user.displayName, jurisdictionPath: user.jurisdictionPath, jurisdictionCode: user.jurisdictionCode, clearance: user.clearance, viewer: viewerOf(user) },
        request.body,
        request.headers['idempotency-key'],
      );
      const c = result.created?.row ?? (await findCase(db, result.caseId, user));
      if (!c) throw notFound('案件不存在', 'Case not found');
      reply.status(201);
      return detail(app, pii, user, c, langOf(request), result.duplicates, result.created);
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
      const items = suggestMatterTypes(request.query.text, (await routingReference(db)).catalogue);
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
      const items = await possibleDuplicates(db, {
        matterTypeCode,
        point: { lng, lat },
        radiusM: config.duplicateRadiusM,
        windowDays: config.duplicateWindowDays,
        viewer: viewerOf(user),
      });
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
            reporterPhone: Type.Optional(Type.String({ minLength: 7, maxLength: 30, description: "exact match on the reporter's phone (keyed hash); needs personal:reveal and is audited" })),
            sort: Type.Optional(Type.Union([Type.Literal('newest'), Type.Literal('deadline'), Type.Literal('supporters')])),
          }),
        ]),
        response: {
          200: Type.Composite([
            ListOf(CaseSummary),
            Type.Object({ totalCapped: Type.Boolean({ description: `true: more than ${LIST_COUNT_CAP} cases match and total is a lower bound` }) }),
          ]),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { jurisdictionCode, reporterPhone, ...filters } = request.query;
      let underPath: string | undefined;
      if (jurisdictionCode) {
        const j = await findInScope(db, jurisdictionCode, user);
        if (!j) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
        underPath = j.path;
      }
      let reporterPhoneHash: string | undefined;
      if (reporterPhone !== undefined) {
        // who reported what is personal data: only staff who may reveal it may look a phone up
        if (!may(user.roles, 'personal:reveal')) throw forbidden();
        const phone = checkPhone(reporterPhone);
        if (!phone.ok) throw badRequest('reporterPhone', 'reporterPhone 不是有效的手机号或固定电话', 'reporterPhone is not a valid mobile or landline number', 'invalid');
        reporterPhoneHash = pii.searchHash(phone.value, 'phone');
      }
      const now = new Date();
      const { items, total, totalCapped } = await listCases(db, user, { ...filters, underPath, reporterPhoneHash, ...page(request.query) }, now);
      if (reporterPhoneHash) await recordAudit(db, { actorId: user.id, action: 'personal.search', entity: 'case', detail: { field: 'reporterPhone', matches: total }, ip: request.ip });
      return { items: items.map((c) => toCase(c, listActions(c, user), pii, now)), total, totalCapped };
    },
  );

  app.get(
    '/api/cases/:id',
    { config: { auth: 'case:read' }, schema: { tags: ['cases'], summary: '案件详情与时间线 / A case with its timeline', params: Id, response: { 200: CaseDetail, ...errorResponses } } },
    async (request) => {
      const user = currentUser(request);
      const c = await findCase(db, request.params.id, user);
      if (!c) throw notFound('案件不存在或不在您的管辖范围内', 'Case not found or outside your scope');
      return detail(app, pii, user, c, langOf(request));
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
      const { record, allowedActions } = await runAction(db, caseWorkflow, { id: request.params.id, action: request.params.action as CaseAction, actor: user, body, expectedVersion: body.expectedVersion, ip: request.ip });
      if (!record) throw notFound('案件已移出您的管辖范围', 'The case has left your scope');
      return detail(app, pii, user, record, langOf(request), [], undefined, allowedActions);
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
      const [rows, total] = await listSupervision(db, viewerOf(currentUser(request)), limit, offset);
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
      return { supporterCount: await addSupporter(db, pii, c, { userId: user.id, actorName: user.displayName, name: request.body?.name ?? null, phone: request.body?.phone ?? null, channel: request.body?.channel ?? 'grid', ip: request.ip }) };
    },
  );
  app.post(
    '/api/cases/:id/reveal',
    {
      config: { auth: 'personal:reveal' },
      schema: {
        tags: ['cases'],
        summary: '查看个人信息明文（须说明用途，记入审计）/ Reveal personal data of a case for a stated purpose',
        description: 'Answers the plain values of the fields asked for; writes an audit entry `personal.reveal` with the purpose and the field names (never the values). Out of scope: 404.',
        params: Id,
        body: RevealBody,
        response: { 200: Revealed, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { fields, purpose } = request.body;
      if (purpose.trim().length < 4) throw badRequest('purpose', '请说明查看用途（至少 4 个字）', 'State the purpose (at least 4 characters)', 'required');
      const audit = { actorId: user.id, action: 'personal.reveal', entity: 'case', entityId: String(request.params.id), purpose: purpose.trim(), ip: request.ip };
      const revealed = await db.transaction().execute(async (trx) => {
        const c = await findCase(trx, request.params.id, user);
        if (!c) return null;
        const out: Static<typeof Revealed> = { caseId: c.id, fields: [...fields] };
        if (fields.includes('reporterName')) out.reporterName = pii.readStored(c.reporter_name);
        if (fields.includes('reporterPhone')) out.reporterPhone = pii.readStored(c.reporter_phone);
        if (fields.includes('supporters')) out.supporters = await revealSupporters(trx, pii, c.id);
        // the entry commits with the read: no values leave without it
        await recordAudit(trx, { ...audit, detail: { number: c.number, fields }, result: 'ok' });
        return out;
      });
      if (!revealed) {
        await recordAudit(db, { ...audit, detail: { fields }, result: 'denied' });
        throw notFound('案件不存在或不在您的管辖范围内', 'Case not found or outside your scope');
      }
      return revealed;
    },
  );
}
