import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { DbKind } from '../db/database.js';
import type { Database } from '../db/schema.js';
import type { GridLocator } from '../modules/grids/index.js';

/** What every route can reach through `app.ctx`. */
export interface AppContext {
  db: Kysely<Database>;
  dbKind: DbKind;
  config: Config;
  grids: GridLocator;
}

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}
