import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { authRoutes } from '../modules/auth/routes.js';
import { userRoutes } from '../modules/auth/user-routes.js';
import { authPlugin } from '../modules/auth/index.js';
import { caseRoutes } from '../modules/cases/routes.js';
import { mediationRoutes } from '../modules/mediation/routes.js';
import { gridworkRoutes } from '../modules/gridwork/routes.js';
import { peopleRoutes } from '../modules/people/routes.js';
import { departmentRoutes } from '../modules/departments/routes.js';
import { gridRoutes } from '../modules/grids/routes.js';
import { GridLocator } from '../modules/grids/index.js';
import { jurisdictionRoutes } from '../modules/jurisdictions/routes.js';
import { matterRoutes } from '../modules/matters/routes.js';
import { metricsRoutes } from '../modules/metrics/routes.js';
import { notificationRoutes } from '../modules/notifications/routes.js';
import { calendarRoutes } from '../modules/calendar/routes.js';
import { settingsRoutes } from '../modules/settings/routes.js';
import { LOG_REDACTION } from '../modules/privacy/index.js';
import { ErrorBody } from './schemas.js';
import { errorHandler, notFound } from './errors.js';
import { guardInput } from './input-guard.js';
import { open311Routes } from '../modules/open311/routes.js';
import { open311ErrorHandler } from '../modules/open311/index.js';
import { securityHeaders } from './security-headers.js';
import './context.js';

export async function buildApp(props: {
  handle: DatabaseHandle;
  config: Config;
  logger?: FastifyServerOptions['logger'];
}): Promise<FastifyInstance> {
  const { handle, config } = props;
  const app = Fastify({
    logger: props.logger ?? { level: config.logLevel, redact: LOG_REDACTION },
    bodyLimit: 2 * 1024 * 1024,
    // malformed URLs and over-long path parameters get the same error format as everything else
    frameworkErrors: (error, request, reply) => (request.url.startsWith('/open311/') ? open311ErrorHandler(error, request, reply) : errorHandler(error, request, reply)),
    // the client's address is the socket's, unless the request came through a configured proxy (ZHILI_TRUSTED_PROXIES)
    trustProxy: config.trustedProxies.length > 0 ? config.trustedProxies : false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true, useDefaults: true, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('ctx', { db: handle.db, dbKind: handle.kind, config, grids: new GridLocator() });
  app.setErrorHandler(errorHandler);
  app.addHook('preHandler', guardInput);
  app.addSchema(ErrorBody);

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Zhili 治理 API', version: '0.1.0', description: '市域社会治理平台 / Municipal social governance platform' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'zhili_session' } } },
      security: [{ session: [] }],
    },
  });
  // the API docs set their own policy (hashes of their inline code); the console's is stricter
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  await app.register(cookie);
  await app.register(authPlugin);

  const headers = securityHeaders(config);
  app.addHook('onSend', async (request, reply) => {
    for (const [name, value] of Object.entries(headers)) if (!reply.hasHeader(name)) reply.header(name, value);
    // answers of the API may carry personal data: no cache keeps them
    if (request.url.startsWith('/api/') && !reply.hasHeader('Cache-Control')) reply.header('Cache-Control', 'no-store');
  });

  app.get(
    '/api/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['system'],
        response: { 200: Type.Object({ status: Type.Literal('ok'), db: Type.Union([Type.Literal('pglite'), Type.Literal('postgres')]) }) },
      },
    },
    async () => ({ status: 'ok' as const, db: handle.kind }),
  );
  app.get('/api/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(settingsRoutes);
  await app.register(jurisdictionRoutes);
  await app.register(gridRoutes);
  await app.register(departmentRoutes);
  await app.register(matterRoutes);
  await app.register(caseRoutes);
  await app.register(mediationRoutes);
  await app.register(gridworkRoutes);
  await app.register(peopleRoutes);
  await app.register(metricsRoutes);
  await app.register(open311Routes);
  await app.register(notificationRoutes);
  await app.register(calendarRoutes);
  await app.register(auditRoutes);

  const hasWeb = fs.existsSync(path.join(config.webDist, 'index.html'));
  if (hasWeb) {
    // the build writes .br and .gz beside each file; hashed assets never change, index.html must be revalidated
    await app.register(fastifyStatic, {
      root: config.webDist,
      wildcard: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (res, file) => {
        res.setHeader('Cache-Control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
        res.setHeader('Vary', 'Accept-Encoding');
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.type('text/html').sendFile('index.html');
    }
    throw notFound('接口不存在', `No such endpoint: ${request.method} ${request.url.split('?')[0]}`);
  });
  return app;
}
