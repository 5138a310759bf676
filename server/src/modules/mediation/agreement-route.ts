import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError, notFound } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { caseNumberOf } from '../cases/index.js';
import { fieldCipherFor } from '../privacy/index.js';
import { disputeActor, disputeFacts } from './workflow.js';
import { type AgreementContent, renderAgreement } from './agreement.js';
import { hasAgreement } from './lifecycle.js';
import { disputeParties, findDispute, findMediator, findOrg, insertDisputeEvent } from './repository.js';
import { localDateOf } from '../calendar/index.js';

/** Generating the agreement puts the parties' full details on paper: a reveal, audited with this purpose. */
export const AGREEMENT_PURPOSE = '制作调解协议书';

export async function agreementRoute(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;
  const pii = fieldCipherFor(config);

  app.post(
    '/api/disputes/:id/agreement',
    {
      config: { auth: 'dispute:manage' },
      schema: {
        tags: ['mediation'],
        summary: '制作调解协议书（Word）/ Generate the mediation agreement (.docx)',
        description: `Answers the agreement as a .docx carrying the parties' full names and details (it is handed to them). Generating it is a reveal: audited as \`personal.reveal\` with purpose "${AGREEMENT_PURPOSE}". The assigned mediator or the organising centre; only after an agreement (full or partial).`,
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        response: { 200: Type.String({ format: 'binary' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const audit = { actorId: user.id, action: 'personal.reveal', entity: 'dispute', entityId: String(request.params.id), purpose: AGREEMENT_PURPOSE, ip: request.ip };
      const made = await db.transaction().execute(async (trx) => {
        const d = await findDispute(trx, request.params.id, user);
        if (!d) return null;
        const actor = await disputeActor(trx, d, user);
        const centre = actor.atCentre && user.roles.some((r) => r === 'dispatcher' || r === 'supervisor');
        if (!actor.assignedMediator && !centre) throw new AppError(403, 'forbidden', { zh: '只有承办调解员或组织调处的中心可以制作调解协议书', en: 'Only the assigned mediator or the organising centre may make the agreement' });
        if (!hasAgreement(disputeFacts(d))) throw new AppError(409, 'invalid_state', { zh: '尚未达成调解协议', en: 'No agreement has been reached' });
        const [parties, mediator, org, c] = await Promise.all([
          disputeParties(trx, d.id),
          d.mediator_id ? findMediator(trx, d.mediator_id) : undefined,
          d.org_id ? findOrg(trx, d.org_id) : undefined,
          caseNumberOf(trx, d.case_id),
        ]);
        const content: AgreementContent = {
          number: `调字〔${c.slice(0, 4)}〕第${d.id}号`,
          orgName: org?.name ?? d.receiving_body ?? '调解组织',
          peoples: (org?.kind ?? 'people_committee') === 'people_committee',
          disputeType: d.dispute_type,
          parties: parties.map((p) => ({ kind: p.kind, role: p.role, name: pii.readStored(p.name) ?? '', phone: pii.readStored(p.phone), idNumber: pii.readStored(p.id_number) })),
          facts: d.facts,
          terms: d.terms ?? '',
          performanceMethod: d.performance_method ?? '',
          performanceDeadline: d.performance_deadline ?? '',
          mediatorName: mediator?.display_name ?? '',
          date: localDateOf(d.concluded_at ?? new Date()),
          partial: d.outcome === 'partial',
        };
        // the entry commits with the read: no details leave without it; values are never written to the log
        await recordAudit(trx, { ...audit, detail: { fields: ['parties'], parties: parties.length }, result: 'ok' });
        await insertDisputeEvent(trx, { disputeId: d.id, actorId: user.id, actorName: user.displayName, action: 'agreement', from: d.status, to: d.status, detail: { purpose: AGREEMENT_PURPOSE } });
        return { buffer: await renderAgreement(content), number: d.id };
      });
      if (!made) {
        await recordAudit(db, { ...audit, detail: { fields: ['parties'] }, result: 'denied' });
        throw notFound('纠纷不存在或不在您的管辖范围内', 'Dispute not found or outside your scope');
      }
      const name = `调解协议书-${made.number}.docx`;
      reply
        .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
        .header('Content-Disposition', `attachment; filename="agreement-${made.number}.docx"; filename*=UTF-8''${encodeURIComponent(name)}`)
        .header('Cache-Control', 'no-store');
      return reply.send(made.buffer);
    },
  );
}
