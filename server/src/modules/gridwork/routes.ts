import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { badRequest, notFound } from '../../http/errors.js';
import { errorResponses, ListOf, page, PageQuery } from '../../http/schemas.js';
import { currentUser } from '../auth/index.js';
import { caseNumberOf } from '../cases/index.js';
import { findInScope } from '../jurisdictions/index.js';
import { fieldCipherFor, maskName } from '../privacy/index.js';
import { dayInput, localDateOf, localDayRange } from '../calendar/index.js';
import { addLogEntry, type Ctx, recordVisit, reportCase, startPatrol, trackPatrol } from './commands.js';
import { monthlyRanking } from './monthly.js';
import { viewerOf } from '../access/index.js';
import { listPatrols, listVisits, logEntries, reportedCases, workerInScope } from './repository.js';
import { todayOf } from './today.js';
import { workerRoutes } from './worker-routes.js';

const Id = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const ClientKey = Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9_.:-]+$', description: "the phone's key for this record: sending it again changes nothing" });
const Point = Type.Object({ lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) });
const TrackPointSchema = Type.Tuple([Type.Number({ minimum: -180, maximum: 180 }), Type.Number({ minimum: -90, maximum: 90 }), Type.Integer({ minimum: 0 })]);
const Nullable = <T extends import('@sinclair/typebox').TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Stamp = Type.String({ format: 'date-time' });
const Saved = Type.Object({ id: Type.Integer(), created: Type.Boolean() });
const Patrol = Type.Object({ id: Type.Integer(), userId: Type.Integer(), workerName: Type.String(), gridId: Nullable(Type.Integer()), startedAt: Type.String(), endedAt: Nullable(Type.String()), distanceM: Type.Integer(), points: Type.Integer(), track: Type.Array(Type.Array(Type.Number())), note: Nullable(Type.String()) });
const Visit = Type.Object({ id: Type.Integer(), userId: Type.Integer(), workerName: Type.String(), personId: Nullable(Type.Integer()), patrolId: Nullable(Type.Integer()), whom: Nullable(Type.String()), place: Nullable(Type.String()), findings: Type.String(), lng: Nullable(Type.Number()), lat: Nullable(Type.Number()), visitedAt: Type.String(), onTime: Nullable(Type.Boolean()) });
const Range = Type.Object({ userId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), day: Type.Optional(Day) });

