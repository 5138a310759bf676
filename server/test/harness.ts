import crypto from 'node:crypto';
import fs from 'node:fs';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { inject } from 'vitest';
import { type Config, loadConfig } from '../src/config.js';
import { type DatabaseHandle, openPglite, openPostgres } from '../src/db/database.js';
import { buildApp } from '../src/http/app.js';
import { currentTotp, needsSecondFactor } from '../src/modules/auth/totp.js';

export const DEMO_PASSWORD = 'demo12345';
export const DEMO_TOTP_SECRET = 'ZHILIDEMO2FA7777';

/** A fresh copy of the migrated, seeded template: this test file's own database. */
export async function testDatabase(): Promise<DatabaseHandle> {
  const info = inject('zhiliDb');
  if (info.kind === 'pglite') {
    const blob = new Blob([fs.readFileSync(info.dumpFile)]);
    return openPglite(undefined, { loadDataDir: blob });
  }
  const name = `zhili_t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: info.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${info.template}`);
  await admin.end();
  const url = new URL(info.adminUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), 4);
  return {
    ...handle,
    async close() {
      await handle.close();
      const a = new pg.Client({ connectionString: info.adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  handle: DatabaseHandle;
  close(): Promise<void>;
}

export async function testApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const handle = await testDatabase();
  const config: Config = { ...loadConfig({}), webDist: '/nonexistent', loginRateLimit: 10_000, ...overrides };
  const app = await buildApp({ handle, config, logger: false });
  await app.ready();
  return {
    app,
    handle,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

export interface Session {
  cookie: string;
  csrf: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  put(url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

/** Signs in as a user and returns a client that sends the session cookie and CSRF header. */
export async function signIn(app: FastifyInstance, username: string, password = DEMO_PASSWORD): Promise<Session> {
  const account = await app.ctx.db.selectFrom('app_user').select(['id', 'roles', 'totp_secret']).where('username', '=', username).executeTakeFirst();
  let totp: string | undefined;
  if (account && needsSecondFactor(account.roles) && account.totp_secret) {
    // each code is accepted once; tests sign in more often than every 30 s
    await app.ctx.db.updateTable('app_user').set({ totp_last_step: null }).where('id', '=', account.id).execute();
    totp = currentTotp(account.totp_secret);
  }
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password, totp } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'zhili_session')!;
  const csrf = res.json().csrfToken as string;
  const request = (opts: InjectOptions) =>
    app.inject({ ...opts, cookies: { zhili_session: cookie.value }, headers: { 'x-csrf-token': csrf, ...(opts.headers ?? {}) } });
  return {
    cookie: cookie.value,
    csrf,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, body) => request({ method: 'POST', url, payload: body as InjectOptions['payload'] }),
    patch: (url, body) => request({ method: 'PATCH', url, payload: body as InjectOptions['payload'] }),
    put: (url, body) => request({ method: 'PUT', url, payload: body as InjectOptions['payload'] }),
  };
}
