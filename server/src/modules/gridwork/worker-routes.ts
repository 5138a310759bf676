import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest, conflict, notFound } from '../../http/errors.js';
import { errorResponses, ListOf } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser, findAccount } from '../auth/index.js';
import { gridPlace } from '../grids/index.js';
import { findInScope } from '../jurisdictions/index.js';
import { localDateOf } from '../calendar/index.js';
import { assignmentHistory, endAssignment, findWorker, insertAssignment, insertTraining, listWorkers, lockOpenAssignment, saveWorker, trainings } from './repository.js';

const UserId = Type.Object({ userId: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const GridRef = Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() });
const Worker = Type.Object({ userId: Type.Integer(), name: Type.String(), employment: Type.String(), communityCode: Type.String(), startedOn: Type.String(), endedOn: Nullable(Type.String()), grids: Type.Array(GridRef) });
const WorkerDetail = Type.Intersect([
  Worker,
  Type.Object({
    assignments: Type.Array(Type.Object({ id: Type.Integer(), gridId: Type.Integer(), gridCode: Type.String(), gridName: Type.String(), fromOn: Type.String(), toOn: Nullable(Type.String()), reason: Type.String() })),
    trainings: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), hours: Type.Number(), completedOn: Type.String() })),
  }),
]);

/** Grid workers (R4.1): profiles, assignment to grids with history, training; the community's view of its workers. */
export async function workerRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  const detail = async (userId: number, scopePath: string) => {
    const w = await findWorker(db, userId, scopePath);
    if (!w) throw notFound('网格员不存在或不在您的管辖范围内', 'Grid worker not found or outside your scope');
    const [hist, train] = await Promise.all([assignmentHistory(db, userId), trainings(db, userId)]);
    return {
      userId: w.user_id,
      name: w.display_name,
      employment: w.employment,
      communityCode: w.community_code,
      startedOn: w.started_on,
      endedOn: w.ended_on,
      grids: hist.filter((a) => a.to_on === null).map((a) => ({ id: a.grid_id, code: a.grid_code, name: a.grid_name })),
      assignments: hist.map((a) => ({ id: a.id, gridId: a.grid_id, gridCode: a.grid_code, gridName: a.grid_name, fromOn: a.from_on, toOn: a.to_on, reason: a.reason })),
      trainings: train.map((t) => ({ id: t.id, title: t.title, hours: Number(t.hours), completedOn: t.completed_on })),
    };
  };

  app.get('/api/gridwork/workers', { config: { auth: 'gridwork:read' }, schema: { tags: ['gridwork'], summary: '网格员队伍 / Grid workers in scope', response: { 200: ListOf(Worker), ...errorResponses } } }, async (request) => {
    const rows = await listWorkers(db, currentUser(request).jurisdictionPath);
    return { items: rows.map((w) => ({ userId: w.user_id, name: w.display_name, employment: w.employment, communityCode: w.community_code, startedOn: w.started_on, endedOn: w.ended_on, grids: w.grids })), total: rows.length };
  });

  app.get('/api/gridwork/workers/:userId', { config: { auth: 'gridwork:read' }, schema: { tags: ['gridwork'], summary: '网格员档案 / A grid worker with assignments and training', params: UserId, response: { 200: WorkerDetail, ...errorResponses } } }, async (request) => detail(request.params.userId, currentUser(request).jurisdictionPath));

  app.put(
    '/api/gridwork/workers/:userId',
    { config: { auth: 'gridwork:manage' }, schema: { tags: ['gridwork'], summary: '建立或修改网格员档案 / Create or change a grid worker profile', params: UserId, body: Type.Object({ employment: Type.Union([Type.Literal('full_time'), Type.Literal('part_time')]), startedOn: Day, endedOn: Type.Optional(Nullable(Day)) }), response: { 200: WorkerDetail, ...errorResponses } } },
    async (request) => {
      const user = currentUser(request);
      const { employment, startedOn, endedOn } = request.body;
      if (endedOn && endedOn < startedOn) throw badRequest('endedOn', '离岗日期早于上岗日期', 'The end is before the start');
      const found = await findAccount(db, request.params.userId);
      const place = found && (await findInScope(db, found.jurisdictionCode, user));
      if (!found || !place) throw notFound('账号不存在或不在您的管辖范围内', 'Account not found or outside your scope');
      if (!found.roles.includes('grid_worker') || place.level !== 'community') throw badRequest('userId', '该账号不是社区的网格员', 'This account is not a community grid worker');
      const account = { id: found.id, code: place.code, path: place.path };
      await db.transaction().execute(async (trx) => {
        await saveWorker(trx, { userId: account.id, employment, communityCode: account.code, path: account.path, startedOn, endedOn: endedOn ?? null });
        await recordAudit(trx, { actorId: user.id, action: 'gridwork.worker', entity: 'grid_worker', entityId: String(account.id), detail: { employment, startedOn, endedOn: endedOn ?? null }, ip: request.ip });
      });
      return detail(account.id, user.jurisdictionPath);
    },
  );

  app.post(
    '/api/gridwork/workers/:userId/assignments',
    { config: { auth: 'gridwork:manage' }, schema: { tags: ['gridwork'], summary: '分配网格（保留历史）/ Assign a grid; with `end`, end an assignment', params: UserId, body: Type.Object({ gridId: Type.Integer({ minimum: 1, maximum: 2147483647 }), fromOn: Type.Optional(Day), reason: Type.String({ minLength: 2, maxLength: 300 }), end: Type.Optional(Type.Boolean()) }), response: { 200: WorkerDetail, ...errorResponses } } },
    async (request) => {
      const user = currentUser(request);
      const w = await findWorker(db, request.params.userId, user.jurisdictionPath);
      if (!w) throw notFound('网格员不存在或不在您的管辖范围内', 'Grid worker not found or outside your scope');
      const grid = await gridPlace(db, request.body.gridId);
      if (!grid || grid.status !== 'active' || grid.community_code !== w.community_code) throw badRequest('gridId', '网格不存在或不属于该网格员所在社区', 'The grid does not exist or is not in the worker’s community');
      const on = request.body.fromOn ?? localDateOf(new Date());
      await db.transaction().execute(async (trx) => {
        const open = await lockOpenAssignment(trx, w.user_id, grid.id);
        if (request.body.end) {
          if (!open) throw badRequest('gridId', '该网格未分配给此网格员', 'This grid is not assigned to the worker');
          await endAssignment(trx, open.id, on);
        } else {
          if (open) throw conflict('gridId', '该网格已分配给此网格员', 'This grid is already assigned to the worker');
          await insertAssignment(trx, { userId: w.user_id, gridId: grid.id, fromOn: on, reason: request.body.reason, assignedBy: user.id });
        }
        await recordAudit(trx, { actorId: user.id, action: request.body.end ? 'gridwork.unassign' : 'gridwork.assign', entity: 'grid_worker', entityId: String(w.user_id), detail: { gridId: grid.id, on, reason: request.body.reason }, ip: request.ip });
      });
      return detail(w.user_id, user.jurisdictionPath);
    },
  );

  app.post(
    '/api/gridwork/workers/:userId/trainings',
    { config: { auth: 'gridwork:manage' }, schema: { tags: ['gridwork'], summary: '记录培训 / Record a training', params: UserId, body: Type.Object({ title: Type.String({ minLength: 2, maxLength: 200 }), hours: Type.Number({ exclusiveMinimum: 0, maximum: 1000 }), completedOn: Day }), response: { 200: WorkerDetail, ...errorResponses } } },
    async (request) => {
      const user = currentUser(request);
      const w = await findWorker(db, request.params.userId, user.jurisdictionPath);
      if (!w) throw notFound('网格员不存在或不在您的管辖范围内', 'Grid worker not found or outside your scope');
      await db.transaction().execute(async (trx) => {
        await insertTraining(trx, { userId: w.user_id, title: request.body.title, hours: request.body.hours, completedOn: request.body.completedOn });
        await recordAudit(trx, { actorId: user.id, action: 'gridwork.training', entity: 'grid_worker', entityId: String(w.user_id), detail: { title: request.body.title }, ip: request.ip });
      });
      return detail(w.user_id, user.jurisdictionPath);
    },
  );
}
