import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { AppError, badRequest, langOf, notFound } from '../../http/errors.js';
import { findByCodes } from '../jurisdictions/index.js';
import { findMatterType, listMatterTypes } from '../matters/index.js';
import { open311AdminRoutes } from './admin-routes.js';
import { hashKey } from './clients.js';
import { discoveryDocument, toService } from './discovery.js';
import { open311ErrorHandler, open311NotFound } from './errors.js';
import { findActiveClientByKeyHash, publicRequests, publicTimeline, servicesChangedAt } from './repository.js';
import { type Open311Client, submitServiceRequest, toPublicRequest, toUpdate } from './requests.js';
import { commaList, dateWindow, type Format, parseW3c, respond } from './wire.js';

const MAX_RECORDS = 1000;

const FormatParam = Type.Union([Type.Literal('json'), Type.Literal('xml')]);
const Params = Type.Object({ format: FormatParam });
const Text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));

const PostBody = Type.Object({
  api_key: Text(200),
  jurisdiction_id: Text(100),
  service_code: Type.String({ minLength: 1, maxLength: 20 }),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  long: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
  address_string: Text(300),
  address_id: Text(100),
  email: Text(254),
  device_id: Text(200),
  account_id: Text(100),
  first_name: Text(50),
  last_name: Text(50),
  phone: Text(30),
  description: Text(4000),
  media_url: Text(2000),
});

const Window = {
  jurisdiction_id: Text(100),
  start_date: Text(40),
  end_date: Text(40),
};

const RequestsQuery = Type.Object({
  ...Window,
  service_request_id: Text(20_000),
  service_code: Text(2000),
  status: Text(50),
  // the paging extension most GeoReport servers implement
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  page_size: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RECORDS })),
});

const clientOf = new WeakMap<FastifyRequest, Open311Client>();

function dateArg(value: string | undefined, field: string): Date | null {
  if (value === undefined) return null;
  const d = parseW3c(value);
  if (!d) throw badRequest(field, `${field} 须为带时区的 W3C 日期时间，如 2026-11-21T00:00:00+08:00`, `${field} must be a W3C date-time with its zone, e.g. 2026-11-21T00:00:00+08:00`);
  return d;
}

function windowOf(q: { start_date?: string | undefined; end_date?: string | undefined }) {
  const start = dateArg(q.start_date, 'start_date');
  const end = dateArg(q.end_date, 'end_date');
  if (start && end && start > end) throw badRequest('start_date', 'start_date 晚于 end_date', 'start_date is after end_date');
  return { start, ...dateWindow(start, end, new Date()) };
}

/**
 * Open311 GeoReport v2 at /open311/v2/ (wiki.open311.org/GeoReport_v2) and FixMyStreet's servicerequestupdates.
 * GET methods are public and publish no reporter; POST requests needs an api_key issued per client system.
 */
