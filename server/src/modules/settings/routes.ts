import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { errorResponses } from '../../http/schemas.js';
import { recordAudit } from '../audit/index.js';
import { currentUser } from '../auth/index.js';
import { DEFAULT_LEVEL_NAMES, getSetting, type LevelNames, putSetting } from './repository.js';

const LevelNamesSchema = Type.Object({
  city: Type.String({ minLength: 1, maxLength: 10 }),
  district: Type.String({ minLength: 1, maxLength: 10 }),
  street: Type.String({ minLength: 1, maxLength: 10 }),
  community: Type.String({ minLength: 1, maxLength: 10 }),
});

export async function settingsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, config } = app.ctx;

  app.get(
    '/api/settings/public',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['settings'],
        summary: '公开配置 / Public configuration (map tiles, level names)',
        response: {
          200: Type.Object({
            mapTileUrl: Type.String(),
            mapTileAttribution: Type.String(),
            mapCoordSystem: Type.Union([Type.Literal('WGS84'), Type.Literal('GCJ02')]),
            levelNames: LevelNamesSchema,
          }),
        },
      },
    },
    async () => ({
      mapTileUrl: config.mapTileUrl,
      mapTileAttribution: config.mapTileAttribution,
      mapCoordSystem: config.mapCoordSystem,
      levelNames: await getSetting<LevelNames>(db, 'level_names', DEFAULT_LEVEL_NAMES),
    }),
  );

  app.put(
    '/api/settings/level-names',
    {
      config: { auth: 'jurisdiction:manage' },
      schema: {
        tags: ['settings'],
        summary: '层级显示名称 / Display names of the levels (区县/旗区, 街道/苏木, 社区/嘎查)',
        body: LevelNamesSchema,
        response: { 200: LevelNamesSchema, ...errorResponses },
      },
    },
    async (request) => {
      await putSetting(db, 'level_names', request.body);
      await recordAudit(db, { actorId: currentUser(request).id, action: 'settings.level_names', entity: 'setting', entityId: 'level_names', detail: request.body, ip: request.ip });
      return request.body;
    },
  );
}
