import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { notFound } from '../../http/errors.js';
import { errorResponses, ListOf } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { hashKey, newApiKey } from './clients.js';
import { insertClient, listClients, requestCounts, updateClient } from './repository.js';

const Client = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  active: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  requestCount: Type.Integer(),
});

const toClient = (c: { id: number; name: string; active: boolean; created_at: Date }, count = 0) => ({ id: c.id, name: c.name, active: c.active, createdAt: c.created_at.toISOString(), requestCount: count });

/** Client systems allowed to POST Open311 requests: list, issue (the key is shown once), rename or revoke. */
export async function open311AdminRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/open311/clients',
    { config: { auth: 'open311:manage' }, schema: { tags: ['open311'], summary: 'Open311 客户端系统 / Open311 client systems', response: { 200: ListOf(Client), ...errorResponses } } },
    async () => {
      const [rows, counts] = await Promise.all([listClients(db), requestCounts(db)]);
      return { items: rows.map((r) => toClient(r, counts.get(r.id))), total: rows.length };
    },
  );

  app.post(
    '/api/open311/clients',
    {
      config: { auth: 'open311:manage' },
      schema: {
        tags: ['open311'],
        summary: '签发 Open311 API 密钥 / Issue an Open311 API key',
        description: 'The key is in this answer only; the server keeps its SHA-256.',
        body: Type.Object({ name: Type.String({ minLength: 2, maxLength: 100 }) }),
        response: { 201: Type.Intersect([Client, Type.Object({ apiKey: Type.String() })]), ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = currentUser(request);
      const apiKey = newApiKey();
      const row = await db.transaction().execute(async (trx) => {
        const c = await insertClient(trx, request.body.name.trim(), hashKey(apiKey));
        await recordAudit(trx, { actorId: user.id, action: 'open311.client.create', entity: 'open311_client', entityId: String(c.id), detail: { name: c.name }, ip: request.ip });
        return c;
      });
      reply.status(201);
      return { ...toClient(row), apiKey };
    },
  );

  app.patch(
    '/api/open311/clients/:id',
    {
      config: { auth: 'open311:manage' },
      schema: {
        tags: ['open311'],
        summary: '改名或停用 Open311 客户端 / Rename or revoke an Open311 client',
        params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) }),
        body: Type.Object({ name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })), active: Type.Optional(Type.Boolean()) }),
        response: { 200: Client, ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const row = await db.transaction().execute(async (trx) => {
        const c = await updateClient(trx, request.params.id, { name: request.body.name?.trim(), active: request.body.active });
        if (!c) throw notFound('Open311 客户端不存在', 'Open311 client not found');
        await recordAudit(trx, { actorId: user.id, action: 'open311.client.update', entity: 'open311_client', entityId: String(c.id), detail: { ...request.body }, ip: request.ip });
        return c;
      });
      const counts = await requestCounts(db);
      return toClient(row, counts.get(row.id));
    },
  );
}