async function geoReportRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config, grids } = app.ctx;

  app.setErrorHandler(open311ErrorHandler);
  app.setNotFoundHandler(open311NotFound);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    const fields: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body as string)) fields[k] = v;
    done(null, fields);
  });
  // an empty form field means "not given", not "the empty string" (nor 0 once coerced to a number)
  app.addHook('preValidation', async (request) => {
    for (const part of [request.query, request.body]) {
      if (!part || typeof part !== 'object' || Array.isArray(part)) continue;
      for (const [k, v] of Object.entries(part)) if (v === '' || v === null) delete (part as Record<string, unknown>)[k];
    }
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') reply.header('Access-Control-Allow-Origin', '*');
  });

  const scopePath = async (jurisdictionId: string | undefined): Promise<string | undefined> => {
    if (!jurisdictionId || !/^\d{6}(\d{6})?$/.test(jurisdictionId)) return undefined;
    const [j] = await findByCodes(db, [jurisdictionId]);
    if (!j) throw badRequest('jurisdiction_id', `辖区 ${jurisdictionId} 不存在`, `Jurisdiction ${jurisdictionId} does not exist`, 'unknown_code');
    return j.path;
  };
  const findRequest = async (number: string) => {
    const [row] = await publicRequests(db, { numbers: [number], limit: 1, offset: 0 });
    if (!row) throw notFound(`诉求 ${number} 不存在`, `Service request ${number} not found`);
    return row;
  };
  const common = { config: { auth: 'public' as const } };

  const discovery = async (request: FastifyRequest<{ Params: { format: Format } }>, reply: FastifyReply) =>
    respond(reply, request.params.format, 'discovery', discoveryDocument(`${request.protocol}://${request.host}`, await servicesChangedAt(db)));
  // the discovery spec wants a stable URL ending in /discovery; the brief's place under v2 answers too
  app.get('/discovery.:format', { ...common, schema: { hide: true, params: Params } }, discovery);
  app.get('/v2/discovery.:format', { ...common, schema: { hide: true, params: Params } }, discovery);

  app.get('/v2/services.:format', { ...common, schema: { hide: true, params: Params } }, async (request, reply) => {
    const { items } = await listMatterTypes(db, { active: true, limit: 100_000, offset: 0 });
    return respond(reply, request.params.format, 'services', items.map(toService));
  });

  app.get(
    '/v2/services/:service_code.:format',
    { ...common, schema: { hide: true, params: Type.Object({ service_code: Type.String({ maxLength: 20 }), format: FormatParam }) } },
    async (request, reply) => {
      const m = await findMatterType(db, request.params.service_code);
      if (!m || !m.active) throw notFound(`服务 ${request.params.service_code} 不存在`, `Service ${request.params.service_code} not found`);
      return respond(reply, request.params.format, 'service_definition', { service_code: m.code, attributes: [] });
    },
  );

  app.post(
    '/v2/requests.:format',
    {
      ...common,
      schema: { hide: true, params: Params, headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ minLength: 8, maxLength: 100 })) }), body: PostBody },
      // the key is checked before the arguments, so a caller without one learns nothing about them
      preValidation: async (request) => {
        const fromBody = (request.body as Record<string, unknown> | undefined)?.api_key;
        const key = typeof fromBody === 'string' ? fromBody : (request.query as Record<string, unknown>).api_key;
        if (typeof key !== 'string' || key === '') throw new AppError(403, 'api_key', { zh: '缺少 api_key', en: 'api_key is required' }, 'api_key');
        const client = await findActiveClientByKeyHash(db, hashKey(key));
        if (!client) throw new AppError(403, 'api_key', { zh: 'api_key 无效或已停用', en: 'Invalid api_key received' }, 'api_key');
        clientOf.set(request, client);
      },
    },
    async (request, reply) => {
      const result = await submitServiceRequest({ db, config, grids, ip: request.ip }, clientOf.get(request)!, request.body, langOf(request), request.headers['idempotency-key']);
      return respond(reply, request.params.format, 'service_requests', [result]);
    },
  );

  app.get('/v2/tokens/:token.:format', { ...common, schema: { hide: true, params: Type.Object({ token: Type.String({ maxLength: 40 }), format: FormatParam }) } }, async (request, reply) => {
    // requests are created synchronously: the token is the request id itself
    const row = await findRequest(request.params.token);
    return respond(reply, request.params.format, 'service_requests', [{ service_request_id: row.number, token: request.params.token }]);
  });

  app.get('/v2/requests.:format', { ...common, schema: { hide: true, params: Params, querystring: RequestsQuery } }, async (request, reply) => {
    const q = request.query;
    const statuses = commaList(q.status).map((s) => s.toLowerCase());
    if (statuses.some((s) => s !== 'open' && s !== 'closed')) throw badRequest('status', 'status 只能是 open 或 closed', 'status must be open or closed');
    const ids = q.service_request_id !== undefined ? commaList(q.service_request_id).slice(0, MAX_RECORDS) : undefined;
    const { from, to } = windowOf(q);
    const pageSize = q.page_size ?? MAX_RECORDS;
    const rows = await publicRequests(db, {
      numbers: ids,
      serviceCodes: commaList(q.service_code),
      statusTypes: statuses as Array<'open' | 'closed'>,
      from,
      to,
      underPath: ids ? undefined : await scopePath(q.jurisdiction_id),
      limit: pageSize,
      offset: ((q.page ?? 1) - 1) * pageSize,
    });
    const lang = langOf(request);
    return respond(reply, request.params.format, 'service_requests', rows.map((r) => toPublicRequest(r, lang)));
  });

  app.get(
    '/v2/requests/:service_request_id.:format',
    { ...common, schema: { hide: true, params: Type.Object({ service_request_id: Type.String({ maxLength: 40 }), format: FormatParam }) } },
    async (request, reply) => respond(reply, request.params.format, 'service_requests', [toPublicRequest(await findRequest(request.params.service_request_id), langOf(request))]),
  );

  app.get('/v2/servicerequestupdates.:format', { ...common, schema: { hide: true, params: Params, querystring: Type.Object(Window) } }, async (request, reply) => {
    const { start, from, to } = windowOf(request.query);
    const rows = await publicTimeline(db, { from, to, fromStart: start !== null, underPath: await scopePath(request.query.jurisdiction_id), limit: MAX_RECORDS });
    const lang = langOf(request);
    const updates = rows.map((r) => toUpdate({ id: r.id, at: r.at, number: r.number, action: r.action, toStatus: r.to_status, note: r.note, detail: r.detail }, lang)).filter((u) => u !== null);
    return respond(reply, request.params.format, 'service_request_updates', updates);
  });
}

/** The Open311 endpoint under /open311/ with its own error format, and the admin routes that issue its keys. */
export async function open311Routes(app: FastifyInstance) {
  await app.register(open311AdminRoutes);
  await app.register(geoReportRoutes, { prefix: '/open311' });
}
