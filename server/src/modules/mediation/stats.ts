import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { currentUser } from '../auth/index.js';
import { findByCodes, findInScope } from '../jurisdictions/index.js';
import { DateText } from './dto.js';
import { disputeScope } from './repository.js';
import { dayInput, localDayRange, startOfLocalDay } from '../calendar/index.js';

export interface StatRow {
  dispute_type: string;
  path: string | null;
  outcome: string | null;
  jurisdiction_path: string;
  created_at: Date;
  concluded_at: Date | null;
  confirmation_applied_at: string | null;
  confirmation_decision: string | null;
}

const count = (rows: StatRow[], key: (r: StatRow) => string) => {
  const m = new Map<string, number>();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return [...m].map(([k, n]) => ({ key: k, count: n })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
};

const ratio = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10000) / 10000);

/**
 * The figures of mediation (docs/MEDIATION.md): success rate = agreements (full or partial) / mediations concluded
 * with an agreement or a failure (withdrawals excluded); time to agreement in days; confirmation rate = confirmed /
 * decided by the court. `byJurisdiction` groups under the jurisdiction one level below `basePath`.
 */
export function summarise(rows: StatRow[], basePath: string) {
  const agreed = rows.filter((r) => r.outcome === 'agreement' || r.outcome === 'partial');
  const failed = rows.filter((r) => r.outcome === 'failed').length;
  const days = agreed.filter((r) => r.concluded_at).map((r) => (r.concluded_at!.getTime() - r.created_at.getTime()) / 86_400_000);
  const depth = basePath.split('/').length;
  const decided = rows.filter((r) => r.confirmation_decision !== null);
  return {
    total: rows.length,
    byType: count(rows, (r) => r.dispute_type),
    byPath: count(rows, (r) => r.path ?? 'undiverted'),
    byOutcome: count(rows, (r) => r.outcome ?? 'pending'),
    byJurisdiction: count(rows, (r) => r.jurisdiction_path.split('/')[depth] ?? r.jurisdiction_path.split('/').at(-1)!),
    agreements: agreed.length,
    failed,
    successRate: ratio(agreed.length, agreed.length + failed),
    avgDaysToAgreement: days.length ? Math.round((days.reduce((a, b) => a + b, 0) / days.length) * 10) / 10 : null,
    confirmationApplied: rows.filter((r) => r.confirmation_applied_at !== null).length,
    confirmed: decided.filter((r) => r.confirmation_decision === 'confirmed').length,
    confirmationRate: ratio(decided.filter((r) => r.confirmation_decision === 'confirmed').length, decided.length),
  };
}

const Count = Type.Array(Type.Object({ key: Type.String(), count: Type.Integer(), name: Type.Optional(Type.String()) }));
const Rate = Type.Union([Type.Number(), Type.Null()]);

export async function statsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  app.get(
    '/api/disputes/stats',
    {
      config: { auth: 'dispute:stats' },
      schema: {
        tags: ['mediation'],
        summary: '矛盾纠纷统计 / Dispute statistics',
        querystring: Type.Object({ jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{6})?$' })), from: Type.Optional(DateText), to: Type.Optional(DateText) }),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            byType: Count,
            byPath: Count,
            byOutcome: Count,
            byJurisdiction: Count,
            agreements: Type.Integer(),
            failed: Type.Integer(),
            successRate: Rate,
            avgDaysToAgreement: Rate,
            confirmationApplied: Type.Integer(),
            confirmed: Type.Integer(),
            confirmationRate: Rate,
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { jurisdictionCode, from, to } = request.query;
      let basePath = user.jurisdictionPath;
      if (jurisdictionCode) {
        const j = await findInScope(db, jurisdictionCode, user);
        if (!j) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
        basePath = j.path;
      }
      let q = db
        .selectFrom('dispute')
        .select(['dispute_type', 'path', 'outcome', 'jurisdiction_path', 'created_at', 'concluded_at', 'confirmation_applied_at', 'confirmation_decision'])
        .where(disputeScope(user))
        .where('jurisdiction_path', 'like', `${basePath}%`);
      // local days; `to` is inclusive
      if (from) q = q.where('created_at', '>=', startOfLocalDay(dayInput('from', from)));
      if (to) q = q.where('created_at', '<', localDayRange(dayInput('to', to)).to);
      const s = summarise(await q.execute(), basePath);
      const codes = s.byJurisdiction.map((j) => j.key);
      const names = await findByCodes(db, codes);
      return { ...s, byJurisdiction: s.byJurisdiction.map((j) => ({ ...j, name: names.find((n) => n.code === j.key)?.name ?? j.key })) };
    },
  );
}
