import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError, badRequest, notFound } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { Channel, maskedReporter, Status } from './dto.js';
import { countCases, findCaseForLabel, insertEvent, listCases, setCaseLabel } from './repository.js';
import { findInScope } from '../jurisdictions/index.js';
import { caseExportCsv, EXPORT_MAX_ROWS, exportFileName } from './export.js';
import { decideLabelChange, fieldCipherFor, LABEL_NAMES, type LabelRefusal, SECURITY_LABELS } from '../privacy/index.js';

const Label = Type.Union(SECURITY_LABELS.map((l) => Type.Literal(l)));

const ExportQuery = Type.Object({
  format: Type.Optional(Type.Literal('csv')),
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
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: EXPORT_MAX_ROWS, description: `the most rows this export may hold (at most ${EXPORT_MAX_ROWS}); more matching cases: 400` })),
  purpose: Type.Optional(Type.String({ minLength: 4, maxLength: 200, description: '用途，记入审计 / why, recorded in the audit entry' })),
});

const REFUSALS: Record<Exclude<LabelRefusal, 'unchanged'>, AppError> = {
  lower_needs_security_admin: new AppError(403, 'lower_needs_security_admin', { zh: '降低密级须由安全管理员操作', en: 'Only the security administrator lowers a label' }, 'label'),
  not_at_centre: new AppError(403, 'not_at_centre', { zh: '只有案件所在中心的调度员或督办员可以提高密级', en: "Only a dispatcher or supervisor at the case's centre raises its label" }, 'label'),
  above_clearance: new AppError(403, 'above_clearance', { zh: '不能把密级提高到超出您许可级别的程度', en: 'You cannot raise a label above your own clearance' }, 'label'),
};

/** Security labels of cases and the case export (docs/SECURITY.md); registered by the case routes. */
export async function labelAndExportRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const pii = fieldCipherFor(config);

  app.post(
    '/api/cases/:id/label',
    {
      config: { auth: 'case:label' },
      schema: {
        tags: ['cases'],
        summary: '设置案件密级（提高：本中心调度员、督办员；降低：安全管理员）/ Set a case’s security label',
        description: 'Raising: a dispatcher or supervisor at the case’s centre, up to their clearance. Lowering: the security admin. Audited (`case.label`, with the reason); refusals are audited as `denied`.',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        body: Type.Object({ label: Label, reason: Type.String({ minLength: 2, maxLength: 500 }) }),
        response: { 200: Type.Object({ caseId: Type.Integer(), number: Type.String(), securityLabel: Label, previousLabel: Label, version: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { label } = request.body;
      const reason = request.body.reason.trim();
      if (reason.length < 2) throw badRequest('reason', '请说明调整密级的理由', 'State the reason for the change', 'required');
      const audit = { actorId: user.id, action: 'case.label', entity: 'case', entityId: String(request.params.id), ip: request.ip };
      const outcome = await db.transaction().execute(async (trx) => {
        const c = await findCaseForLabel(trx, request.params.id, user);
        if (!c) return { kind: 'missing' } as const;
        const decision = decideLabelChange(c.security_label, label, { roles: user.roles, clearance: user.clearance, atCentre: c.handling_path.startsWith(user.jurisdictionPath) });
        if (!decision.ok) return { kind: 'refused', refusal: decision.refusal, from: c.security_label, number: c.number } as const;
        const updated = await setCaseLabel(trx, c.id, label, new Date());
        await insertEvent(trx, { caseId: c.id, actorId: user.id, actorName: user.displayName, action: 'label', from: c.status, to: c.status, note: `密级 ${LABEL_NAMES[c.security_label].zh} → ${LABEL_NAMES[label].zh}：${reason}`, detail: { from: c.security_label, to: label } });
        await recordAudit(trx, { ...audit, detail: { number: c.number, from: c.security_label, to: label, direction: decision.direction, reason } });
        return { kind: 'done', answer: { caseId: updated.id, number: updated.number, securityLabel: updated.security_label, previousLabel: c.security_label, version: updated.version } } as const;
      });
      if (outcome.kind === 'done') return outcome.answer;
      if (outcome.kind === 'missing') {
        await recordAudit(db, { ...audit, detail: { to: label }, result: 'denied' });
        throw notFound('案件不存在或不在您的管辖范围内', 'Case not found or outside your scope');
      }
      if (outcome.refusal === 'unchanged') throw badRequest('label', '案件已是该密级', 'The case already has this label', 'unchanged');
      await recordAudit(db, { ...audit, detail: { number: outcome.number, from: outcome.from, to: label, refusal: outcome.refusal }, result: 'denied' });
      throw REFUSALS[outcome.refusal];
    },
  );

  app.get(
    '/api/cases/export',
    {
      config: { auth: 'case:export' },
      schema: {
        tags: ['cases'],
        summary: '导出案件 CSV（脱敏、带水印、记入审计）/ Export the cases in scope as CSV: masked, watermarked, audited',
        description: `The list filters; UTF-8 with BOM; a watermark naming the exporting user and time as the first and the last line; at most ${EXPORT_MAX_ROWS} rows (more matching cases: 400 on \`limit\`). Names and phones are masked, never plain.`,
        querystring: ExportQuery,
        produces: ['text/csv'],
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const { jurisdictionCode, limit, purpose, sort, format, ...filters } = request.query;
      const max = limit ?? EXPORT_MAX_ROWS;
      let underPath: string | undefined;
      if (jurisdictionCode) {
        const j = await findInScope(db, jurisdictionCode, user);
        if (!j) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
        underPath = j.path;
      }
      const now = new Date();
      const total = await countCases(db, user, { ...filters, underPath }, now);
      if (total > max) {
        throw badRequest('limit', `符合条件的案件有 ${total} 件，超过导出上限 ${max} 件，请缩小筛选范围`, `${total} cases match, more than the export limit of ${max}; narrow the filters`, 'too_many');
      }
      const { items } = await listCases(db, user, { ...filters, underPath, sort, limit: max, offset: 0 }, now);
      // decrypted in memory only to be masked, as in every case response; no plain value is written
      const csv = caseExportCsv(items.map((c) => ({ ...c, reporter: maskedReporter(pii, c) })), user, now);
      // the filters and the count, never the content
      const filterEcho = { ...filters, jurisdictionCode, sort, limit };
      await recordAudit(db, { actorId: user.id, action: 'case.export', entity: 'case', detail: { filters: filterEcho, rows: items.length, format: format ?? 'csv' }, purpose: purpose?.trim() || null, ip: request.ip });
      reply.header('Content-Type', 'text/csv; charset=utf-8');
      reply.header('Content-Disposition', `attachment; filename="${exportFileName(now)}"`);
      reply.header('Cache-Control', 'no-store');
      return reply.send(csv);
    },
  );
}
