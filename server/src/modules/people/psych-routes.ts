import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest, notFound } from '../../http/errors.js';
import { errorResponses, ListOf } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser, type SessionUser } from '../auth/index.js';
import { findCase } from '../cases/index.js';
import { fieldCipherFor } from '../privacy/index.js';
import { assertCareLevel } from './access.js';
import { viewerOf } from '../access/index.js';
import { findPerson, insertCrisis, insertReferral, psychRecords } from './repository.js';

const Ref = Type.Object({ personId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), caseId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })) });
const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Record_ = Type.Object({ id: Type.Integer(), kind: Type.String(), personId: Nullable(Type.Integer()), caseId: Nullable(Type.Integer()), at: Type.String(), station: Nullable(Type.String()), severity: Nullable(Type.String()), status: Nullable(Type.String()), text: Type.String(), outcome: Nullable(Type.String()) });

/** Psychological service (R4.3): referrals to service stations and crisis-intervention records, on a person served or a case. */
export async function psychRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const pii = fieldCipherFor(config);

  /** The subject's jurisdiction path, if the user may see it; exactly one of person or case. */
  async function subjectPath(user: SessionUser, ref: { personId?: number | undefined; caseId?: number | undefined }): Promise<string> {
    if ((ref.personId === undefined) === (ref.caseId === undefined)) throw badRequest('personId', '请指定服务对象或案件之一', 'Give either a person served or a case', 'required');
    if (ref.personId !== undefined) {
      const p = await findPerson(db, ref.personId, viewerOf(user));
      if (!p) throw notFound('服务对象不存在或不在您的管辖范围内', 'Person not found or outside your scope');
      return p.jurisdiction_path;
    }
    const c = await findCase(db, ref.caseId!, user);
    if (!c) throw notFound('案件不存在或不在您的管辖范围内', 'Case not found or outside your scope');
    return c.jurisdiction_path;
  }

  app.post(
    '/api/psych/referrals',
    {
      config: { auth: 'people:manage' },
      schema: { tags: ['people'], summary: '转介心理服务站 / Refer to a psychological service station', body: Type.Intersect([Ref, Type.Object({ station: Type.String({ minLength: 2, maxLength: 100 }), reason: Type.String({ minLength: 2, maxLength: 2000 }) })]), response: { 201: Type.Object({ id: Type.Integer() }), ...errorResponses } },
    },
    async (request, reply) => {
      const user = currentUser(request);
      assertCareLevel(user);
      const path = await subjectPath(user, request.body);
      const id = await db.transaction().execute(async (trx) => {
        const referralId = await insertReferral(trx, { personId: request.body.personId ?? null, caseId: request.body.caseId ?? null, station: request.body.station, sealedReason: pii.encryptField(request.body.reason)!, path, referredBy: user.id });
        await recordAudit(trx, { actorId: user.id, action: 'psych.refer', entity: 'psych_referral', entityId: String(referralId), detail: { personId: request.body.personId, caseId: request.body.caseId, station: request.body.station }, ip: request.ip });
        return referralId;
      });
      reply.status(201);
      return { id };
    },
  );

  app.post(
    '/api/psych/crisis',
    {
      config: { auth: 'people:manage' },
      schema: {
        tags: ['people'],
        summary: '记录危机干预 / Record a crisis intervention',
        body: Type.Intersect([Ref, Type.Object({ severity: Type.Union(['low', 'medium', 'high', 'imminent'].map((s) => Type.Literal(s))), occurredAt: Type.String({ format: 'date-time' }), measures: Type.String({ minLength: 2, maxLength: 4000 }), outcome: Type.Optional(Type.String({ maxLength: 2000 })) })]),
        response: { 201: Type.Object({ id: Type.Integer() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      assertCareLevel(user);
      const path = await subjectPath(user, request.body);
      const b = request.body;
      const id = await db.transaction().execute(async (trx) => {
        const row = { id: await insertCrisis(trx, { personId: b.personId ?? null, caseId: b.caseId ?? null, severity: b.severity as 'low', occurredAt: b.occurredAt, sealedMeasures: pii.encryptField(b.measures)!, sealedOutcome: pii.encryptField(b.outcome ?? null), path, recordedBy: user.id }) };
        await recordAudit(trx, { actorId: user.id, action: 'psych.crisis', entity: 'crisis_intervention', entityId: String(row.id), detail: { personId: b.personId, caseId: b.caseId, severity: b.severity }, ip: request.ip });
        return row.id;
      });
      reply.status(201);
      return { id };
    },
  );

  app.get(
    '/api/psych/records',
    { config: { auth: 'people:read' }, schema: { tags: ['people'], summary: '心理服务记录 / Referrals and crisis records of a person or a case', querystring: Ref, response: { 200: ListOf(Record_), ...errorResponses } } },
    async (request) => {
      const user = currentUser(request);
      assertCareLevel(user);
      await subjectPath(user, request.query);
      const { personId, caseId } = request.query;
      const { refs, crises } = await psychRecords(db, personId !== undefined ? { personId } : { caseId: caseId! });
      const items = [
        ...refs.map((r) => ({ id: r.id, kind: 'referral', personId: r.person_id, caseId: r.case_id, at: r.referred_at.toISOString(), station: r.station, severity: null, status: r.status, text: pii.readStored(r.reason) ?? '', outcome: null })),
        ...crises.map((c) => ({ id: c.id, kind: 'crisis', personId: c.person_id, caseId: c.case_id, at: c.occurred_at.toISOString(), station: null, severity: c.severity, status: null, text: pii.readStored(c.measures) ?? '', outcome: pii.readStored(c.outcome) })),
      ].sort((a, b) => a.at.localeCompare(b.at));
      return { items, total: items.length };
    },
  );
}
