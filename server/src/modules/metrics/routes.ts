import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { langOf } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { currentUser } from '../auth/index.js';
import { LOCAL_ZONE } from '../calendar/index.js';
import { COUNT_FIELDS, RATE_FIELDS, RATES } from './definitions.js';
import { PERIODS } from './periods.js';
import { GROUP_BYS } from './repository.js';
import { caseMetricsReport } from './report.js';

const Day = (description: string) => Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

const Figures = {
  ...Object.fromEntries(COUNT_FIELDS.map((f) => [f, Type.Integer({ minimum: 0 })])),
  ...Object.fromEntries(RATE_FIELDS.map((f) => [f, Type.Union([Type.Number({ minimum: 0, maximum: 1 }), Type.Null()], { description: `${RATES[f].zh} / ${RATES[f].en}; null when the denominator is 0` })])),
};

const MetricsRow = Type.Object({
  key: Type.Union([Type.String(), Type.Null()], { description: 'code, id, channel or period start; null: no department / no matter type' }),
  label: Type.String(),
  ...Figures,
});

export async function metricsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/metrics/cases',
    {
      config: { auth: 'case:metrics' },
      schema: {
        tags: ['metrics'],
        summary: '案件指标（三率等）/ Case metrics: response, resolution, satisfaction and more',
        description: `Counts the cases created in the window (local days, ${LOCAL_ZONE}) under the jurisdiction; definitions in docs/METRICS.md.`,
        querystring: Type.Object({
          groupBy: Type.Union(GROUP_BYS.map((g) => Type.Literal(g))),
          from: Type.Optional(Day('first local day, default 29 days before `to`')),
          to: Type.Optional(Day('last local day, inclusive; default today')),
          period: Type.Optional(Type.Union(PERIODS.map((p) => Type.Literal(p)), { description: 'with groupBy=period; default day' })),
          jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{6}(\\d{6})?$', description: "default the caller's own" })),
        }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            groupBy: Type.String(),
            period: Type.Optional(Type.String()),
            jurisdictionCode: Type.String(),
            items: Type.Array(MetricsRow),
            total: Type.Object(Figures),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => caseMetricsReport(db, currentUser(request), request.query, new Date(), langOf(request)),
  );
}
