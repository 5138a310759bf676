import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { badRequest } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { currentUser } from '../auth/plugin.js';
import { sealAnchor } from './anchors.js';
import { BOM, csvLine, watermark } from './csv.js';
import { type AuditFilter, type AuditItem, countAudit, describeVerification, exportAudit, listAudit, recordAudit, sealAuditLog, verifyAuditChain } from './repository.js';

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

const SealRef = Type.Object({
  no: Type.Integer(),
  at: Type.String(),
  lastSeq: Type.Integer(),
  headHash: Type.String(),
  source: Type.Union([Type.Literal('table'), Type.Literal('file')], { description: 'the audit_seal table, or the seal file outside the database' }),
});
const Verification = Type.Union([
  Type.Object({
    ok: Type.Literal(true),
    count: Type.Integer(),
    lastSeq: Type.Integer(),
    lastHash: Type.Union([Type.String(), Type.Null()]),
    seals: Type.Integer({ description: 'seals of the audit_seal table the log agrees with' }),
    fileSeals: Type.Union([Type.Integer(), Type.Null()], { description: 'seals of the seal file (ZHILI_AUDIT_SEAL_FILE) it agrees with; null without one' }),
    message: Type.String(),
  }),
  Type.Object({
    ok: Type.Literal(false),
    reason: Type.Union(
      ['hash_mismatch', 'missing_entry', 'prev_hash_mismatch', 'missing_tail', 'seal_mismatch', 'seal_missing', 'seal_chain_broken', 'seal_file_damaged'].map((r) => Type.Literal(r)),
    ),
    brokenAt: Type.Optional(Type.Object({ seq: Type.Integer(), id: Type.Integer(), at: Type.String(), action: Type.String() }, { description: 'the first entry that does not follow from the ones before it' })),
    missingSeq: Type.Optional(Type.Integer({ description: 'missing_entry: the first seq that is gone' })),
    missingFrom: Type.Optional(Type.Integer({ description: 'the first seq gone (missing_entry, missing_tail) or replaced (seal_mismatch)' })),
    missingTo: Type.Optional(Type.Integer({ description: 'the last seq gone or replaced' })),
    seal: Type.Optional(SealRef),
    foundHash: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    damage: Type.Optional(Type.String()),
    count: Type.Integer({ description: 'entries verified before the break' }),
    message: Type.String({ description: 'what was found, for people' }),
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
  const { db, config } = app.ctx;
  const onSeal = sealAnchor({ logger: app.log, file: config.auditSealFile });

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
      await sealAuditLog(db, { onSeal });
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
      const result = await verifyAuditChain(db, { onSeal, sealFile: config.auditSealFile });
      const detail = result.ok
        ? { ok: true, lastSeq: result.lastSeq, lastHash: result.lastHash, seals: result.seals, fileSeals: result.fileSeals }
        : { ok: false, reason: result.reason, brokenAt: result.brokenAt, missingFrom: result.missingFrom, missingTo: result.missingTo, seal: result.seal };
      await recordAudit(db, { actorId: currentUser(request).id, action: 'audit.verify', entity: 'audit_event', detail, ip: request.ip });
      return { ...result, message: describeVerification(result) };
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
      await sealAuditLog(db, { onSeal });
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
