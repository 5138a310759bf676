import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError, langOf } from '../../http/errors.js';
import { errorResponses } from '../../http/schemas.js';
import { allowedIds, viewerOf } from '../access/index.js';
import { currentUser } from '../auth/index.js';
import { runAction } from '../workflow/index.js';
import { caseRule } from './access.js';
import type { ActionBody } from './actions.js';
import { Action, ActionBodySchema } from './dto.js';
import type { CaseAction } from './lifecycle.js';
import { caseWorkflow } from './workflow.js';

const Outcome = Type.Object({
  id: Type.Integer(),
  ok: Type.Boolean(),
  number: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.String(), Type.Null()]),
  code: Type.Union([Type.String(), Type.Null()]),
  message: Type.Union([Type.String(), Type.Null()]),
});

/**
 * One action on many cases (the board's bulk dispatch): the cases the user may see are acted on one by one, each in
 * its own transaction through the workflow kernel; the others answer `not_found` exactly as a case that does not exist.
 */
export async function bulkRoutes(parent: FastifyInstance) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;
  app.post(
    '/api/cases/bulk/:action',
    {
      config: { auth: 'case:act' },
      schema: {
        tags: ['cases'],
        summary: '批量流转 / One action on many cases',
        description: 'Each item is acted on in its own transaction; the answer lists every item with its outcome, in the order sent.',
        params: Type.Object({ action: Action }),
        body: Type.Intersect([
          Type.Object({ items: Type.Array(Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }), expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })) }), { minItems: 1, maxItems: 200 }) }),
          Type.Omit(ActionBodySchema, ['expectedVersion']),
        ]),
        response: { 200: Type.Object({ items: Type.Array(Outcome), done: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const lang = langOf(request);
      const { items, ...rest } = request.body;
      const visible = new Set(await allowedIds(db, caseRule, items.map((i) => i.id), viewerOf(user)));
      const out = [];
      for (const item of items) {
        const none = { id: item.id, ok: false, number: null, status: null };
        if (!visible.has(item.id)) {
          out.push({ ...none, code: 'not_found', message: lang === 'en' ? 'Case not found' : '案件不存在' });
          continue;
        }
        try {
          const body: ActionBody = { ...(rest as ActionBody), expectedVersion: item.expectedVersion };
          const { record } = await runAction(db, caseWorkflow, { id: item.id, action: request.params.action as CaseAction, actor: user, body, expectedVersion: item.expectedVersion, ip: request.ip });
          out.push({ id: item.id, ok: true, number: record?.number ?? null, status: record?.status ?? null, code: null, message: null });
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          out.push({ ...none, code: err.code, message: err.text[lang] });
        }
      }
      return { items: out, done: out.filter((o) => o.ok).length };
    },
  );
}
