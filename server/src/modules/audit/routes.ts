import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { badRequest } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { currentUser } from '../auth/plugin.js';
import { BOM, csvLine, watermark } from './csv.js';
import { type AuditFilter, type AuditItem, countAudit, exportAudit, listAudit, recordAudit, sealAuditLog, verifyAuditChain } from './repository.js';

const Result = Type.Union([Type.Literal('ok'), Type.Literal('denied'), Type.Literal('failed')]);
const TIME_HELP = 'ISO 8601; a date alone (2026-11-21) or a time without offset is China Standard Time (+08:00)';
const Filters = Type.Object({
  actorId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'exact, or a prefix ending in * (case.*)' })),
  entity: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  from: Type.Optional(Type.String({ maxLength: 40, description: `from this time (inclusive); ${TIME_HELP}` })),
  to: Type.Optional(Type.String({ maxLength: 40, description: `before this time (exclusive); ${TIME_HELP}` })),
  result: Type.Optional(Result),
});
type Filters = Static<typeof Filters>;

const Item = Type.Object({
  id: Type.Integer(),
  seq: Type.Union([Type.Integer(), Type.Null()], { description: 'position in the hash chain; null until sealed (seconds)' }),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.Integer(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  entity: Type.String(),
  entityId: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.Union([Type.String(), Type.Null()]),
  result: Result,
  ip: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

const Verification = Type.Union([
  Type.Object({ ok: Type.Literal(true), count: Type.Integer(), lastSeq: Type.Integer(), lastHash: Type.Union([Type.String(), Type.Null()]) }),
  Type.Object({
    ok: Type.Literal(false),
    reason: Type.Union([Type.Literal('hash_mismatch'), Type.Literal('missing_entry'), Type.Literal('prev_hash_mismatch')]),
    brokenAt: Type.Object({ seq: Type.Integer(), id: Type.Integer(), at: Type.String(), action: Type.String() }, { description: 'the first entry that does not follow from the ones before it' }),
    missingSeq: Type.Optional(Type.Integer({ description: 'missing_entry: the first seq that is gone' })),
    count: Type.Integer({ description: 'entries verified before the break' }),
  }),
]);

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?$/;
const ZONED_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function parseTime(field: 'from' | 'to', value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const text = LOCAL_TIME.test(value) ? `${value.length === 10 ? `${value}T00:00:00` : value.replace(' ', 'T')}+08:00` : ZONED_TIME.test(value) ? value.replace(' ', 'T') : null;
  const date = text === null ? null : new Date(text);
  if (!date || Number.isNaN(date.getTime())) throw badRequest(field, `字段 ${field} 不是有效的时间（ISO 8601）`, `Field ${field} is not a valid time (ISO 8601)`);
  return date;
}

function toFilter(q: Filters): AuditFilter {
  return { actorId: q.actorId, action: q.action, entity: q.entity, entityId: q.entityId, result: q.result, from: parseTime('from', q.from), to: parseTime('to', q.to) };
}

const toView = (i: AuditItem) => ({ ...i, at: i.at.toISOString() });

const CSV_COLUMNS = ['seq', 'id', 'at', 'actorId', 'actorUsername', 'actorName', 'action', 'entity', 'entityId', 'purpose', 'result', 'ip', 'detail', 'hash'] as const;

/** Someone other than the auditor reaching for the audit log is recorded as `audit.access` (auth plugin). */
const AUDIT_REFUSAL = { action: 'audit.access', entity: 'audit_event' };

/** The auditor's routes: search, verify and export the audit log. Every call seals pending entries first. */
export async function auditRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/audit',
    {
      config: { auth: 'audit:read', refusal: AUDIT_REFUSAL },
      schema: {
        tags: ['audit'],
        summary: '审计日志查询 / Search the audit log (newest first)',
        querystring: Type.Intersect([PageQuery, Filters]),
        response: { 200: ListOf(Item), ...errorResponses },
      },
    },
    async (request) => {
      const filter = toFilter(request.query);
      await sealAuditLog(db);
      const { items, total } = await listAudit(db, filter, page(request.query));
      return { items: items.map(toView), total };
    },
  );

  app.get(
    '/api/audit/verify',
    {
      config: { auth: 'audit:read', refusal: AUDIT_REFUSAL },
      schema: { tags: ['audit'], summary: '校验审计日志哈希链 / Verify the hash chain; names the first broken entry', response: { 200: Verification, ...errorResponses } },
    },
    async (request) => {
      const result = await verifyAuditChain(db);
      const detail = result.ok ? { ok: true, lastSeq: result.lastSeq, lastHash: result.lastHash } : { ok: false, reason: result.reason, brokenAt: result.brokenAt };
      await recordAudit(db, { actorId: currentUser(request).id, action: 'audit.verify', entity: 'audit_event', detail, ip: request.ip });
      return result;
    },
  );

  app.get(
    '/api/audit/export',
    {
      config: { auth: 'audit:read', refusal: AUDIT_REFUSAL },
      schema: {
        tags: ['audit'],
        summary: '导出审计日志 CSV / Export the audit log as CSV (UTF-8 with BOM, oldest first; the export is itself audited)',
        querystring: Filters,
        produces: ['text/csv'],
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const filter = toFilter(request.query);
      await sealAuditLog(db);
      const count = await countAudit(db, filter);
      const now = new Date();
      await recordAudit(db, { actorId: user.id, action: 'audit.export', entity: 'audit_event', detail: { filter: request.query, count }, ip: request.ip });
      async function* csv() {
        yield BOM + watermark(user.username, now) + csvLine(CSV_COLUMNS);
        for await (const items of exportAudit(db, filter)) {
          yield items.map((i) => csvLine(CSV_COLUMNS.map((c) => i[c]))).join('');
        }
      }
      const stamp = now.toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
      reply.header('Content-Type', 'text/csv; charset=utf-8');
      reply.header('Content-Disposition', `attachment; filename="audit-${stamp}.csv"`);
      reply.header('Cache-Control', 'no-store');
      return reply.send(Readable.from(csv()));
    },
  );
}
