import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses, page, PageQuery } from '../../http/schemas.js';
import { currentUser } from '../auth/plugin.js';
import { viewerOf } from '../access/index.js';
import { countUnread, listInbox, markRead } from './repository.js';

const Notification = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  caseId: Type.Union([Type.Integer(), Type.Null()]),
  readAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

export async function notificationRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db } = app.ctx;

  app.get(
    '/api/notifications',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['notifications'],
        summary: '我的消息 / My notifications, newest first',
        querystring: Type.Intersect([PageQuery, Type.Object({ unreadOnly: Type.Optional(Type.Boolean()) })]),
        response: { 200: Type.Object({ items: Type.Array(Notification), total: Type.Integer(), unread: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const { items, total, unread } = await listInbox(db, viewerOf(user), { unreadOnly: request.query.unreadOnly, ...page(request.query) });
      return {
        items: items.map((n) => ({ ...n, readAt: n.readAt?.toISOString() ?? null, createdAt: n.createdAt.toISOString() })),
        total,
        unread,
      };
    },
  );

  app.post(
    '/api/notifications/read',
    {
      config: { auth: 'signed-in' },
      schema: {
        tags: ['notifications'],
        summary: '标记已读 / Mark notifications read (ids of other users are ignored)',
        body: Type.Union([
          Type.Object({ ids: Type.Array(Id, { maxItems: 1000 }) }, { additionalProperties: false }),
          Type.Object({ all: Type.Literal(true) }, { additionalProperties: false }),
        ]),
        response: { 200: Type.Object({ unread: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const body = request.body;
      await markRead(db, user.id, 'all' in body ? 'all' : body.ids);
      return { unread: await countUnread(db, viewerOf(user)) };
    },
  );
}