export async function gridworkRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config, grids } = app.ctx;
  const pii = fieldCipherFor(config);
  const ctx = (ip: string): Ctx => ({ db, config, grids, pii, ip });
  await app.register(workerRoutes);
  /** A worker sees their own records; centre staff see everyone's in scope. */
  const whose = (user: ReturnType<typeof currentUser>, userId?: number) => (user.roles.includes('grid_worker') && !user.roles.some((r) => r === 'dispatcher' || r === 'supervisor' || r === 'leader') ? user.id : userId);
  /** The local day asked for in `day`, by default today. */
  const askedDay = (day?: string) => (day === undefined ? localDateOf(new Date()) : dayInput('day', day));
  const dayRange = (day?: string) => localDayRange(askedDay(day));

  app.get('/api/gridwork/today', { config: { auth: 'gridwork:write' }, schema: { tags: ['gridwork'], summary: '今日任务 / Today on the phone: open patrol, visits due, warnings, counts', response: { 200: Type.Object({ day: Type.String(), openPatrol: Nullable(Type.Object({ id: Type.Integer(), startedAt: Type.String(), points: Type.Integer() })), due: Type.Array(Type.Object({ personId: Type.Integer(), name: Type.String(), careGroup: Type.String(), careGroupLabel: Type.String(), riskLevel: Type.String(), nextVisitDue: Type.String(), visitState: Type.String() })), warnings: Type.Integer(), counts: Type.Object({ patrols: Type.Integer(), visits: Type.Integer(), reports: Type.Integer(), logEntries: Type.Integer() }) }), ...errorResponses } } }, async (request) => todayOf(db, pii, currentUser(request)));

  app.post('/api/gridwork/patrols', { config: { auth: 'gridwork:write' }, schema: { tags: ['gridwork'], summary: '开始巡查 / Start a patrol', body: Type.Object({ clientKey: ClientKey, startedAt: Type.Optional(Stamp), gridId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), point: Type.Optional(TrackPointSchema), note: Type.Optional(Type.String({ maxLength: 500 })) }), response: { 201: Saved, 200: Saved, ...errorResponses } } }, async (request, reply) => {
    const r = await startPatrol(ctx(request.ip), currentUser(request), request.body);
    reply.status(r.created ? 201 : 200);
    return { id: r.row.id, created: r.created };
  });

  app.post('/api/gridwork/patrols/:id/track', { config: { auth: 'gridwork:write' }, schema: { tags: ['gridwork'], summary: '上传轨迹点，可结束巡查 / Add track points, optionally ending the patrol', params: Id, body: Type.Object({ points: Type.Array(TrackPointSchema, { maxItems: 5000 }), end: Type.Optional(Type.Object({ endedAt: Type.Optional(Stamp), note: Type.Optional(Type.String({ maxLength: 500 })) })) }), response: { 200: Type.Object({ id: Type.Integer(), endedAt: Nullable(Type.String()), distanceM: Type.Integer(), points: Type.Integer() }), ...errorResponses } } }, async (request) => {
    const p = (await trackPatrol(ctx(request.ip), currentUser(request), request.params.id, { points: request.body.points as [number, number, number][], end: request.body.end }))!;
    return { id: p.id, endedAt: p.ended_at?.toISOString() ?? null, distanceM: p.distance_m, points: p.track.length };
  });

  app.get('/api/gridwork/patrols', { config: { auth: 'gridwork:read' }, schema: { tags: ['gridwork'], summary: '巡查记录 / Patrols of a day in scope', querystring: Type.Intersect([PageQuery, Range]), response: { 200: ListOf(Patrol), ...errorResponses } } }, async (request) => {
    const user = currentUser(request);
    const [rows, n] = await listPatrols(db, viewerOf(user), { userId: whose(user, request.query.userId), ...dayRange(request.query.day), ...page(request.query) });
    return { items: rows.map((p) => ({ id: p.id, userId: p.user_id, workerName: p.display_name, gridId: p.grid_id, startedAt: p.started_at.toISOString(), endedAt: p.ended_at?.toISOString() ?? null, distanceM: p.distance_m, points: p.track.length, track: p.track, note: p.note })), total: Number(n.n) };
  });

  app.post('/api/gridwork/visits', { config: { auth: 'gridwork:write' }, schema: { tags: ['gridwork'], summary: '记录走访 / Record a visit', body: Type.Object({ clientKey: ClientKey, personId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), patrolId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), whom: Type.Optional(Type.String({ maxLength: 100 })), place: Type.Optional(Type.String({ maxLength: 200 })), findings: Type.String({ minLength: 1, maxLength: 4000 }), location: Type.Optional(Point), visitedAt: Type.Optional(Stamp) }), response: { 201: Saved, 200: Saved, ...errorResponses } } }, async (request, reply) => {
    const r = await recordVisit(ctx(request.ip), currentUser(request), request.body);
    reply.status(r.created ? 201 : 200);
    return { id: r.row.id, created: r.created };
  });

  app.get('/api/gridwork/visits', { config: { auth: 'gridwork:read' }, schema: { tags: ['gridwork'], summary: '走访记录 / Visits of a day in scope', querystring: Type.Intersect([PageQuery, Range]), response: { 200: ListOf(Visit), ...errorResponses } } }, async (request) => {
    const user = currentUser(request);
    const [rows, n] = await listVisits(db, viewerOf(user), { userId: whose(user, request.query.userId), ...dayRange(request.query.day), ...page(request.query) });
    return { items: rows.map((v) => ({ id: v.id, userId: v.user_id, workerName: v.display_name, personId: v.person_id, patrolId: v.patrol_id, whom: maskName(pii.readStored(v.whom)), place: v.place, findings: v.findings, lng: v.lng, lat: v.lat, visitedAt: v.visited_at.toISOString(), onTime: v.on_time })), total: Number(n.n) };
  });

  app.post('/api/gridwork/log', { config: { auth: 'gridwork:write' }, schema: { tags: ['gridwork'], summary: '写民情日记 / Add to the daily log', body: Type.Object({ clientKey: ClientKey, content: Type.String({ minLength: 1, maxLength: 4000 }), at: Type.Optional(Stamp) }), response: { 201: Saved, 200: Saved, ...errorResponses } } }, async (request, reply) => {
    const r = await addLogEntry(ctx(request.ip), currentUser(request), request.body);
    reply.status(r.created ? 201 : 200);
    return { id: r.row.id, created: r.created };
  });

  app.get('/api/gridwork/log', { config: { auth: 'gridwork:read' }, schema: { tags: ['gridwork'], summary: '民情日记（某人某日）/ The daily log of a worker and day', querystring: Range, response: { 200: Type.Object({ day: Type.String(), userId: Type.Integer(), entries: Type.Array(Type.Object({ id: Type.Integer(), at: Type.String(), content: Type.String() })), reports: Type.Array(Type.Object({ caseId: Type.Integer(), number: Type.String(), title: Type.String(), status: Type.String(), reportedAt: Type.String() })), patrols: Type.Integer(), visits: Type.Integer() }), ...errorResponses } } }, async (request) => {
    const user = currentUser(request);
    const userId = whose(user, request.query.userId) ?? user.id;
    const day = askedDay(request.query.day);
    const viewer = viewerOf(user);
    if (userId !== user.id && !(await workerInScope(db, userId, user.jurisdictionPath))) throw notFound('网格员不存在或不在您的管辖范围内', 'Grid worker not found or outside your scope');
    const range = localDayRange(day);
    const [entries, reports, [, patrols], [, visits]] = await Promise.all([
      logEntries(db, viewer, userId, day),
      reportedCases(db, viewer, userId, range.from, range.to),
      listPatrols(db, viewer, { userId, ...range, limit: 1, offset: 0 }),
      listVisits(db, viewer, { userId, ...range, limit: 1, offset: 0 }),
    ]);
    return { day, userId, entries: entries.map((e) => ({ id: e.id, at: e.at.toISOString(), content: e.content })), reports: reports.map((r) => ({ caseId: r.case_id, number: r.number, title: r.title, status: r.status, reportedAt: r.reported_at.toISOString() })), patrols: Number(patrols.n), visits: Number(visits.n) };
  });

  app.post('/api/gridwork/reports', { config: { auth: 'gridwork:write' }, schema: { tags: ['gridwork'], summary: '网格员上报事件（渠道 grid）/ Report a case from the grid', description: 'Send `Idempotency-Key`: a queued report sent again answers the first case.', headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }), body: Type.Object({ title: Type.String({ minLength: 2, maxLength: 200 }), description: Type.String({ minLength: 1, maxLength: 4000 }), matterTypeCode: Type.Optional(Type.String({ maxLength: 20 })), location: Point, address: Type.Optional(Type.String({ maxLength: 300 })), foundAt: Type.Optional(Stamp), patrolId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })) }), response: { 201: Type.Object({ caseId: Type.Integer(), number: Type.String(), replayed: Type.Boolean() }), ...errorResponses } } }, async (request, reply) => {
    const r = await reportCase(ctx(request.ip), currentUser(request), request.body, request.headers['idempotency-key']);
    const number = await caseNumberOf(db, r.caseId);
    reply.status(201);
    return { caseId: r.caseId, number, replayed: r.replayed };
  });

  app.get('/api/gridwork/performance', { config: { auth: 'gridwork:performance' }, schema: { tags: ['gridwork'], summary: '网格员月度考核与排名 / Monthly figures, scores and ranking of grid workers in scope', querystring: Type.Object({ month: Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$' }), jurisdictionCode: Type.Optional(Type.String({ pattern: '^\\d{12}$' })) }), response: { 200: ListOf(Type.Object({ rank: Type.Integer(), userId: Type.Integer(), name: Type.String(), communityCode: Type.String(), employment: Type.String(), score: Type.Number(), parts: Type.Record(Type.String(), Type.Number()), figures: Type.Record(Type.String(), Type.Number()) })), ...errorResponses } } }, async (request) => {
    const user = currentUser(request);
    let path = user.jurisdictionPath;
    if (request.query.jurisdictionCode) {
      const j = await findInScope(db, request.query.jurisdictionCode, user);
      if (!j) throw notFound('辖区不存在或不在您的管辖范围内', 'Jurisdiction not found or outside your scope');
      path = j.path;
    }
    if (request.query.month > localDateOf(new Date()).slice(0, 7)) throw badRequest('month', '不能考核将来的月份', 'The month is in the future');
    const items = await monthlyRanking(db, path, request.query.month);
    return { items: items.map((i) => ({ ...i, figures: { ...i.figures } })), total: items.length };
  });
}
