import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openPglite, openPostgres } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { seedDemo } from '../src/demo/seed.js';
import { seedDefaultCatalogue } from '../src/modules/matters/repository.js';
import { seedCalendar } from '../src/modules/calendar/index.js';

export const DEMO_PASSWORD = 'demo12345';
const TEMPLATE = 'zhili_test_template';

/** Migrates and seeds one template database; each test file then gets its own copy of it. */
export default async function setup(project: TestProject) {
  const kind = process.env.ZHILI_TEST_DB ?? 'pglite';
  if (kind === 'postgres') {
    const adminUrl = process.env.ZHILI_TEST_PG_URL;
    if (!adminUrl) throw new Error('ZHILI_TEST_DB=postgres needs ZHILI_TEST_PG_URL (the test script starts a server and sets it)');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE}`);
    await admin.query(`CREATE DATABASE ${TEMPLATE}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${TEMPLATE}`;
    const handle = await openPostgres(url.toString(), 2);
    await migrateToLatest(handle.db);
    await seedDefaultCatalogue(handle.db);
    await seedCalendar(handle.db);
    await seedDemo(handle.db, DEMO_PASSWORD);
    await handle.close();
    project.provide('zhiliDb', { kind: 'postgres', adminUrl, template: TEMPLATE });
    return;
  }
  const handle = await openPglite(undefined);
  await migrateToLatest(handle.db);
  await seedDefaultCatalogue(handle.db);
  await seedCalendar(handle.db);
  await seedDemo(handle.db, DEMO_PASSWORD);
  const dump = await handle.client.dumpDataDir('none');
  await handle.close();
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'zhili-test-')), 'template.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('zhiliDb', { kind: 'pglite', dumpFile: file });
  return () => fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    zhiliDb: { kind: 'pglite'; dumpFile: string } | { kind: 'postgres'; adminUrl: string; template: string };
  }
}
