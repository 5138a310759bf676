import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemo } from './demo/seed.js';
import { DEMO_ACCOUNTS } from './demo/city.js';
import { buildApp } from './http/app.js';
import { seedDefaultCatalogue } from './modules/matters/index.js';
import { seedCalendar } from './modules/calendar/index.js';
import { startJobs } from './jobs.js';
import { open311DemoKey, seedOpen311DemoClient } from './modules/open311/index.js';

export interface Running {
  app: FastifyInstance;
  handle: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

/**
 * Opens the database, migrates, loads the default catalogue into an empty database, seeds the demo city
 * (embedded database only, unless ZHILI_DEMO says otherwise) and listens.
 */
export async function startServer(config: Config, options: { demo?: boolean } = {}): Promise<Running> {
  const handle = await openDatabase(config);
  try {
    await migrateToLatest(handle.db);
    await seedDefaultCatalogue(handle.db);
    await seedCalendar(handle.db);
    const demo = options.demo ?? handle.kind === 'pglite';
    const seeded = demo ? await seedDemo(handle.db, config.demoPassword, config.demoTotpSecret) : false;
    if (demo) await seedOpen311DemoClient(handle.db, open311DemoKey());
    const app = await buildApp({ handle, config });
    await app.listen({ port: config.port, host: config.host });
    const jobs = startJobs(handle.db, config, app.log);
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
    if (demo) app.log.info({ seeded }, 'demo city 青河市 is available');
    let stopping: Promise<void> | undefined;
    return {
      app,
      handle,
      url,
      stop: () =>
        (stopping ??= (async () => {
          await jobs.stop();
          await app.close();
          await handle.close();
        })()),
    };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

export function demoBanner(url: string, password: string, hasWeb: boolean): string {
  const lines = [
    '',
    `  Zhili 治理 is running at ${url}${hasWeb ? '' : '  (web console not built: npm run build -w web)'}`,
    `  API docs: ${url}/api/docs    Open311: ${url}/open311/v2/discovery.json (api_key ${open311DemoKey()})`,
    `  Demo accounts (password: ${password}):`,
    ...DEMO_ACCOUNTS.map((a) => `    ${a.username.padEnd(16)} ${a.note.zh} / ${a.note.en}`),
    '',
  ];
  return lines.join('\n');
}
